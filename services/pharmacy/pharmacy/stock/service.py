"""The stock's operations: receipts, transfers, returns, write-offs, inventory counts, the stock
list and card, a marked package's whereabouts, availability for the doctor.

Every operation checks its whole input before it writes (a refusal names the line, the code and
the check: ``field`` ``lines[2].codes[5]``), then books through ``movements.book`` — the one
place that changes a quantity. Services never commit: the request owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators

from oms_kit.auth.principal import Principal
from oms_kit.errors import InvalidInput, NotFound
from pharmacy.marking.gs1 import MarkingCode, MarkingCodeError, parse_marking_code
from pharmacy.models import Drug, StockBatch, StockDocument
from pharmacy.scope import PharmacyScope
from pharmacy.stock import repository
from pharmacy.stock.config import stock_settings
from pharmacy.stock.errors import (
    BadMovement,
    DocumentState,
    DuplicateDocument,
    ExpiredBatch,
    MarkingRefused,
    PackageState,
    UnknownDrug,
    UnknownPharmacy,
)
from pharmacy.stock.movements import book
from pharmacy.stock.reservations import availability as free_stock
from pharmacy.stock.schemas import (
    WRITE_OFF_REASON_NAMES,
    AvailabilityRead,
    CardBatch,
    CardMovement,
    CounterpartyRead,
    DocumentRead,
    InventoryCreate,
    InventoryLineRead,
    InventoryLinesIn,
    InventoryRead,
    MarkedPackageRead,
    MovementRead,
    OutLineIn,
    PackageHistoryItem,
    ReceiptIn,
    ReturnIn,
    StockCard,
    StockRow,
    TransferIn,
    WriteOffIn,
)

DOCUMENT_NOT_FOUND = "Документ не найден"
BATCH_NOT_FOUND = "Партия не найдена"
STATUS_NAMES = {
    "in_stock": "в остатке",
    "reserved": "в резерве",
    "dispensed": "отпущен",
    "written_off": "списан",
    "returned": "возвращён поставщику",
    "transferred": "перемещён",
}
SGTIN_LENGTH = 27


def _pharmacy_of(scope: PharmacyScope, requested: uuid.UUID | None) -> uuid.UUID:
    """The pharmacy a change is made in: the one asked for, or the caller's own; only where the
    caller may move stock (elsewhere — 404, existence not leaked)."""
    pharmacy_id = requested or scope.own_org
    if pharmacy_id is None:
        raise InvalidInput("Укажите аптеку", field="pharmacy_id")
    scope.ensure_pharmacy_writable(pharmacy_id)
    return pharmacy_id


async def counterparties(session: AsyncSession, scope: PharmacyScope) -> list[CounterpartyRead]:
    """Where a transfer or a return can go: every pharmacy and warehouse of the region but the
    caller's own (id, code, name — the pharmacies' list itself is scoped, this is not a read of
    their stock)."""
    rows = await repository.counterparties(session, exclude=scope.own_org)
    return [CounterpartyRead.model_validate(r) for r in rows]


def _parse_receipt_code(raw: str, field: str) -> MarkingCode:
    try:
        return parse_marking_code(raw)
    except MarkingCodeError as e:
        raise MarkingRefused(f"Код маркировки не распознан: {e}", field=field) from e


def _sgtin_of(raw: str, field: str) -> str:
    """A package named by a scanned code or by its SGTIN (27 characters: GTIN + serial)."""
    value = raw.strip()
    if len(value) == SGTIN_LENGTH and value[:14].isdigit():
        return value
    try:
        return parse_marking_code(value, require_crypto_tail=False).sgtin
    except MarkingCodeError as e:
        raise MarkingRefused(f"Код маркировки не распознан: {e}", field=field) from e


def _document_read(document: StockDocument, movements: Sequence[Any] = ()) -> DocumentRead:
    return DocumentRead(
        id=document.id,
        pharmacy_id=document.pharmacy_id,
        kind=document.kind,
        number=document.number,
        doc_date=document.doc_date,
        counterparty_id=document.counterparty_id,
        counterparty_name=document.counterparty_name,
        reason=document.reason,
        status=document.status,
        comment=document.comment,
        created_by=document.created_by,
        created_at=document.created_at,
        posted_by=document.posted_by,
        posted_at=document.posted_at,
        movements=[MovementRead.model_validate(m) for m in movements],
    )


def _paper(kind: str, number: str, day: date) -> str:
    names = {
        "receipt": "Накладная",
        "transfer": "Накладная на перемещение",
        "return": "Возврат поставщику",
        "write_off": "Акт списания",
        "inventory": "Инвентаризационная опись",
    }
    return f"{names[kind]} № {number} от {day:%d.%m.%Y}"


# --- receipt --------------------------------------------------------------------------------


@dataclass
class _ReceiptLine:
    drug: Drug
    codes: list[MarkingCode]


async def receive(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, body: ReceiptIn
) -> DocumentRead:
    """Приход: each line a batch (drug, series, funding source) with its price and expiry; a
    marked drug's packages by their scanned codes (count = quantity, GTIN of the drug, none
    repeated, none known before). A repeat of the invoice (number + date in this pharmacy) is a
    409 naming the earlier receipt; nothing is booked twice."""
    pharmacy_id = _pharmacy_of(scope, body.pharmacy_id)
    today = date.today()
    earlier = await repository.receipt(session, pharmacy_id, body.invoice_number, body.invoice_date)
    if earlier is not None:
        raise _duplicate_receipt(earlier)

    lines: list[_ReceiptLine] = []
    seen: dict[str, str] = {}
    # a batch (drug, series, funding source) has one expiry and one price
    batch_terms: dict[tuple[uuid.UUID, str, str], tuple[date, Decimal, str]] = {}
    for i, line in enumerate(body.lines):
        at = f"lines[{i}]"
        drug = await _receipt_drug(session, line.drug_id, line.gtin, at)
        if line.expiry_date < today:
            raise ExpiredBatch(
                f"Строка {i + 1}: срок годности серии {line.series} истёк {line.expiry_date:%d.%m.%Y} — "
                "просроченный товар не принимается",
                field=f"{at}.expiry_date",
            )
        identity = (drug.id, line.series, line.funding_source)
        existing = await repository.batch_by_identity(session, pharmacy_id, *identity)
        known = (existing.expiry_date, existing.unit_price, "уже на остатке") if existing else None
        known = known or batch_terms.get(identity)
        if known is not None and known[0] != line.expiry_date:
            raise InvalidInput(
                f"Строка {i + 1}: серия {line.series} {known[2]} со сроком годности "
                f"{known[0]:%d.%m.%Y}, в строке — {line.expiry_date:%d.%m.%Y}",
                field=f"{at}.expiry_date",
            )
        if known is not None and known[1] != line.unit_price:
            raise InvalidInput(
                f"Строка {i + 1}: серия {line.series} ({line.funding_source}) {known[2]} по цене "
                f"{known[1]} ₽, в строке — {line.unit_price} ₽",
                field=f"{at}.unit_price",
            )
        batch_terms.setdefault(identity, (line.expiry_date, line.unit_price, f"в строке {i + 1}"))
        codes = await _receipt_codes(
            session, drug, line.codes, line.quantity, line.series, line.expiry_date, at, seen
        )
        lines.append(_ReceiptLine(drug, codes))

    document = StockDocument(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        kind="receipt",
        number=body.invoice_number,
        doc_date=body.invoice_date,
        counterparty_name=body.supplier,
        status="posted",
        comment=body.comment,
        created_by=principal.subject,
        posted_by=principal.subject,
        posted_at=datetime.now(UTC),
    )
    if not await repository.claim_receipt(session, document):
        again = await repository.receipt(session, pharmacy_id, body.invoice_number, body.invoice_date)
        assert again is not None
        raise _duplicate_receipt(again)
    paper = _paper("receipt", body.invoice_number, body.invoice_date)
    for line, parsed in zip(body.lines, lines, strict=True):
        batch = await repository.ensure_batch(
            session,
            pharmacy_id=pharmacy_id,
            drug_id=parsed.drug.id,
            series=line.series,
            funding=line.funding_source,
            expiry=line.expiry_date,
            price=line.unit_price,
            low_threshold=line.low_threshold,
        )
        await repository.add_packages(
            session,
            [
                {
                    "sgtin": c.sgtin,
                    "gtin": c.gtin,
                    "serial": c.serial,
                    "crypto_key": c.verification_key,
                    "crypto_code": c.crypto,
                    "batch_id": batch.id,
                    "pharmacy_id": pharmacy_id,
                    "status": "in_stock",
                }
                for c in parsed.codes
            ],
        )
        await book(
            session,
            batch_id=batch.id,
            kind="receipt",
            quantity=line.quantity,
            booked_by=principal.subject,
            document=paper,
            document_id=document.id,
            sgtins=[c.sgtin for c in parsed.codes] or None,
            comment=body.supplier[:500],
        )
    return await document_read(session, document.id)


def _duplicate_receipt(earlier: StockDocument) -> DuplicateDocument:
    return DuplicateDocument(
        f"Накладная № {earlier.number} от {earlier.doc_date:%d.%m.%Y} уже принята "
        f"{earlier.created_at:%d.%m.%Y %H:%M} ({earlier.created_by}); повторный приход не проводится",
        field="invoice_number",
    )


async def _receipt_drug(session: AsyncSession, drug_id: uuid.UUID | None, gtin: str | None, at: str) -> Drug:
    drug = await repository.drug(session, drug_id) if drug_id else None
    if drug_id is not None and drug is None:
        raise UnknownDrug(f"Препарат {drug_id} не найден в справочнике", field=f"{at}.drug_id")
    if drug is None and gtin:
        drug = await repository.drug_by_gtin(session, gtin)
        if drug is None:
            raise UnknownDrug(f"GTIN {gtin} не найден в справочнике препаратов", field=f"{at}.gtin")
    elif drug is not None and gtin:
        gtins = (await repository.gtins_of(session, [drug.id]))[drug.id]
        if gtin not in gtins:
            raise UnknownDrug(f"GTIN {gtin} не относится к препарату {drug.trade_name}", field=f"{at}.gtin")
    assert drug is not None
    return drug


async def _receipt_codes(
    session: AsyncSession,
    drug: Drug,
    raw_codes: list[str],
    quantity: int,
    series: str,
    expiry: date,
    at: str,
    seen: dict[str, str],
) -> list[MarkingCode]:
    if not drug.marked:
        if raw_codes:
            raise MarkingRefused(
                f"{drug.trade_name} не подлежит маркировке — коды не принимаются", field=f"{at}.codes"
            )
        return []
    if len(raw_codes) != quantity:
        raise MarkingRefused(
            f"{drug.trade_name}: отсканировано кодов {len(raw_codes)}, в строке {quantity} уп. — "
            "у маркированного препарата каждая упаковка принимается по коду",
            field=f"{at}.codes",
        )
    gtins = (await repository.gtins_of(session, [drug.id]))[drug.id]
    codes: list[MarkingCode] = []
    for j, raw in enumerate(raw_codes):
        field = f"{at}.codes[{j}]"
        code = _parse_receipt_code(raw, field)
        if code.gtin not in gtins:
            raise MarkingRefused(
                f"Код {code.sgtin}: GTIN {code.gtin} не относится к препарату {drug.trade_name} "
                f"(его GTIN: {', '.join(sorted(gtins)) or 'нет'})",
                field=field,
            )
        if code.sgtin in seen:
            raise MarkingRefused(
                f"Код {code.sgtin} повторяется в накладной ({seen[code.sgtin]})", field=field
            )
        if code.batch is not None and code.batch != series:
            raise MarkingRefused(
                f"Код {code.sgtin}: серия в коде {code.batch}, в строке {series}", field=field
            )
        if code.expiry is not None and code.expiry != expiry:
            raise MarkingRefused(
                f"Код {code.sgtin}: срок годности в коде {code.expiry:%d.%m.%Y}, в строке {expiry:%d.%m.%Y}",
                field=field,
            )
        seen[code.sgtin] = field
        codes.append(code)
    known = await repository.packages(session, [c.sgtin for c in codes])
    if known:
        sgtin, package = next(iter(sorted(known.items())))
        raise MarkingRefused(
            f"Код {sgtin} уже известен: упаковка {STATUS_NAMES.get(package.status, package.status)} "
            f"(принята {package.received_at:%d.%m.%Y}) — повторный приход одной упаковки невозможен",
            field=seen[sgtin],
        )
    return codes


# --- outgoing: transfer, return, write-off --------------------------------------------------


@dataclass
class _OutLine:
    batch: StockBatch
    drug: Drug
    sgtins: list[str]


async def _check_out_lines(
    session: AsyncSession, pharmacy_id: uuid.UUID, lines: list[OutLineIn], *, allow_expired: bool = True
) -> list[_OutLine]:
    found = await repository.batches(session, {line.batch_id for line in lines})
    out: list[_OutLine] = []
    seen: dict[str, str] = {}
    for i, line in enumerate(lines):
        at = f"lines[{i}]"
        pair = found.get(line.batch_id)
        if pair is None or pair[0].pharmacy_id != pharmacy_id:
            raise NotFound(f"Строка {i + 1}: партия {line.batch_id} не найдена в остатке аптеки")
        batch, drug = pair
        if not allow_expired and batch.expiry_date < date.today():
            raise ExpiredBatch(
                f"Строка {i + 1}: серия {batch.series} просрочена ({batch.expiry_date:%d.%m.%Y}) — "
                "её можно только списать",
                field=f"{at}.batch_id",
            )
        sgtins: list[str] = []
        if drug.marked:
            if len(line.codes) != line.quantity:
                raise MarkingRefused(
                    f"Строка {i + 1}: {drug.trade_name} — маркированный препарат: нужно {line.quantity} "
                    f"код(ов) упаковок, передано {len(line.codes)}",
                    field=f"{at}.codes",
                )
            for j, raw in enumerate(line.codes):
                field = f"{at}.codes[{j}]"
                sgtin = _sgtin_of(raw, field)
                if sgtin in seen:
                    raise MarkingRefused(f"Код {sgtin} указан дважды ({seen[sgtin]})", field=field)
                seen[sgtin] = field
                sgtins.append(sgtin)
        elif line.codes:
            raise MarkingRefused(
                f"{drug.trade_name} не подлежит маркировке — коды не нужны", field=f"{at}.codes"
            )
        out.append(_OutLine(batch, drug, sgtins))
    await _check_packages_in_stock(session, pharmacy_id, out, seen)
    return out


async def _check_packages_in_stock(
    session: AsyncSession, pharmacy_id: uuid.UUID, lines: list[_OutLine], fields: dict[str, str]
) -> None:
    """Each named package exists, is on this batch's shelf in this pharmacy, and is free (not
    dispensed, written off, returned, reserved). Rows locked until the transaction ends."""
    wanted = [s for line in lines for s in line.sgtins]
    known = await repository.packages(session, wanted, lock=True)
    gone: list[str] = []
    for line in lines:
        for sgtin in line.sgtins:
            package = known.get(sgtin)
            if package is None:
                raise PackageState(
                    f"Код {sgtin} не найден в остатке: упаковка не поступала", field=fields[sgtin]
                )
            if package.pharmacy_id != pharmacy_id:
                raise PackageState(f"Код {sgtin}: упаковка числится в другой аптеке", field=fields[sgtin])
            if package.status in {"dispensed", "written_off", "returned"}:
                gone.append(sgtin)
                continue
            if package.status == "reserved":
                raise PackageState(
                    f"Код {sgtin}: упаковка в резерве по рецепту — сначала снимите резерв",
                    field=fields[sgtin],
                )
            if package.batch_id != line.batch.id:
                raise PackageState(
                    f"Код {sgtin} относится к другой серии, не {line.batch.series}", field=fields[sgtin]
                )
    if gone:
        when = await repository.dispensed_on(session, gone)
        sgtin = gone[0]
        package = known[sgtin]
        left, paper = when.get(sgtin, (package.changed_at, None))
        raise PackageState(
            f"Код маркировки уже выбыт: {STATUS_NAMES[package.status]} {left:%d.%m.%Y}"
            + (f" ({paper})" if paper else "")
            + f" — код {sgtin}",
            field=fields[sgtin],
        )


def _document(
    kind: str, pharmacy_id: uuid.UUID, principal: Principal, number: str, day: date, **extra: Any
) -> StockDocument:
    return StockDocument(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        kind=kind,
        number=number,
        doc_date=day,
        status="posted",
        created_by=principal.subject,
        posted_by=principal.subject,
        posted_at=datetime.now(UTC),
        **extra,
    )


async def _queue_disposal(
    session: AsyncSession,
    *,
    operation: str,
    pharmacy_id: uuid.UUID,
    sgtins: list[str],
    reason: str | None,
    document_number: str,
    counterparty_id: uuid.UUID | None = None,
) -> None:
    """Each marked package leaving the stock for good is reported to МДЛП (helper T's queue)."""
    if not sgtins:
        return
    from pharmacy.marking.trace.queue import queue_disposal

    await queue_disposal(
        session,
        operation=operation,
        pharmacy_id=pharmacy_id,
        sgtins=sgtins,
        reason=reason,
        document_number=document_number,
        counterparty_id=counterparty_id,
    )


async def transfer(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, body: TransferIn
) -> DocumentRead:
    """Перемещение: out of this pharmacy, into the other one at once (same series, expiry,
    funding source and price there); marked packages move with their codes."""
    pharmacy_id = _pharmacy_of(scope, body.pharmacy_id)
    target = await repository.organization(session, body.to_pharmacy_id)
    if target is None or target.kind not in repository.PHARMACY_KINDS:
        raise UnknownPharmacy(f"Аптека назначения {body.to_pharmacy_id} не найдена", field="to_pharmacy_id")
    if target.id == pharmacy_id:
        raise BadMovement("Перемещение в ту же аптеку не имеет смысла", field="to_pharmacy_id")
    lines = await _check_out_lines(session, pharmacy_id, body.lines, allow_expired=False)
    document = await repository.add_document(
        session,
        _document(
            "transfer",
            pharmacy_id,
            principal,
            body.number,
            body.doc_date,
            counterparty_id=target.id,
            counterparty_name=target.name,
            comment=body.comment,
        ),
    )
    paper = _paper("transfer", body.number, body.doc_date)
    for line, raw in zip(lines, body.lines, strict=True):
        await book(
            session,
            batch_id=line.batch.id,
            kind="transfer_out",
            quantity=raw.quantity,
            booked_by=principal.subject,
            document=paper,
            document_id=document.id,
            counterparty_id=target.id,
            sgtins=line.sgtins or None,
        )
        there = await repository.ensure_batch(
            session,
            pharmacy_id=target.id,
            drug_id=line.drug.id,
            series=line.batch.series,
            funding=line.batch.funding_source,
            expiry=line.batch.expiry_date,
            price=line.batch.unit_price,
            low_threshold=line.batch.low_threshold,
        )
        if line.sgtins:
            await repository.set_packages(
                session, line.sgtins, status="in_stock", batch_id=there.id, pharmacy_id=target.id
            )
        await book(
            session,
            batch_id=there.id,
            kind="transfer_in",
            quantity=raw.quantity,
            booked_by=principal.subject,
            document=paper,
            document_id=document.id,
            counterparty_id=pharmacy_id,
            sgtins=line.sgtins or None,
        )
    return await document_read(session, document.id)


async def _dispose(
    session: AsyncSession,
    principal: Principal,
    pharmacy_id: uuid.UUID,
    lines: list[_OutLine],
    raw_lines: list[OutLineIn],
    document: StockDocument,
    *,
    kind: str,
    package_status: str,
    reason: str | None,
    comment: str,
) -> None:
    """Packages leaving the stock for good (a return or a write-off): the marked ones marked
    ``package_status``, each line booked out, the codes queued for МДЛП."""
    paper = _paper(kind, document.number, document.doc_date)
    for line, raw in zip(lines, raw_lines, strict=True):
        if line.sgtins:
            await repository.set_packages(session, line.sgtins, status=package_status)
        await book(
            session,
            batch_id=line.batch.id,
            kind=kind,
            quantity=raw.quantity,
            booked_by=principal.subject,
            reason=reason,
            document=paper,
            document_id=document.id,
            counterparty_id=document.counterparty_id,
            sgtins=line.sgtins or None,
            comment=comment[:500],
        )
    await _queue_disposal(
        session,
        operation=kind,
        pharmacy_id=pharmacy_id,
        sgtins=[s for line in lines for s in line.sgtins],
        reason=reason,
        document_number=document.number,
        counterparty_id=document.counterparty_id,
    )


async def return_to_supplier(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, body: ReturnIn
) -> DocumentRead:
    """Возврат поставщику; a marked return names the supplier organization (the receiver in the
    МДЛП document)."""
    pharmacy_id = _pharmacy_of(scope, body.pharmacy_id)
    lines = await _check_out_lines(session, pharmacy_id, body.lines)
    supplier = await repository.organization(session, body.supplier_id) if body.supplier_id else None
    if body.supplier_id is not None and supplier is None:
        raise InvalidInput(
            f"Поставщик {body.supplier_id} не найден в справочнике организаций", field="supplier_id"
        )
    if any(line.sgtins for line in lines) and supplier is None:
        raise InvalidInput(
            "Возврат маркированных упаковок: укажите поставщика из справочника организаций "
            "(supplier_id) — он получатель в сведениях для МДЛП",
            field="supplier_id",
        )
    document = await repository.add_document(
        session,
        _document(
            "return",
            pharmacy_id,
            principal,
            body.number,
            body.doc_date,
            counterparty_id=body.supplier_id,
            counterparty_name=body.supplier,
            comment=body.comment,
        ),
    )
    await _dispose(
        session,
        principal,
        pharmacy_id,
        lines,
        body.lines,
        document,
        kind="return",
        package_status="returned",
        reason=None,
        comment=body.supplier,
    )
    return await document_read(session, document.id)


async def write_off(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, body: WriteOffIn
) -> DocumentRead:
    """Списание with its reason; marked packages by code, each reported to МДЛП."""
    pharmacy_id = _pharmacy_of(scope, body.pharmacy_id)
    lines = await _check_out_lines(session, pharmacy_id, body.lines)
    document = await repository.add_document(
        session,
        _document(
            "write_off",
            pharmacy_id,
            principal,
            body.number,
            body.doc_date,
            reason=body.reason,
            comment=body.comment,
        ),
    )
    await _dispose(
        session,
        principal,
        pharmacy_id,
        lines,
        body.lines,
        document,
        kind="write_off",
        package_status="written_off",
        reason=body.reason,
        comment=WRITE_OFF_REASON_NAMES[body.reason],
    )
    return await document_read(session, document.id)


# --- documents ------------------------------------------------------------------------------


async def document_read(session: AsyncSession, document_id: uuid.UUID) -> DocumentRead:
    document = await repository.document(session, document_id)
    if document is None:
        raise NotFound(DOCUMENT_NOT_FOUND)
    return _document_read(document, await repository.movements_of_document(session, document_id))


async def one_document(session: AsyncSession, scope: PharmacyScope, document_id: uuid.UUID) -> DocumentRead:
    document = await repository.document(session, document_id)
    if document is None or not scope.sees_pharmacy(document.pharmacy_id):
        raise NotFound(DOCUMENT_NOT_FOUND)
    return _document_read(document, await repository.movements_of_document(session, document_id))


async def list_documents(
    session: AsyncSession,
    scope: PharmacyScope,
    pharmacy_id: uuid.UUID | None,
    kind: str | None,
    limit: int,
    offset: int,
) -> tuple[list[DocumentRead], int]:
    condition = scope.pharmacy_condition(StockDocument.pharmacy_id)
    if pharmacy_id is not None:
        scope.ensure_pharmacy(pharmacy_id)
        condition = StockDocument.pharmacy_id == pharmacy_id
    rows, total = await repository.documents(session, condition, kind, limit, offset)
    return [_document_read(d) for d in rows], total


# --- inventory ------------------------------------------------------------------------------


async def start_inventory(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, body: InventoryCreate
) -> InventoryRead:
    pharmacy_id = _pharmacy_of(scope, body.pharmacy_id)
    document = _document(
        "inventory", pharmacy_id, principal, body.number, body.doc_date, comment=body.comment
    )
    document.status = "draft"
    document.posted_by = None
    document.posted_at = None
    await repository.add_document(session, document)
    return await inventory(session, scope, document.id)


async def _draft_inventory(
    session: AsyncSession, scope: PharmacyScope, document_id: uuid.UUID
) -> StockDocument:
    document = await repository.document(session, document_id, lock=True)
    if document is None or document.kind != "inventory" or not scope.sees_pharmacy(document.pharmacy_id):
        raise NotFound(DOCUMENT_NOT_FOUND)
    scope.ensure_pharmacy_writable(document.pharmacy_id)
    if document.status != "draft":
        raise DocumentState(
            f"Инвентаризация № {document.number} уже проведена {document.posted_at:%d.%m.%Y %H:%M} — "
            "изменить подсчёт нельзя"
        )
    return document


async def count_inventory(
    session: AsyncSession, scope: PharmacyScope, document_id: uuid.UUID, body: InventoryLinesIn
) -> InventoryRead:
    """Record counted quantities (or scanned codes of a marked drug: the count is their number)
    for batches of the inventory's pharmacy; a line given again replaces the earlier count."""
    document = await _draft_inventory(session, scope, document_id)
    found = await repository.batches(session, {line.batch_id for line in body.lines})
    seen: dict[str, str] = {}
    for i, line in enumerate(body.lines):
        at = f"lines[{i}]"
        pair = found.get(line.batch_id)
        if pair is None or pair[0].pharmacy_id != document.pharmacy_id:
            raise NotFound(f"Строка {i + 1}: партия {line.batch_id} не найдена в остатке аптеки")
        _batch, drug = pair
        codes: list[str] | None = None
        if line.codes is not None:
            if not drug.marked:
                raise MarkingRefused(
                    f"{drug.trade_name} не подлежит маркировке — считайте количеством", field=f"{at}.codes"
                )
            codes = []
            for j, raw in enumerate(line.codes):
                field = f"{at}.codes[{j}]"
                sgtin = _sgtin_of(raw, field)
                if sgtin in seen:
                    raise MarkingRefused(f"Код {sgtin} отсканирован дважды ({seen[sgtin]})", field=field)
                seen[sgtin] = field
                codes.append(sgtin)
            if line.counted_quantity is not None and line.counted_quantity != len(codes):
                raise MarkingRefused(
                    f"Строка {i + 1}: посчитано {line.counted_quantity}, а кодов {len(codes)}",
                    field=f"{at}.codes",
                )
        counted = len(codes) if codes is not None else line.counted_quantity
        assert counted is not None
        await repository.upsert_inventory_line(session, document.id, line.batch_id, counted, codes)
    return await inventory(session, scope, document.id)


async def _code_differences(
    session: AsyncSession, batch: StockBatch, codes: list[str] | None
) -> tuple[list[str], list[str]]:
    if codes is None:
        return [], []
    on_shelf = set(await repository.batch_packages(session, batch.id, ("in_stock", "reserved")))
    scanned = set(codes)
    return sorted(on_shelf - scanned), sorted(scanned - on_shelf)


async def inventory(session: AsyncSession, scope: PharmacyScope, document_id: uuid.UUID) -> InventoryRead:
    document = await repository.document(session, document_id)
    if document is None or document.kind != "inventory" or not scope.sees_pharmacy(document.pharmacy_id):
        raise NotFound(DOCUMENT_NOT_FOUND)
    lines: list[InventoryLineRead] = []
    for line, batch, drug in await repository.inventory_lines(session, document.id):
        posted = line.book_quantity is not None and line.difference is not None
        book_quantity = line.book_quantity if line.book_quantity is not None else batch.quantity
        missing, surplus = ([], []) if posted else await _code_differences(session, batch, line.codes)
        lines.append(
            InventoryLineRead(
                batch_id=batch.id,
                drug_id=drug.id,
                inn=drug.inn,
                trade_name=drug.trade_name,
                series=batch.series,
                expiry_date=batch.expiry_date,
                funding_source=batch.funding_source,
                counted_quantity=line.counted_quantity,
                codes=line.codes,
                book_quantity=book_quantity,
                difference=line.difference
                if line.difference is not None
                else line.counted_quantity - book_quantity,
                missing_codes=missing,
                surplus_codes=surplus,
            )
        )
    movements = await repository.movements_of_document(session, document.id)
    return InventoryRead(document=_document_read(document, movements), lines=lines)


async def post_inventory(
    session: AsyncSession, scope: PharmacyScope, principal: Principal, document_id: uuid.UUID
) -> InventoryRead:
    """Проведение: each counted batch's difference from the book is booked as an ``inventory``
    movement (+ surplus, − shortage). For a marked drug counted by codes the packages not found
    are written off (status ``written_off``, reported to МДЛП as a shortage) and the packages
    found beyond the book are taken into stock only if they were never known elsewhere."""
    document = await _draft_inventory(session, scope, document_id)
    rows = await repository.inventory_lines(session, document.id)
    if not rows:
        raise DocumentState("В инвентаризации нет ни одной посчитанной партии — проводить нечего")
    paper = _paper("inventory", document.number, document.doc_date)
    shortage_codes: list[str] = []
    for line, batch, drug in rows:
        missing, surplus = await _code_differences(session, batch, line.codes)
        if surplus:
            known = await repository.packages(session, surplus, lock=True)
            if known:
                sgtin, package = next(iter(sorted(known.items())))
                raise PackageState(
                    f"Код {sgtin} числится {STATUS_NAMES.get(package.status, package.status)}"
                    + (" в другой партии или аптеке" if package.status in {"in_stock", "reserved"} else "")
                    + " — излишком его принять нельзя"
                )
        if missing:
            reserved = await repository.packages(session, missing, lock=True)
            held = [s for s, p in reserved.items() if p.status == "reserved"]
            if held:
                raise PackageState(
                    f"Упаковка {held[0]} в резерве по рецепту, но не найдена при подсчёте — снимите резерв "
                    "перед проведением"
                )
        difference = line.counted_quantity - batch.quantity
        if line.codes is not None and difference != len(surplus) - len(missing):
            raise DocumentState(
                f"Серия {batch.series}: по кодам расхождение {len(surplus) - len(missing):+d}, по количеству "
                f"{difference:+d} — учёт кодов партии не сходится с остатком"
            )
        await repository.fix_inventory_line(session, document.id, batch.id, batch.quantity, difference)
        if difference == 0:
            continue
        if missing:
            await repository.set_packages(session, missing, status="written_off")
            shortage_codes.extend(missing)
        if surplus:
            await repository.add_packages(
                session,
                [
                    {
                        "sgtin": s,
                        "gtin": s[:14],
                        "serial": s[14:],
                        "batch_id": batch.id,
                        "pharmacy_id": batch.pharmacy_id,
                        "status": "in_stock",
                    }
                    for s in surplus
                ],
            )
        moved = (missing if difference < 0 else surplus) if line.codes is not None else []
        await book(
            session,
            batch_id=batch.id,
            kind="inventory",
            quantity=difference,
            booked_by=principal.subject,
            reason="shortage" if difference < 0 else "surplus",
            document=paper,
            document_id=document.id,
            sgtins=moved if moved and len(moved) == abs(difference) else None,
            comment=f"{drug.trade_name}: учёт {batch.quantity}, факт {line.counted_quantity}",
        )
    await _queue_disposal(
        session,
        operation="write_off",
        pharmacy_id=document.pharmacy_id,
        sgtins=shortage_codes,
        reason="shortage",
        document_number=document.number,
    )
    await repository.mark_posted(session, document.id, principal.subject)
    return await inventory(session, scope, document.id)


# --- reading the stock ----------------------------------------------------------------------


def stock_row(r: dict[str, Any]) -> StockRow:
    return StockRow(**r, low=r["drug_free"] < r["threshold"])


async def stock_list(
    session: AsyncSession,
    scope: PharmacyScope,
    f: repository.StockFilter,
    order: list[Any],
    limit: int | None,
    offset: int,
) -> tuple[list[StockRow], int]:
    if f.pharmacy_id is not None:
        scope.ensure_pharmacy(f.pharmacy_id)
    inner, condition = repository.stock_query(
        scope.pharmacy_condition(StockBatch.pharmacy_id), f, date.today(), stock_settings().low_stock_packages
    )
    resolved = [_resolve_sort(inner, o) for o in order]
    rows, total = await repository.stock_rows(session, inner, condition, resolved, limit, offset)
    return [stock_row(r) for r in rows], total


def _resolve_sort(inner: Any, clause: Any) -> Any:
    """The sort allow-list names the subquery's columns by label: rebind to ``inner``."""
    element = clause.element
    modifier = clause.modifier
    column = inner.c[element.key]
    return column.desc() if modifier is operators.desc_op else column.asc()


async def card(
    session: AsyncSession,
    scope: PharmacyScope,
    pharmacy_id: uuid.UUID,
    drug_id: uuid.UUID,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
    last: bool = False,
) -> StockCard:
    scope.ensure_pharmacy(pharmacy_id)
    drug = await repository.drug(session, drug_id)
    if drug is None:
        raise NotFound("Препарат не найден")
    pharmacy = await repository.organization(session, pharmacy_id)
    batches = await repository.card_batches(session, pharmacy_id, drug_id)
    if not batches and pharmacy is None:
        raise NotFound("Аптека не найдена")
    rows, total, offset = await repository.card_movements(
        session, pharmacy_id, drug_id, since, until, limit, -1 if last else offset
    )
    return StockCard(
        pharmacy_id=pharmacy_id,
        pharmacy_name=pharmacy.name if pharmacy else None,
        drug_id=drug.id,
        inn=drug.inn,
        trade_name=drug.trade_name,
        dosage_form=drug.dosage_form,
        dosage=drug.dosage,
        marked=drug.marked,
        balance=sum(b.quantity for b in batches),
        reserved=sum(b.reserved for b in batches),
        batches=[
            CardBatch(
                batch_id=b.id,
                series=b.series,
                expiry_date=b.expiry_date,
                funding_source=b.funding_source,
                unit_price=b.unit_price,
                quantity=b.quantity,
                reserved=b.reserved,
            )
            for b in batches
        ],
        movements=[CardMovement(**r) for r in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def package(session: AsyncSession, scope: PharmacyScope, raw: str) -> MarkedPackageRead:
    """Where a marked package is and every movement that named it."""
    sgtin = _sgtin_of(raw, "code")
    found = (await repository.packages(session, [sgtin])).get(sgtin)
    if found is None or not scope.sees_pharmacy(found.pharmacy_id):
        raise NotFound(f"Упаковка с кодом {sgtin} не найдена")
    pair = (await repository.batches(session, [found.batch_id]))[found.batch_id]
    batch, drug = pair
    pharmacy = await repository.organization(session, found.pharmacy_id)
    history = await repository.package_history(session, sgtin)
    return MarkedPackageRead(
        sgtin=found.sgtin,
        gtin=found.gtin,
        serial=found.serial,
        status=found.status,
        pharmacy_id=found.pharmacy_id,
        pharmacy_name=pharmacy.name if pharmacy else None,
        batch_id=batch.id,
        drug_id=drug.id,
        inn=drug.inn,
        trade_name=drug.trade_name,
        series=batch.series,
        expiry_date=batch.expiry_date,
        received_at=found.received_at,
        changed_at=found.changed_at,
        history=[
            PackageHistoryItem(
                booked_at=m.booked_at,
                kind=m.kind,
                pharmacy_id=m.pharmacy_id,
                document=m.document,
                reason=m.reason,
                booked_by=m.booked_by,
            )
            for m in history
        ],
    )


async def available(
    session: AsyncSession,
    scope: PharmacyScope,
    *,
    pharmacy_id: uuid.UUID | None,
    inn: str | None,
    drug_id: uuid.UUID | None,
    on: date,
) -> list[AvailabilityRead]:
    if pharmacy_id is not None:
        scope.ensure_pharmacy(pharmacy_id)
        ids: frozenset[uuid.UUID] | None = frozenset({pharmacy_id})
    else:
        ids = scope.pharmacy_ids
    return await free_stock(session, ids, inn=inn, drug_ids=[drug_id] if drug_id else None, on=on)
