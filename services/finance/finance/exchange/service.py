"""Imports and exports of payment orders: the rules, no SQL.

The import, in two phases:

1. the file is read (1C exchange file, CSV or XLSX — told by its content) and every document
   checked (``documents.check_document``); a file that cannot be read at all is a
   problem+json (``PaymentFileError``) and nothing is kept;
2. all documents valid → written at once (``imported``); some bad → nothing is written, the
   import waits (``awaiting_decision``) with its per-line report and the valid documents
   staged; ``apply`` writes those, ``discard`` drops them.

Writing is one transaction: ``INSERT … ON CONFLICT DO NOTHING`` by the document's identity
(MO, number, date, amount, account) so a re-imported file or an overlapping statement adds
nothing (counted as ``duplicates``), then the period-lock check over the months of the rows
actually added (409, and the whole write is rolled back), then the classification of the new
rows (``finance.classification.service.classify_payments``) in the same transaction."""

from __future__ import annotations

import asyncio
import logging
import tempfile
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.amounts import AmountError, parse_amount
from finance.budget.locks import ensure_months_open
from finance.classification.service import classify_payments
from finance.exchange import onec, repository
from finance.exchange.documents import Checked, Problem, check_document, text_of
from finance.exchange.onec import ExchangeFormatError
from finance.exchange.repository import OrderFilter
from finance.exchange.schemas import FileFormat, PaymentImportRead, PaymentImportSummary, PaymentOrderRead
from finance.exchange.tables import LABELS, read_rows, write_csv, write_xlsx
from finance.models import PaymentImport, PaymentOrder
from finance.scope import MoScope, mo_scope
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, InvalidInput, NotFound
from oms_kit.pagination import Page, PageParams
from oms_kit.tables import XLSX_MAGIC, NotATable, RowShape, is_binary

log = logging.getLogger("finance.exchange")

MAX_PROBLEMS = 2_000  # kept on the import (the total is counted)
MAX_WARNINGS = 50
EXPORT_MAX_ROWS = 100_000
Progress = Callable[[int, int | None, str], Awaitable[None]]


class PaymentFileError(InvalidInput):
    code = "payment-file-unreadable"
    title = "Файл платёжных документов не читается"


class WrongEncoding(PaymentFileError):
    code = "payment-file-encoding"
    title = "Файл в неверной кодировке"


class TruncatedFile(PaymentFileError):
    code = "payment-file-truncated"
    title = "Файл обрывается"


class UnclosedSection(PaymentFileError):
    code = "payment-file-unclosed-section"
    title = "Секция файла не закрыта"


class NotAnExchangeFile(PaymentFileError):
    code = "payment-file-format"
    title = "Файл не в формате обмена"


class ImportNotWaiting(Conflict):
    code = "import-not-awaiting-decision"
    title = "Импорт не ждёт решения"


_ERRORS: dict[str, type[PaymentFileError]] = {
    "Файл не в объявленной кодировке": WrongEncoding,
    "Файл в неверной кодировке": WrongEncoding,
    "Неизвестная кодировка": WrongEncoding,
    "Файл обрывается": TruncatedFile,
    "Секция документа не закрыта": UnclosedSection,
    "Секция остатков не закрыта": UnclosedSection,
    "Конец секции без начала": UnclosedSection,
    "Это не файл обмена 1С": NotAnExchangeFile,
}


def file_error(exc: ExchangeFormatError) -> PaymentFileError:
    kind = _ERRORS.get(exc.title, PaymentFileError)
    return kind(f"{exc.title}: {exc.detail}")


# --- reading -------------------------------------------------------------------------------


@dataclass
class Parsed:
    file_format: FileFormat
    header: dict[str, Any]
    warnings: list[str]
    checked: list[Checked]
    lines: int = 0
    now: datetime = field(default_factory=repository.now)


def detect_format(data: bytes) -> FileFormat:
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    if head.startswith(onec.SIGNATURE.encode()):
        return FileFormat.onec
    if data.startswith(XLSX_MAGIC):
        return FileFormat.xlsx
    if is_binary(data[:8192]):
        raise NotAnExchangeFile(
            "Это не файл обмена 1С (1CClientBankExchange), не CSV и не XLSX: принимаются выписки и "
            "платёжные поручения в формате 1С или по шаблону CSV/XLSX (см. docs/formats.md)"
        )
    return FileFormat.csv


def _balances(sections: Sequence[onec.AccountSection]) -> list[dict[str, str]]:
    keys = {
        "account": "РасчСчет",
        "date_from": "ДатаНачала",
        "date_to": "ДатаКонца",
        "opening": "НачальныйОстаток",
        "received": "ВсегоПоступило",
        "written_off": "ВсегоСписано",
        "closing": "КонечныйОстаток",
    }
    return [{name: s.fields.get(key, "") for name, key in keys.items()} for s in sections]


def _money(text: str) -> Decimal | None:
    try:
        return parse_amount(text) if text.strip() else None
    except AmountError:
        return None


def reconcile(sections: Sequence[onec.AccountSection], checked: Sequence[Checked]) -> list[str]:
    """A statement's own totals against its documents, per account: the documents of the file
    must add up to ``ВсегоПоступило`` and ``ВсегоСписано``, and opening + received − written off
    must be the closing balance. A mismatch does not stop the import (an export of payment
    orders has no balances; a bank may leave out documents of other kinds) but is reported: the
    statement may be incomplete."""
    sums: dict[tuple[str, str], Decimal] = {}
    repeated: set[tuple[str, date, Decimal, str]] = set()
    for item in checked:
        if item.row is None or item.key in repeated:
            continue
        repeated.add(item.key)
        key = (item.row["account"], item.row["direction"])
        sums[key] = sums.get(key, Decimal(0)) + item.row["amount"]
    warnings: list[str] = []
    for section in sections:
        account = section.account
        f = section.fields
        received, written_off = _money(f.get("ВсегоПоступило", "")), _money(f.get("ВсегоСписано", ""))
        opening, closing = _money(f.get("НачальныйОстаток", "")), _money(f.get("КонечныйОстаток", ""))
        for total, direction, name in (
            (received, "in", "ВсегоПоступило"),
            (written_off, "out", "ВсегоСписано"),
        ):
            found = sums.get((account, direction), Decimal(0))
            if total is not None and total != found:
                warnings.append(
                    f"Счёт {account}: {name}={total} в секции остатков, а документов файла на {found} — "
                    "выписка может быть неполной или содержать документы с ошибками"
                )
        if None not in (opening, received, written_off, closing):
            assert opening is not None and received is not None and written_off is not None
            if opening + received - written_off != closing:
                warnings.append(
                    f"Счёт {account}: начальный остаток {opening} + поступило {received} − списано "
                    f"{written_off} ≠ конечный остаток {closing}"
                )
    return warnings


def read_file(data: bytes, *, accounts_hint: Sequence[str] = ()) -> Parsed:
    """Read and check every document of a file (synchronous: a job runs it in a thread)."""
    if not data.strip():
        raise PaymentFileError("Файл пуст: тело запроса не содержит данных")
    file_format = detect_format(data)
    if file_format is FileFormat.onec:
        try:
            exchange = onec.parse(data)
        except ExchangeFormatError as exc:
            raise file_error(exc) from exc
        now = repository.now()
        accounts = exchange.accounts
        with onec.no_cyclic_gc():
            checked = [
                check_document(
                    doc.kind,
                    doc.fields,
                    line=doc.line,
                    accounts=accounts,
                    lines=doc.key_lines,
                    now=lambda: now,
                )
                for doc in exchange.documents
            ]
        h = exchange.header
        header = {
            "version": exchange.version,
            "encoding": onec.ENCODING_NAMES.get(exchange.encoding, exchange.encoding),
            "declared_encoding": exchange.declared_encoding,
            "sender": h.get("Отправитель", ""),
            "receiver": h.get("Получатель", ""),
            "created": h.get("ДатаСоздания", ""),
            "date_from": h.get("ДатаНачала", ""),
            "date_to": h.get("ДатаКонца", ""),
            "accounts": accounts,
            "balances": _balances(exchange.sections),
        }
        if exchange.version and exchange.version not in ("1.01", "1.02", "1.03"):
            exchange.warnings.append(f"Версия формата {exchange.version}: файл прочитан как версия 1.03")
        exchange.warnings.extend(reconcile(exchange.sections, checked))
        if not accounts:
            exchange.warnings.append(
                "В заголовке нет РасчСчет: все документы считаются платежами МО (счёт МО — счёт плательщика)"
            )
        return Parsed(file_format, header, exchange.warnings, checked, exchange.lines, now)
    return _read_table(data, file_format)


def _read_table(data: bytes, file_format: FileFormat) -> Parsed:
    now = repository.now()
    with tempfile.TemporaryDirectory(prefix="oms-payments-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            found, rows = read_rows(path)
        except NotATable as exc:
            raise PaymentFileError(str(exc)) from exc
        checked: list[Checked] = []
        count = 1
        for number, cells in rows:
            count = number
            if isinstance(cells, RowShape):
                checked.append(Checked(number, None, [Problem(number, "", str(cells))]))
                continue
            values = {key: text_of(value) for key, value in cells.items()}
            kind = values.pop("СекцияДокумент", "")
            checked.append(
                check_document(kind, values, line=number, accounts=(), labels=LABELS, now=lambda: now)
            )
    return Parsed(FileFormat(found), {"format": found}, [], checked, count, now)


# --- the import ----------------------------------------------------------------------------


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            out[key] = str(value)
        elif isinstance(value, datetime | date):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


_DATES = ("doc_date", "written_off", "received")


def _from_json(data: dict[str, Any]) -> dict[str, Any]:
    row = dict(data)
    for key in _DATES:
        if row.get(key):
            row[key] = date.fromisoformat(row[key])
    row["amount"] = Decimal(row["amount"])
    if row.get("classified_at"):
        row["classified_at"] = datetime.fromisoformat(row["classified_at"])
    return row


async def import_mo(session: AsyncSession, principal: Principal, mo_id: uuid.UUID | None) -> uuid.UUID:
    """The MO an import is for: the caller's own (economist, accounting key), or — for a caller
    seeing several MOs — the ``mo_id`` given (in its scope)."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    if mo_id is None:
        if scope.mo_ids is not None and scope.mo_ids == frozenset({principal.org_id}):
            return principal.org_id
        raise InvalidInput("Укажите МО, в которую загружаются документы (параметр mo_id)", field="mo_id")
    scope.ensure(mo_id)
    if mo_id != principal.org_id and await repository.organization_kind(session, mo_id) != "mo":
        raise NotFound("Медицинская организация не найдена")
    return mo_id


async def import_now(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, file_name: str, data: bytes
) -> PaymentImport:
    """A small file read and imported in the request (both phases, audited)."""
    parsed = await asyncio.to_thread(read_file, data)
    imp = await repository.add_import(session, new_import(mo_id, file_name, principal))
    await process(session, imp, parsed)
    await audit_import(session, principal, imp, "import")
    return imp


def new_import(
    mo_id: uuid.UUID, file_name: str, principal: Principal, job_id: uuid.UUID | None = None
) -> PaymentImport:
    return PaymentImport(
        id=uuid.uuid4(),
        mo_id=mo_id,
        job_id=job_id,
        file_name=file_name[:255],
        status="processing",
        created_by=principal.subject,
        header={},
        problems=[],
        warnings=[],
    )


async def process(
    session: AsyncSession, imp: PaymentImport, parsed: Parsed, *, progress: Progress | None = None
) -> PaymentImport:
    """Phase 2 of an import (see the module docstring), in the caller's transaction."""
    imp.file_format = parsed.file_format.value
    imp.header = parsed.header
    warnings = list(parsed.warnings)
    valid: list[tuple[int, dict[str, Any]]] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, date, Decimal, str], int] = {}
    repeated = 0
    invalid = 0
    for item in parsed.checked:
        if item.row is None:
            invalid += 1
            problems.extend(item.problems)
            continue
        first = seen.get(item.key)
        if first is not None:
            repeated += 1
            if len(warnings) < MAX_WARNINGS:
                warnings.append(
                    f"Строка {item.line}: документ № {item.row['doc_number']} от "
                    f"{item.row['doc_date']:%d.%m.%Y} на {item.row['amount']} повторяет документ строки "
                    f"{first} — загружается один раз"
                )
            continue
        seen[item.key] = item.line
        valid.append((item.line, item.row))
    imp.documents = len(parsed.checked)
    imp.valid = len(valid)
    imp.invalid = invalid
    imp.repeated_in_file = repeated
    imp.problems_total = len(problems)
    imp.problems = [
        {"line": p.line, "field": p.field, "message": p.message, "document": p.document}
        for p in problems[:MAX_PROBLEMS]
    ]
    imp.warnings = warnings
    if invalid:
        imp.status = "awaiting_decision"
        await repository.stage_rows(session, imp.id, [(line, _jsonable(row)) for line, row in valid])
        await session.flush()
        return imp
    return await write(session, imp, [row for _, row in valid], progress=progress)


async def write(
    session: AsyncSession,
    imp: PaymentImport,
    rows: Sequence[dict[str, Any]],
    *,
    progress: Progress | None = None,
) -> PaymentImport:
    if progress:
        await progress(0, len(rows), "Запись документов")
    # A savepoint: a locked month found after the insert undoes the insert even where the
    # caller's transaction goes on (the request's is rolled back anyway).
    async with session.begin_nested():
        inserted = await repository.insert_orders(session, imp.mo_id, imp.id, rows)
        await ensure_months_open(session, imp.mo_id, {day for _, day in inserted})
    ids = [order_id for order_id, _ in inserted]
    if progress:
        await progress(len(rows), len(rows), "Классификация")
    await classify(session, ids)
    imp.inserted = len(ids)
    imp.duplicates = len(rows) - len(ids)
    imp.status = "imported"
    await session.flush()
    return imp


async def classify(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    """The classifier (rules first, then the current model) over the new rows, in the
    import's transaction; rows classified in the file (КВФО and КОСГУ given) keep theirs."""
    if ids:
        await classify_payments(session, list(ids))


async def decide(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, *, apply: bool
) -> PaymentImport:
    imp = await visible_import(session, principal, import_id, lock=True)
    if imp.status != "awaiting_decision":
        raise ImportNotWaiting(
            f"Импорт в состоянии «{STATUS_NAMES[imp.status]}»: решение уже принято или не требуется"
        )
    if apply:
        rows = [_from_json(data) for data in await repository.staged_rows(session, imp.id)]
        await write(session, imp, rows)
    else:
        imp.status = "discarded"
    await repository.drop_staged(session, imp.id)
    imp.decided_by = principal.subject
    imp.decided_at = repository.now()
    await audit_import(session, principal, imp, "apply" if apply else "discard")
    return imp


async def audit_import(session: AsyncSession, principal: Principal, imp: PaymentImport, action: str) -> None:
    """Who loaded (or decided) what into which MO: every write of payment orders is audited."""
    reason = (
        f"{imp.file_name}: документов {imp.documents}, записано {imp.inserted}, уже были {imp.duplicates}, "
        f"с ошибками {imp.invalid}, состояние {STATUS_NAMES[imp.status]}"
    )
    await audit_access(session, principal, action=action, resource=f"payment_import:{imp.id}", reason=reason)


STATUS_NAMES = {
    "processing": "обрабатывается",
    "awaiting_decision": "ждёт решения",
    "imported": "загружен",
    "discarded": "отменён",
    "failed": "ошибка",
}


async def visible_import(
    session: AsyncSession, principal: Principal, import_id: uuid.UUID, *, lock: bool = False
) -> PaymentImport:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    imp = await repository.get_import(session, import_id, scope=scope, lock=lock)
    if imp is None or not scope.sees(imp.mo_id):
        raise NotFound("Импорт не найден")
    return imp


def import_read(imp: PaymentImport) -> PaymentImportRead:
    return PaymentImportRead.model_validate(imp)


async def list_imports(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID | None, paging: PageParams
) -> Page[PaymentImportSummary]:
    scope = await order_scope(session, principal, mo_id)
    rows, total = await repository.list_imports(session, scope, mo_id, paging.limit, paging.offset)
    items = [PaymentImportSummary.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


# --- payment orders ------------------------------------------------------------------------


async def order_scope(session: AsyncSession, principal: Principal, mo_id: uuid.UUID | None) -> MoScope:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    if mo_id is not None:
        scope.ensure(mo_id)
    return scope


async def list_orders(
    session: AsyncSession, principal: Principal, f: OrderFilter, order_by: Sequence[Any], paging: PageParams
) -> Page[PaymentOrderRead]:
    scope = await order_scope(session, principal, f.mo_id)
    rows, total = await repository.page_of_orders(session, scope, f, order_by, paging.limit, paging.offset)
    items = [PaymentOrderRead.model_validate(r) for r in rows]
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


async def get_order(session: AsyncSession, principal: Principal, order_id: uuid.UUID) -> PaymentOrderRead:
    scope = await order_scope(session, principal, None)
    order = await repository.get_order(session, order_id)
    if order is None or not scope.sees(order.mo_id):
        raise NotFound("Платёжное поручение не найдено")
    return PaymentOrderRead.model_validate(order)


def out_document(order: PaymentOrder) -> onec.OutDocument:
    return onec.OutDocument(
        kind=order.doc_kind,
        number=order.doc_number,
        day=order.doc_date,
        amount=order.amount,
        payer_name=order.payer_name,
        payer_inn=order.payer_inn,
        payer_kpp=order.payer_kpp,
        payer_account=order.payer_account,
        payer_bik=order.payer_bik,
        payee_name=order.payee_name,
        payee_inn=order.payee_inn,
        payee_kpp=order.payee_kpp,
        payee_account=order.payee_account,
        payee_bik=order.payee_bik,
        purpose=order.purpose,
        kbk=order.kbk,
        written_off=order.written_off,
        received=order.received,
        kvfo=order.kvfo,
        kosgu=order.kosgu,
    )


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {
    FileFormat.onec: "text/plain; charset=windows-1251",
    FileFormat.csv: "text/csv; charset=utf-8",
    FileFormat.xlsx: XLSX,
}
SUFFIXES = {FileFormat.onec: "txt", FileFormat.csv: "csv", FileFormat.xlsx: "xlsx"}


def render(orders: Sequence[PaymentOrder], file_format: FileFormat, *, today: date) -> bytes:
    if file_format is FileFormat.onec:
        accounts = sorted({o.account for o in orders})
        days = [o.doc_date for o in orders] or [today]
        return onec.write(
            (out_document(o) for o in orders),
            accounts=accounts,
            period=(min(days), max(days)),
            created=today,
        )
    rows = [{c.key: getattr(o, c.key) for c in PaymentOrder.__table__.columns} for o in orders]
    return write_csv(rows) if file_format is FileFormat.csv else write_xlsx(rows)


async def export_orders(
    session: AsyncSession,
    principal: Principal,
    f: OrderFilter,
    order_by: Sequence[Any],
    file_format: FileFormat,
) -> tuple[bytes, str]:
    scope = await order_scope(session, principal, f.mo_id)
    total = await repository.count_orders(session, scope, f)
    if total > EXPORT_MAX_ROWS:
        raise InvalidInput(
            f"Под условия подходит {total} документов, выгружается не больше {EXPORT_MAX_ROWS}: "
            "сузьте период или фильтр"
        )
    orders = await repository.orders_for_export(session, scope, f, order_by)
    await audit_access(
        session,
        principal,
        action="export",
        resource=f"payment_orders.{SUFFIXES[file_format]}",
        reason=f"{len(orders)} документов",
    )
    today = date.today()
    name = f"payment-orders-{today.isoformat()}.{SUFFIXES[file_format]}"
    return render(orders, file_format, today=today), name


def template(file_format: FileFormat) -> bytes:
    if file_format is FileFormat.xlsx:
        return write_xlsx([])
    if file_format is FileFormat.csv:
        return write_csv([])
    raise InvalidInput("Шаблон есть в форматах csv и xlsx", field="format")
