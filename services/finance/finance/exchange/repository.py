"""All SQL of the exchange: payment orders (written idempotently, listed with filters) and
imports with their waiting documents."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, delete, func, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import Organization, PaymentImport, PaymentImportRow, PaymentOrder
from finance.scope import MoScope

INSERT_BATCH = 5_000
STAGE_BATCH = 5_000
# The columns a document brings, with their PostgreSQL types (one array parameter each).
_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "uuid"),
    ("direction", "text"),
    ("doc_kind", "text"),
    ("doc_number", "text"),
    ("doc_date", "date"),
    ("amount", "numeric"),
    ("account", "text"),
    ("payer_name", "text"),
    ("payer_inn", "text"),
    ("payer_kpp", "text"),
    ("payer_account", "text"),
    ("payer_bik", "text"),
    ("payee_name", "text"),
    ("payee_inn", "text"),
    ("payee_kpp", "text"),
    ("payee_account", "text"),
    ("payee_bik", "text"),
    ("purpose", "text"),
    ("kbk", "text"),
    ("written_off", "date"),
    ("received", "date"),
    ("kvfo", "smallint"),
    ("kosgu", "text"),
    ("classified_by", "text"),
    ("confidence", "float8"),
    ("needs_review", "boolean"),
    ("classified_at", "timestamptz"),
)
_NAMES = ", ".join(name for name, _ in _COLUMNS)
_ARRAYS = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _COLUMNS)
# Built from the constant column list above; every value is a bound parameter.
_INSERT = text(
    f"INSERT INTO payment_order (mo_id, import_id, {_NAMES}) "  # noqa: S608
    f"SELECT CAST(:mo_id AS uuid), CAST(:import_id AS uuid), u.* FROM unnest({_ARRAYS}) AS u({_NAMES}) "
    "ON CONFLICT ON CONSTRAINT uq_payment_order_document DO NOTHING RETURNING id, doc_date"
)


async def insert_orders(
    session: AsyncSession, mo_id: uuid.UUID, import_id: uuid.UUID | None, rows: Sequence[dict[str, Any]]
) -> list[tuple[uuid.UUID, date]]:
    """Insert the documents (one ``INSERT … SELECT FROM unnest(arrays)`` per batch: a statement
    of fixed shape, prepared once); one already there (same MO, number, date, amount and
    account) is skipped. The (id, date) of the rows actually inserted."""
    inserted: list[tuple[uuid.UUID, date]] = []
    for start in range(0, len(rows), INSERT_BATCH):
        batch = rows[start : start + INSERT_BATCH]
        params: dict[str, Any] = {"mo_id": mo_id, "import_id": import_id}
        params["id"] = [uuid.uuid4() for _ in batch]
        for name, _ in _COLUMNS[1:]:
            params[name] = [row.get(name) for row in batch]
        result = await session.execute(_INSERT, params)
        inserted.extend((row.id, row.doc_date) for row in result)
    return inserted


async def add_import(session: AsyncSession, row: PaymentImport) -> PaymentImport:
    session.add(row)
    await session.flush()
    return row


async def get_import(
    session: AsyncSession, import_id: uuid.UUID, *, scope: MoScope | None = None, lock: bool = False
) -> PaymentImport | None:
    """``scope``: only an import of an MO in it (another MO's is never locked); the job, run
    for the import's own MO, reads it without one."""
    stmt = select(PaymentImport).where(PaymentImport.id == import_id)
    if scope is not None:
        stmt = scope.filter(stmt, PaymentImport.mo_id)
    if lock:
        stmt = stmt.with_for_update()
    found: PaymentImport | None = (await session.scalars(stmt)).first()
    return found


async def list_imports(
    session: AsyncSession, scope: MoScope, mo_id: uuid.UUID | None, limit: int, offset: int
) -> tuple[list[PaymentImport], int]:
    stmt = scope.filter(select(PaymentImport), PaymentImport.mo_id)
    if mo_id is not None:
        stmt = stmt.where(PaymentImport.mo_id == mo_id)
    total = await session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = await session.scalars(
        stmt.order_by(PaymentImport.created_at.desc(), PaymentImport.id).limit(limit).offset(offset)
    )
    return list(rows), int(total or 0)


async def stage_rows(
    session: AsyncSession, import_id: uuid.UUID, rows: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    for start in range(0, len(rows), STAGE_BATCH):
        batch = rows[start : start + STAGE_BATCH]
        await session.execute(
            insert(PaymentImportRow),
            [{"import_id": import_id, "line": line, "data": data} for line, data in batch],
        )


async def staged_rows(session: AsyncSession, import_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.scalars(
        select(PaymentImportRow.data)
        .where(PaymentImportRow.import_id == import_id)
        .order_by(PaymentImportRow.line)
    )
    return list(rows)


async def drop_staged(session: AsyncSession, import_id: uuid.UUID) -> None:
    await session.execute(delete(PaymentImportRow).where(PaymentImportRow.import_id == import_id))


# --- payment orders ------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderFilter:
    mo_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    direction: str | None = None
    counterparty: str | None = None  # ИНН (digits) or a part of the name
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    kvfo: int | None = None
    kosgu: str | None = None
    needs_review: bool | None = None
    classified: bool | None = None
    q: str | None = None  # a part of the purpose text
    import_id: uuid.UUID | None = None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def counterparty_name() -> Any:
    from sqlalchemy import case

    return case((PaymentOrder.direction == "out", PaymentOrder.payee_name), else_=PaymentOrder.payer_name)


def orders_query(scope: MoScope, f: OrderFilter) -> Select[Any]:
    stmt = scope.filter(select(PaymentOrder), PaymentOrder.mo_id)
    conditions: list[Any] = []
    if f.mo_id is not None:
        conditions.append(PaymentOrder.mo_id == f.mo_id)
    if f.date_from is not None:
        conditions.append(PaymentOrder.doc_date >= f.date_from)
    if f.date_to is not None:
        conditions.append(PaymentOrder.doc_date <= f.date_to)
    if f.direction is not None:
        conditions.append(PaymentOrder.direction == f.direction)
    if f.counterparty:
        wanted = f.counterparty.strip()
        if wanted.isdigit():
            conditions.append(
                or_(
                    (PaymentOrder.direction == "out") & (PaymentOrder.payee_inn == wanted),
                    (PaymentOrder.direction == "in") & (PaymentOrder.payer_inn == wanted),
                )
            )
        else:
            conditions.append(counterparty_name().ilike(_like(wanted), escape="\\"))
    if f.amount_min is not None:
        conditions.append(PaymentOrder.amount >= f.amount_min)
    if f.amount_max is not None:
        conditions.append(PaymentOrder.amount <= f.amount_max)
    if f.kvfo is not None:
        conditions.append(PaymentOrder.kvfo == f.kvfo)
    if f.kosgu is not None:
        conditions.append(PaymentOrder.kosgu == f.kosgu)
    if f.needs_review is not None:
        conditions.append(PaymentOrder.needs_review.is_(f.needs_review))
    if f.classified is not None:
        conditions.append(PaymentOrder.kosgu.is_not(None) if f.classified else PaymentOrder.kosgu.is_(None))
    if f.q:
        conditions.append(PaymentOrder.purpose.ilike(_like(f.q.strip()), escape="\\"))
    if f.import_id is not None:
        conditions.append(PaymentOrder.import_id == f.import_id)
    return stmt.where(*conditions) if conditions else stmt


async def page_of_orders(
    session: AsyncSession, scope: MoScope, f: OrderFilter, order_by: Sequence[Any], limit: int, offset: int
) -> tuple[list[PaymentOrder], int]:
    stmt = orders_query(scope, f)
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = await session.scalars(stmt.order_by(*order_by, PaymentOrder.id).limit(limit).offset(offset))
    return [row for row in rows], int(total or 0)


async def count_orders(session: AsyncSession, scope: MoScope, f: OrderFilter) -> int:
    stmt = orders_query(scope, f)
    return int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


async def orders_for_export(
    session: AsyncSession, scope: MoScope, f: OrderFilter, order_by: Sequence[Any]
) -> list[PaymentOrder]:
    rows = await session.scalars(orders_query(scope, f).order_by(*order_by, PaymentOrder.id))
    return [row for row in rows]


async def get_order(session: AsyncSession, order_id: uuid.UUID) -> PaymentOrder | None:
    return await session.get(PaymentOrder, order_id)


def now() -> datetime:
    return datetime.now().astimezone()


async def organization_kind(session: AsyncSession, org_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Organization.kind).where(Organization.id == org_id))
