"""SQL of the deviation search: the figures it needs summed by PostgreSQL (one GROUP BY query
each), the findings upserted by (MO, month, kind, metric), the list and the acknowledgement."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, and_, cast, delete, func, literal_column, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.budget.codes import CMI_KVFO, KOSGU, MEDICINE_CODES, WAGE_CODES
from finance.deviations.detect import FIXED_ASSET_LIMIT, FIXED_ASSET_MAX, Finding, FixedAssets, Profile
from finance.models import BudgetEntry, Deviation, MoProfile, Organization, PaymentOrder
from finance.scope import MoScope

NOT_ALLOWED = sorted(
    code for code, item in KOSGU.items() if item.flow == "expense" and item.cmi_allowed == "no"
)
BATCH = 1000
SEARCH_LOCK = 0x66696E646576  # «findev»: the advisory lock of the deviation search
Figures = dict[tuple[uuid.UUID, date], dict[str, Decimal]]


def _sum(*where: Any) -> Any:
    return func.coalesce(func.sum(BudgetEntry.actual).filter(and_(*where)), 0)


_EXPENSE = BudgetEntry.flow == "expense"
_CMI = BudgetEntry.kvfo == CMI_KVFO
# metric → the cells it sums (the names ``detect`` reads)
_METRICS: dict[str, Any] = {
    "expense": _sum(_EXPENSE),
    "utilities": _sum(_EXPENSE, BudgetEntry.kosgu == "223"),
    "cmi_expense": _sum(_EXPENSE, _CMI),
    "wages_cmi": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu.in_(WAGE_CODES)),
    "cmi_211": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu == "211"),
    "cmi_223": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu == "223"),
    "cmi_226": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu == "226"),
    "cmi_341": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu.in_(MEDICINE_CODES)),
    "cmi_342": _sum(_EXPENSE, _CMI, BudgetEntry.kosgu == "342"),
    "income_cmi": _sum(BudgetEntry.flow == "income", _CMI),
    "payables": _sum(BudgetEntry.flow == "payable"),
}


class DeviationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_search(self) -> None:
        """Wait for any other search to commit (a transaction-scoped advisory lock)."""
        await self.session.execute(select(func.pg_advisory_xact_lock(SEARCH_LOCK)))

    # --- what the search reads ------------------------------------------------------------

    async def figures(self) -> Figures:
        """Every MO's month: the metrics of ``_METRICS``."""
        stmt = select(
            BudgetEntry.mo_id, BudgetEntry.month, *(expr.label(name) for name, expr in _METRICS.items())
        ).group_by(BudgetEntry.mo_id, BudgetEntry.month)
        out: Figures = {}
        for row in (await self.session.execute(stmt)).mappings():
            out[(row["mo_id"], row["month"])] = {name: row[name] for name in _METRICS}
        return out

    async def not_allowed(self) -> list[tuple[uuid.UUID, date, str, Decimal]]:
        stmt = (
            select(BudgetEntry.mo_id, BudgetEntry.month, BudgetEntry.kosgu, func.sum(BudgetEntry.actual))
            .where(_EXPENSE, _CMI, BudgetEntry.kosgu.in_(NOT_ALLOWED), BudgetEntry.actual > 0)
            .group_by(BudgetEntry.mo_id, BudgetEntry.month, BudgetEntry.kosgu)
        )
        return [tuple(r) for r in (await self.session.execute(stmt)).all()]  # type: ignore[misc]

    async def fixed_assets(self) -> list[FixedAssets]:
        """КВФО 7 КОСГУ 310 payment orders over the limit, by MO and month."""
        month = cast(func.date_trunc("month", PaymentOrder.doc_date), Date)
        over = PaymentOrder.amount > FIXED_ASSET_MAX
        stmt = (
            select(
                PaymentOrder.mo_id,
                month.label("month"),
                func.count().filter(over).label("over_count"),
                func.coalesce(func.sum(PaymentOrder.amount).filter(over), 0).label("over_sum"),
                func.count().filter(~over).label("mid_count"),
                func.coalesce(func.sum(PaymentOrder.amount).filter(~over), 0).label("mid_sum"),
                func.max(PaymentOrder.amount).label("largest"),
            )
            .where(
                PaymentOrder.direction == "out",
                PaymentOrder.kvfo == CMI_KVFO,
                PaymentOrder.kosgu == "310",
                PaymentOrder.amount > FIXED_ASSET_LIMIT,
            )
            .group_by(PaymentOrder.mo_id, month)
        )
        return [FixedAssets(**row) for row in (await self.session.execute(stmt)).mappings()]

    async def profiles(self) -> dict[uuid.UUID, Profile]:
        rows = await self.session.execute(
            select(MoProfile.mo_id, MoProfile.legal_form, MoProfile.beds, MoProfile.attached_persons)
        )
        return {r.mo_id: Profile(r.mo_id, r.legal_form, r.beds, r.attached_persons) for r in rows}

    # --- what it writes -------------------------------------------------------------------

    async def save(self, findings: Sequence[Finding]) -> list[tuple[uuid.UUID, Finding]]:
        """Upsert the findings (status and acknowledgement kept); the new ones with their ids.
        Findings of an earlier search not found again and not acknowledged are removed (the
        figures behind them were corrected)."""
        new: list[tuple[uuid.UUID, Finding]] = []
        by_key = {(f.mo_id, f.month, f.kind, f.metric): f for f in findings}
        items = list(by_key.values())
        for start in range(0, len(items), BATCH):
            chunk = items[start : start + BATCH]
            stmt = insert(Deviation).values(
                [
                    {
                        "id": uuid.uuid4(),
                        "mo_id": f.mo_id,
                        "month": f.month,
                        "kind": f.kind,
                        "metric": f.metric,
                        "value": f.value,
                        "expected": f.expected,
                        "score": f.score,
                        "explanation": f.explanation,
                    }
                    for f in chunk
                ]
            )
            upsert: Any = stmt.on_conflict_do_update(
                constraint="uq_deviation_finding",
                set_={
                    "value": stmt.excluded.value,
                    "expected": stmt.excluded.expected,
                    "score": stmt.excluded.score,
                    "explanation": stmt.excluded.explanation,
                    "updated_at": func.now(),
                },
            ).returning(
                Deviation.id,
                Deviation.mo_id,
                Deviation.month,
                Deviation.kind,
                Deviation.metric,
                literal_column("xmax = 0").label("inserted"),
            )
            for row in (await self.session.execute(upsert)).all():
                if row.inserted:
                    new.append((row.id, by_key[(row.mo_id, row.month, row.kind, row.metric)]))
        await self.session.execute(
            delete(Deviation).where(Deviation.status == "new", Deviation.updated_at < func.now())
        )
        return new

    # --- the list -------------------------------------------------------------------------

    def _listed(
        self,
        scope: MoScope,
        *,
        mo_id: uuid.UUID | None,
        month: date | None,
        kind: str | None,
        status: str | None,
    ) -> Any:
        base: Any = select(
            Deviation, Organization.name.label("mo_name"), Organization.code.label("mo_code")
        ).outerjoin(Organization, Organization.id == Deviation.mo_id)
        stmt = scope.filter(base, Deviation.mo_id)
        for column, value in (
            (Deviation.mo_id, mo_id),
            (Deviation.month, month),
            (Deviation.kind, kind),
            (Deviation.status, status),
        ):
            if value is not None:
                stmt = stmt.where(column == value)
        return stmt

    async def page(
        self,
        scope: MoScope,
        *,
        mo_id: uuid.UUID | None,
        month: date | None,
        kind: str | None,
        status: str | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Any], int]:
        stmt = self._listed(scope, mo_id=mo_id, month=month, kind=kind, status=status)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.execute(
            stmt.order_by(
                Deviation.month.desc(), Deviation.status, Organization.code, Deviation.kind, Deviation.metric
            )
            .limit(limit)
            .offset(offset)
        )
        return rows.all(), int(total or 0)

    async def counts(self, scope: MoScope) -> dict[str, int]:
        grouped: Any = (
            select(Deviation.kind, func.count()).where(Deviation.status == "new").group_by(Deviation.kind)
        )
        stmt = scope.filter(grouped, Deviation.mo_id)
        return {kind: int(n) for kind, n in (await self.session.execute(stmt)).all()}

    async def get(self, deviation_id: uuid.UUID, scope: MoScope, *, lock: bool = False) -> Deviation | None:
        """The deviation if an MO in ``scope`` has it (one outside it is never locked)."""
        stmt = scope.filter(select(Deviation).where(Deviation.id == deviation_id), Deviation.mo_id)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def row(self, deviation_id: uuid.UUID) -> Any:
        stmt = (
            select(Deviation, Organization.name.label("mo_name"), Organization.code.label("mo_code"))
            .outerjoin(Organization, Organization.id == Deviation.mo_id)
            .where(Deviation.id == deviation_id)
        )
        return (await self.session.execute(stmt)).one()

    async def acknowledge(self, deviation: Deviation, who: str, comment: str | None, at: datetime) -> None:
        deviation.status = "acknowledged"
        deviation.acknowledged_by = who
        deviation.acknowledged_at = at
        deviation.comment = comment
        await self.session.flush()
