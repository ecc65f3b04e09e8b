"""The collected data of MOs (issue 6, «Data collected from MOs»): reading and writing an MO's
month of cells, its year's grid, the consolidated figures, and template file uploads.

Scoping (``finance.scope``): one MO's figures only for a caller whose scope holds it (another
MO → 404), never to FOMS (403: consolidated only). Locked months (``finance.budget.locks``)
refuse every write with 409 before anything is written. Writes are audited."""

from __future__ import annotations

import asyncio
import tempfile
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.budget import xlsx
from finance.budget.cells import Cell, CellErrors, cell_label, check_cell
from finance.budget.codes import FLOW_NAMES, FLOWS, KOSGU, KVFO
from finance.budget.locks import ensure_months_open
from finance.budget.repository import BudgetRepository
from finance.budget.schemas import (
    BudgetCellIn,
    BudgetCellRead,
    BudgetConsolidatedRead,
    BudgetGridRow,
    BudgetLastChange,
    BudgetMonthRead,
    BudgetUploadProblem,
    BudgetUploadRead,
    BudgetYearRead,
    ClassifiersRead,
    FlowRead,
    KosguRead,
    KvfoRead,
    MoRead,
)
from finance.budget.template import read_template, template_csv
from finance.models import BudgetUpload
from finance.months import month_label, month_text, next_month
from finance.scope import FOUNDER_ROLES, MoScope, ensure_mo, mo_scope
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, InvalidInput, NotFound
from oms_kit.tables import NotATable

FLOW_ORDER: dict[str, int] = {flow: i for i, flow in enumerate(FLOWS)}
MAX_UPLOAD = 5 * 1024 * 1024


def source_of(principal: Principal) -> str:
    """``api`` for an accounting system's API key, ``manual`` for a person."""
    return "api" if principal.kind == "api_key" else "manual"


def classifiers() -> ClassifiersRead:
    return ClassifiersRead(
        flows=[FlowRead(code=code, name=name) for code, name in FLOW_NAMES.items()],
        kvfo=[KvfoRead(code=code, name=name) for code, name in KVFO.items()],
        kosgu=[
            KosguRead(code=k.code, name=k.name, flow=k.flow, group=k.group, cmi_allowed=k.cmi_allowed)
            for k in KOSGU.values()
        ],
    )


async def _mo(session: AsyncSession, principal: Principal, mo_id: uuid.UUID) -> MoScope:
    """The caller's scope, once it is known they may see this MO's own figures."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    await ensure_mo(session, scope, mo_id)
    return scope


async def list_mos(session: AsyncSession, principal: Principal) -> list[MoRead]:
    """The MOs whose figures the caller sees. FOMS sees consolidated figures only: 403."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    rows = await BudgetRepository(session).mos(scope)
    return [
        MoRead(
            id=r.id,
            code=r.code,
            name=r.name,
            legal_form=r.legal_form,
            founder_id=r.founder_id,
            founder_name=r.founder_name,
            beds=r.beds,
            attached_persons=r.attached_persons,
            last_month=month_text(r.last_month) if r.last_month else None,
        )
        for r in rows
    ]


def _sort_key(flow: str, kosgu: str, kvfo: int) -> tuple[int, str, int]:
    return (FLOW_ORDER.get(flow, 9), kosgu, kvfo)


async def get_month(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, month: date
) -> BudgetMonthRead:
    await _mo(session, principal, mo_id)
    return await _month(session, mo_id, month)


async def _month(session: AsyncSession, mo_id: uuid.UUID, month: date) -> BudgetMonthRead:
    repo = BudgetRepository(session)
    entries = await repo.month_cells(mo_id, month)
    payments = await repo.payment_sums(mo_id, month)
    locks = await repo.locks(mo_id, month, next_month(month))
    cells: list[BudgetCellRead] = []
    for e in entries:
        paid = payments.pop((e.kvfo, e.kosgu), Decimal("0.00")) if e.flow == "expense" else None
        cells.append(
            BudgetCellRead(
                flow=e.flow,
                kvfo=e.kvfo,
                kosgu=e.kosgu,
                planned=e.planned,
                actual=e.actual,
                entered=True,
                payments=paid,
                difference=None if paid is None else e.actual - paid,
                source=e.source,
                updated_by=e.updated_by,
                updated_at=e.updated_at,
            )
        )
    for (kvfo, kosgu), paid in payments.items():  # paid, but no figure entered for the cell
        if kvfo in KVFO and kosgu in KOSGU and KOSGU[kosgu].flow == "expense":
            cells.append(
                BudgetCellRead(
                    flow="expense",
                    kvfo=kvfo,
                    kosgu=kosgu,
                    planned=None,
                    actual=Decimal("0.00"),
                    entered=False,
                    payments=paid,
                    difference=-paid,
                    source=None,
                    updated_by=None,
                    updated_at=None,
                )
            )
    cells.sort(key=lambda c: _sort_key(c.flow, c.kosgu, c.kvfo))
    last = max(entries, key=lambda e: e.updated_at, default=None)
    return BudgetMonthRead(
        mo_id=mo_id,
        month=month_text(month),
        locked=bool(locks),
        lock_reason=locks[0].reason if locks else None,
        cells=cells,
        last_change=BudgetLastChange(by=last.updated_by, at=last.updated_at, source=last.source)
        if last
        else None,
    )


def _checked(cells: Sequence[BudgetCellIn]) -> list[Cell]:
    good: list[Cell] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, int, str], int] = {}
    for i, raw in enumerate(cells):
        label = cell_label(raw.flow, raw.kvfo, raw.kosgu)
        cell, problems = check_cell(raw.flow, raw.kvfo, raw.kosgu, raw.planned, raw.actual)
        for p in problems:
            errors.append(_error(i, p.field, p.message, label, raw))
        if cell is None:
            continue
        if cell.key in seen:
            errors.append(
                _error(i, "kosgu", f"ячейка повторяется (уже в позиции {seen[cell.key] + 1})", label, raw)
            )
            continue
        seen[cell.key] = i
        good.append(cell)
    if errors:
        raise CellErrors(errors)
    return good


def _error(index: int, field: str, message: str, label: str, raw: BudgetCellIn) -> dict[str, Any]:
    return {
        "field": f"body.{index}.{field}",
        "message": message,
        "type": "invalid-cell",
        "index": index,
        "cell": label,
        "flow": raw.flow,
        "kvfo": str(raw.kvfo),
        "kosgu": str(raw.kosgu),
        "column": field,
    }


async def put_month(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, month: date, body: Sequence[BudgetCellIn]
) -> BudgetMonthRead:
    """The month's cells become the body's (cells left out are removed). Every bad cell in one
    422; a locked month 409; nothing written in either case."""
    await _mo(session, principal, mo_id)
    cells = _checked(body)
    await ensure_months_open(session, mo_id, [month])
    await BudgetRepository(session).replace_month(
        mo_id, month, cells, source=source_of(principal), by=principal.subject
    )
    await audit_access(
        session,
        principal,
        action="update",
        resource=f"budget:{mo_id}:{month_text(month)}",
        reason=f"{len(cells)} ячеек, источник {source_of(principal)}",
    )
    await session.flush()
    session.expire_all()
    return await _month(session, mo_id, month)


def _grid(
    entries: Sequence[tuple[date, str, int, str, Decimal | None, Decimal | None]], year: int
) -> list[BudgetGridRow]:
    planned: dict[tuple[str, int, str], list[Decimal | None]] = defaultdict(lambda: [None] * 12)
    actual: dict[tuple[str, int, str], list[Decimal | None]] = defaultdict(lambda: [None] * 12)
    for month, flow, kvfo, kosgu, plan, fact in entries:
        if month.year != year:
            continue
        key = (flow, kvfo, kosgu)
        planned[key][month.month - 1] = plan
        actual[key][month.month - 1] = fact
    return [
        BudgetGridRow(flow=flow, kvfo=kvfo, kosgu=kosgu, planned=planned[key], actual=actual[key])
        for key in sorted(actual, key=lambda k: _sort_key(k[0], k[2], k[1]))
        for flow, kvfo, kosgu in [key]
    ]


def _months(year: int) -> list[str]:
    return [f"{year}-{m:02d}" for m in range(1, 13)]


async def get_year(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, year: int
) -> BudgetYearRead:
    await _mo(session, principal, mo_id)
    repo = BudgetRepository(session)
    entries = await repo.year_cells(mo_id, year)
    locks = await repo.locks(mo_id, date(year, 1, 1), date(year + 1, 1, 1))
    return BudgetYearRead(
        mo_id=mo_id,
        year=year,
        months=_months(year),
        locked_months=[month_text(lock.month) for lock in locks],
        rows=_grid([(e.month, e.flow, e.kvfo, e.kosgu, e.planned, e.actual) for e in entries], year),
    )


async def consolidated(session: AsyncSession, principal: Principal, year: int) -> BudgetConsolidatedRead:
    """The sum over the MOs in the caller's scope: the region (territorial fund, FOMS), the
    founded MOs (health authority), the own MO (an MO)."""
    scope = await mo_scope(session, principal)
    mos, rows = await BudgetRepository(session).consolidated(scope, year)
    kind = "region" if scope.whole_region else ("founded" if principal.roles & FOUNDER_ROLES else "own")
    return BudgetConsolidatedRead(
        year=year,
        scope=kind,
        mos=mos,
        months=_months(year),
        rows=_grid([(r.month, r.flow, r.kvfo, r.kosgu, r.planned, r.actual) for r in rows], year),
    )


async def month_xlsx(session: AsyncSession, principal: Principal, mo_id: uuid.UUID, month: date) -> bytes:
    data = await get_month(session, principal, mo_id, month)
    name = await _mo_name(session, mo_id)
    await audit_access(
        session, principal, action="export", resource=f"budget:{mo_id}:{month_text(month)}.xlsx"
    )
    return await asyncio.to_thread(xlsx.month_book, name, data)


async def year_xlsx(session: AsyncSession, principal: Principal, mo_id: uuid.UUID, year: int) -> bytes:
    data = await get_year(session, principal, mo_id, year)
    name = await _mo_name(session, mo_id)
    await audit_access(session, principal, action="export", resource=f"budget:{mo_id}:{year}.xlsx")
    return await asyncio.to_thread(xlsx.year_book, name, year, data.rows, data.locked_months)


CONSOLIDATED_TITLES = {
    "region": "Сводно по региону",
    "founded": "Сводно по подведомственным МО",
    "own": "Своя медицинская организация",
}


async def consolidated_xlsx(session: AsyncSession, principal: Principal, year: int) -> bytes:
    data = await consolidated(session, principal, year)
    await audit_access(session, principal, action="export", resource=f"budget:consolidated:{year}.xlsx")
    title = f"{CONSOLIDATED_TITLES[data.scope]} (МО с данными: {data.mos})"
    return await asyncio.to_thread(xlsx.year_book, title, year, data.rows, [])


async def _mo_name(session: AsyncSession, mo_id: uuid.UUID) -> str:
    return await BudgetRepository(session).mo_name(mo_id) or str(mo_id)


# ---------------------------------------------------------------- template uploads


def _upload_read(upload: BudgetUpload) -> BudgetUploadRead:
    return BudgetUploadRead(
        id=upload.id,
        mo_id=upload.mo_id,
        file_name=upload.file_name,
        file_format=upload.file_format,
        status=upload.status,
        lines=upload.lines,
        valid=upload.valid,
        invalid=upload.invalid,
        imported=upload.imported,
        months=list(upload.months),
        problems=[BudgetUploadProblem(**p) for p in upload.problems],
        created_by=upload.created_by,
        created_at=upload.created_at,
        decided_by=upload.decided_by,
        decided_at=upload.decided_at,
    )


def _stored(month: date, cell: Cell, line: int) -> dict[str, Any]:
    return {
        "line": line,
        "month": month.isoformat(),
        "flow": cell.flow,
        "kvfo": cell.kvfo,
        "kosgu": cell.kosgu,
        "planned": None if cell.planned is None else str(cell.planned),
        "actual": str(cell.actual),
    }


def _restored(data: dict[str, Any]) -> tuple[date, Cell]:
    planned = data["planned"]
    return date.fromisoformat(data["month"]), Cell(
        data["flow"],
        int(data["kvfo"]),
        data["kosgu"],
        None if planned is None else Decimal(planned),
        Decimal(data["actual"]),
    )


async def upload(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID,
    file_name: str,
    content: AsyncIterator[bytes],
) -> BudgetUploadRead:
    """Read a template file and check every line. All valid → the cells are written now
    (``imported``); any bad line → nothing is written, the report and the valid lines wait for
    the user's choice (``awaiting_decision``). Lines in a locked month are bad lines."""
    await _mo(session, principal, mo_id)
    with tempfile.TemporaryDirectory(prefix="budget-upload-") as tmp:
        path = Path(tmp) / "upload"
        size = 0
        with path.open("wb") as out:
            async for chunk in content:
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise InvalidInput("Файл больше 5 МБ: шаблон доходов и расходов не бывает таким большим")
                out.write(chunk)
        if size == 0:
            raise InvalidInput("Файл пуст")
        try:
            parsed = await asyncio.to_thread(read_template, path)
        except NotATable as exc:
            raise InvalidInput(str(exc), field="file") from exc
    if parsed.lines == 0:
        raise InvalidInput("В файле нет строк с данными, только заголовок", field="file")
    locked = {
        lock.month
        for lock in await BudgetRepository(session).locks(
            mo_id, min((line.month for line in parsed.valid), default=date(2000, 1, 1)), date(2101, 1, 1)
        )
    }
    valid = []
    for line in parsed.valid:
        if line.month in locked:
            parsed.problem(
                line.line,
                "month",
                f"период закрыт: {month_label(line.month)}, изменения не принимаются",
                f"{month_text(line.month)} · {cell_label(line.cell.flow, line.cell.kvfo, line.cell.kosgu)}",
            )
        else:
            valid.append(line)
    parsed.problems.sort(key=lambda p: p["line"])
    months = sorted({month_text(line.month) for line in valid})
    record = BudgetUpload(
        id=uuid.uuid4(),
        mo_id=mo_id,
        file_name=file_name[:255],
        file_format=parsed.format,
        status="awaiting_decision" if parsed.invalid_lines else "imported",
        lines=parsed.lines,
        valid=len(valid),
        invalid=len(parsed.invalid_lines),
        imported=0,
        problems=parsed.problems[:1000],
        cells=[_stored(line.month, line.cell, line.line) for line in valid] if parsed.invalid_lines else [],
        months=months,
        created_by=principal.subject,
    )
    if not parsed.invalid_lines:
        await _write(session, principal, mo_id, [(line.month, line.cell) for line in valid])
        record.imported = len(valid)
        record.decided_by = principal.subject
        record.decided_at = datetime.now(UTC)
    await BudgetRepository(session).add_upload(record)
    await audit_access(
        session,
        principal,
        action="import",
        resource=f"budget:{mo_id}:upload:{record.id}",
        reason=(
            f"{file_name}: строк {parsed.lines}, верных {len(valid)}, с ошибками {len(parsed.invalid_lines)}"
        ),
    )
    await session.refresh(record)
    return _upload_read(record)


async def _write(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, cells: list[tuple[date, Cell]]
) -> None:
    await ensure_months_open(session, mo_id, [month for month, _ in cells])
    await BudgetRepository(session).upsert(mo_id, cells, source="file", by=principal.subject)


async def get_upload(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, upload_id: uuid.UUID
) -> BudgetUploadRead:
    await _mo(session, principal, mo_id)
    found = await BudgetRepository(session).upload(mo_id, upload_id)
    if found is None:
        raise NotFound("Загрузка не найдена")
    return _upload_read(found)


async def list_uploads(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID
) -> list[BudgetUploadRead]:
    await _mo(session, principal, mo_id)
    return [_upload_read(u) for u in await BudgetRepository(session).uploads(mo_id)]


async def decide_upload(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, upload_id: uuid.UUID, *, apply: bool
) -> BudgetUploadRead:
    """The user's choice on a partly bad file: import its valid lines, or drop it. A month
    locked since the upload refuses the whole import (409)."""
    await _mo(session, principal, mo_id)
    found = await BudgetRepository(session).upload(mo_id, upload_id, for_update=True)
    if found is None:
        raise NotFound("Загрузка не найдена")
    if found.status != "awaiting_decision":
        state = "уже загружена" if found.status == "imported" else "уже отменена"
        raise Conflict(f"Загрузка {state}")
    if apply:
        cells = [_restored(c) for c in found.cells]
        await _write(session, principal, mo_id, cells)
        found.imported = len(cells)
        found.status = "imported"
    else:
        found.status = "discarded"
    found.cells = []
    found.decided_by = principal.subject
    found.decided_at = datetime.now(UTC)
    await audit_access(
        session,
        principal,
        action="import" if apply else "discard",
        resource=f"budget:{mo_id}:upload:{upload_id}",
        reason=f"загружены только верные строки: {found.imported}" if apply else "загрузка отменена",
    )
    await session.flush()
    return _upload_read(found)


def template(fmt: str) -> bytes:
    """The empty template with example lines (docs/formats.md)."""
    return template_csv() if fmt == "csv" else xlsx.template_book()
