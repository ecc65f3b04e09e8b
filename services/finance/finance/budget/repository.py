"""SQL of the collected data: the cells of an MO's month or year, the payment orders behind
expense cells, the MOs a scope sees, writes of cells and the template uploads."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, and_, delete, func, or_, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from finance.budget.cells import Cell
from finance.models import BudgetEntry, BudgetUpload, MoProfile, Organization, PaymentOrder, PeriodLock
from finance.months import next_month
from finance.scope import MoScope


class BudgetRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mo_name(self, mo_id: uuid.UUID) -> str | None:
        org = await self.session.get(Organization, mo_id)
        return org.name if org else None

    async def mos(self, scope: MoScope) -> Sequence[Row[Any]]:
        founder = aliased(Organization)
        last = (
            select(BudgetEntry.mo_id, func.max(BudgetEntry.month).label("last_month"))
            .group_by(BudgetEntry.mo_id)
            .subquery()
        )
        stmt = (
            select(
                Organization.id,
                Organization.code,
                Organization.name,
                MoProfile.legal_form,
                MoProfile.founder_id,
                founder.name.label("founder_name"),
                MoProfile.beds,
                MoProfile.attached_persons,
                last.c.last_month,
            )
            .outerjoin(MoProfile, MoProfile.mo_id == Organization.id)
            .outerjoin(founder, founder.id == MoProfile.founder_id)
            .outerjoin(last, last.c.mo_id == Organization.id)
            .where(Organization.kind == "mo")
            .order_by(Organization.code, Organization.name)
        )
        return (await self.session.execute(scope.filter(stmt, Organization.id))).all()

    async def month_cells(self, mo_id: uuid.UUID, month: date) -> list[BudgetEntry]:
        rows = await self.session.scalars(
            select(BudgetEntry)
            .where(BudgetEntry.mo_id == mo_id, BudgetEntry.month == month)
            .order_by(BudgetEntry.flow, BudgetEntry.kosgu, BudgetEntry.kvfo)
        )
        return list(rows)

    async def payment_sums(self, mo_id: uuid.UUID, month: date) -> dict[tuple[int, str], Decimal]:
        """Classified outgoing payment orders of the month by (КВФО, КОСГУ)."""
        rows = await self.session.execute(
            select(PaymentOrder.kvfo, PaymentOrder.kosgu, func.sum(PaymentOrder.amount))
            .where(
                PaymentOrder.mo_id == mo_id,
                PaymentOrder.direction == "out",
                PaymentOrder.doc_date >= month,
                PaymentOrder.doc_date < next_month(month),
                PaymentOrder.kvfo.is_not(None),
                PaymentOrder.kosgu.is_not(None),
            )
            .group_by(PaymentOrder.kvfo, PaymentOrder.kosgu)
        )
        return {
            (kvfo, kosgu): Decimal(total)
            for kvfo, kosgu, total in rows
            if kvfo is not None and kosgu is not None
        }

    async def locks(self, mo_id: uuid.UUID, start: date, end: date) -> list[PeriodLock]:
        rows = await self.session.scalars(
            select(PeriodLock)
            .where(PeriodLock.mo_id == mo_id, PeriodLock.month >= start, PeriodLock.month < end)
            .order_by(PeriodLock.month)
        )
        return list(rows)

    async def year_cells(self, mo_id: uuid.UUID, year: int) -> list[BudgetEntry]:
        rows = await self.session.scalars(
            select(BudgetEntry).where(
                BudgetEntry.mo_id == mo_id,
                BudgetEntry.month >= date(year, 1, 1),
                BudgetEntry.month < date(year + 1, 1, 1),
            )
        )
        return list(rows)

    async def consolidated(self, scope: MoScope, year: int) -> tuple[int, Sequence[Row[Any]]]:
        where = and_(BudgetEntry.month >= date(year, 1, 1), BudgetEntry.month < date(year + 1, 1, 1))
        query: Any = (
            select(
                BudgetEntry.month,
                BudgetEntry.flow,
                BudgetEntry.kvfo,
                BudgetEntry.kosgu,
                func.sum(BudgetEntry.planned).label("planned"),
                func.sum(BudgetEntry.actual).label("actual"),
            )
            .where(where)
            .group_by(BudgetEntry.month, BudgetEntry.flow, BudgetEntry.kvfo, BudgetEntry.kosgu)
        )
        sums = scope.filter(query, BudgetEntry.mo_id)
        mos = await self.session.scalar(
            scope.filter(select(func.count(func.distinct(BudgetEntry.mo_id))).where(where), BudgetEntry.mo_id)
        )
        return int(mos or 0), (await self.session.execute(sums)).all()

    async def replace_month(
        self, mo_id: uuid.UUID, month: date, cells: Sequence[Cell], *, source: str, by: str
    ) -> None:
        """The month's cells become ``cells``: others deleted, changed ones updated (their
        author and time), unchanged ones left as they were."""
        stale = delete(BudgetEntry).where(BudgetEntry.mo_id == mo_id, BudgetEntry.month == month)
        if cells:
            keys = [c.key for c in cells]
            stale = stale.where(tuple_(BudgetEntry.flow, BudgetEntry.kvfo, BudgetEntry.kosgu).not_in(keys))
        await self.session.execute(stale)
        await self.upsert(mo_id, [(month, c) for c in cells], source=source, by=by)

    async def upsert(
        self, mo_id: uuid.UUID, cells: Iterable[tuple[date, Cell]], *, source: str, by: str
    ) -> None:
        rows = [
            {
                "id": uuid.uuid4(),
                "mo_id": mo_id,
                "month": month,
                "flow": c.flow,
                "kvfo": c.kvfo,
                "kosgu": c.kosgu,
                "planned": c.planned,
                "actual": c.actual,
                "source": source,
                "updated_by": by,
            }
            for month, c in cells
        ]
        if not rows:
            return
        stmt = pg_insert(BudgetEntry)
        stmt = stmt.on_conflict_do_update(
            constraint="uq_budget_entry_cell",
            set_={
                "planned": stmt.excluded.planned,
                "actual": stmt.excluded.actual,
                "source": stmt.excluded.source,
                "updated_by": stmt.excluded.updated_by,
                "updated_at": func.now(),
            },
            where=or_(
                BudgetEntry.planned.is_distinct_from(stmt.excluded.planned),
                BudgetEntry.actual.is_distinct_from(stmt.excluded.actual),
            ),
        )
        await self.session.execute(stmt, rows)

    # ------------------------------------------------------------ uploads

    async def add_upload(self, upload: BudgetUpload) -> BudgetUpload:
        self.session.add(upload)
        await self.session.flush()
        return upload

    async def upload(
        self, mo_id: uuid.UUID, upload_id: uuid.UUID, *, for_update: bool = False
    ) -> BudgetUpload | None:
        stmt = select(BudgetUpload).where(BudgetUpload.id == upload_id, BudgetUpload.mo_id == mo_id)
        if for_update:
            stmt = stmt.with_for_update()
        return (await self.session.scalars(stmt)).one_or_none()

    async def uploads(self, mo_id: uuid.UUID, limit: int = 20) -> list[BudgetUpload]:
        rows = await self.session.scalars(
            select(BudgetUpload)
            .where(BudgetUpload.mo_id == mo_id)
            .order_by(BudgetUpload.created_at.desc())
            .limit(limit)
        )
        return list(rows)
