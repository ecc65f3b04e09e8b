"""The stock's problems: each a typed error whose ``code`` names the check that failed (the
problem's ``type`` is ``urn:oms:problem:<code>``), so a client can tell them apart without
reading the Russian text."""

from __future__ import annotations

from oms_kit.errors import Conflict, InvalidInput, NotFound


class StockShortage(Conflict):
    """The movement would take more than the batch holds free (never negative stock)."""

    code = "stock-insufficient"
    title = "Недостаточно остатка"


class BatchNotFound(NotFound):
    code = "stock-batch-not-found"
    title = "Партия не найдена"


class BadMovement(InvalidInput):
    """A movement that makes no sense (zero quantity, unknown kind, codes not matching it)."""

    code = "stock-movement-invalid"
    title = "Некорректное движение"


class MarkingRefused(InvalidInput):
    """A scanned marking code that cannot be taken (unparsable, another drug's GTIN, repeated,
    already known, wrong count)."""

    code = "marking-code-refused"
    title = "Код маркировки не принят"


class PackageState(Conflict):
    """A marked package that is not where the operation needs it (dispensed, written off, in
    another pharmacy)."""

    code = "marked-package-state"
    title = "Упаковка не в остатке"


class ExpiredBatch(InvalidInput):
    code = "batch-expired"
    title = "Срок годности истёк"


class DuplicateDocument(Conflict):
    code = "duplicate-document"
    title = "Документ уже проведён"


class UnknownDrug(InvalidInput):
    code = "drug-unknown"
    title = "Препарат не найден"


class UnknownPharmacy(InvalidInput):
    code = "pharmacy-unknown"
    title = "Аптека не найдена"


class DocumentState(Conflict):
    code = "document-state"
    title = "Документ в другом состоянии"
