"""All SQL of tariffs and savings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from verification.models import ContributionTariff
from verification.savings.report import Savings, SavingsLine
from verification.savings.tariff import TariffInputs


class TariffRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, year: int) -> ContributionTariff | None:
        return await self.session.get(ContributionTariff, year, populate_existing=True)

    async def all(self) -> Sequence[ContributionTariff]:
        return (
            await self.session.scalars(select(ContributionTariff).order_by(ContributionTariff.year))
        ).all()

    async def per_capita_by_year(self) -> dict[int, Decimal]:
        rows = await self.session.execute(select(ContributionTariff.year, ContributionTariff.per_capita))
        return {int(row[0]): row[1] for row in rows}

    async def put(self, inputs: TariffInputs, updated_by: str) -> ContributionTariff:
        values: dict[str, Any] = {
            "year": inputs.year,
            "base_tariff": inputs.base_tariff,
            "appreciation_coefficient": inputs.appreciation_coefficient,
            "differentiation_coefficient": inputs.differentiation_coefficient,
            "legal_basis": inputs.legal_basis,
            "per_capita": inputs.per_capita,
            "monthly": inputs.monthly,
            "updated_by": updated_by,
        }
        stmt = insert(ContributionTariff).values(**values)
        stmt = stmt.on_conflict_do_update(
            index_elements=[ContributionTariff.year],
            set_={**{k: stmt.excluded[k] for k in values if k != "year"}, "updated_at": func.now()},
        )
        await self.session.execute(stmt)
        tariff = await self.get(inputs.year)
        assert tariff is not None
        return tariff


# Months excluded per person, reason, district and year, priced at the year's monthly tariff;
# grouped by reason, by district and in total. Only 'exclude' outcomes count.
_SAVINGS = text(
    """
    WITH m AS (
        SELECT o.subject_id, e.district, p.reason, extract(year FROM p."from")::int AS year, p.months
        FROM outcome o
        JOIN register_entry e ON e.run_id = o.run_id AND e.subject_id = o.subject_id
        CROSS JOIN LATERAL jsonb_to_recordset(o.periods) AS p(reason text, "from" date, months int)
        WHERE o.run_id = :run_id AND o.outcome = 'exclude'
    )
    SELECT m.reason, m.district, GROUPING(m.reason) AS all_reasons, GROUPING(m.district) AS all_districts,
           count(DISTINCT m.subject_id) AS persons,
           coalesce(sum(m.months), 0)::int AS months,
           coalesce(sum(m.months * t.monthly), 0)::numeric(14, 2) AS amount,
           coalesce(sum(m.months) FILTER (WHERE t.year IS NULL), 0)::int AS months_without_tariff,
           array_agg(DISTINCT m.year) FILTER (WHERE t.year IS NULL) AS years_without_tariff
    FROM m LEFT JOIN contribution_tariff t ON t.year = m.year
    GROUP BY GROUPING SETS ((m.reason), (m.district), ())
    """
)

# The actual register: the run's persons not excluded in the last month of its period.
_ACTUAL_REGISTER = text(
    """
    SELECT count(*) FROM register_entry e
    JOIN verification_run r ON r.id = e.run_id
    LEFT JOIN outcome o ON o.run_id = e.run_id AND o.subject_id = e.subject_id
    WHERE e.run_id = :run_id
      AND NOT (o.outcome IS NOT NULL AND o.outcome = 'exclude' AND EXISTS (
          SELECT 1 FROM jsonb_to_recordset(o.periods) AS p("to" date)
          WHERE p."to" >= (date_trunc('month', r.period_to) + interval '1 month - 1 day')::date))
    """
)


class SavingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def savings(self, run_id: uuid.UUID) -> Savings:
        rows = (await self.session.execute(_SAVINGS, {"run_id": run_id})).mappings().all()
        total = SavingsLine(None, 0, 0, Decimal("0.00"))
        by_reason: list[SavingsLine] = []
        by_district: list[SavingsLine] = []
        months_without, years_without = 0, ()
        for row in rows:
            if row["all_reasons"] and row["all_districts"]:
                total = SavingsLine(None, row["persons"], row["months"], row["amount"])
                months_without = row["months_without_tariff"]
                years_without = tuple(sorted(row["years_without_tariff"] or ()))
            elif row["all_districts"]:
                by_reason.append(SavingsLine(row["reason"], row["persons"], row["months"], row["amount"]))
            else:
                by_district.append(SavingsLine(row["district"], row["persons"], row["months"], row["amount"]))
        return Savings(
            total=total,
            by_reason=tuple(sorted(by_reason, key=lambda s: (-s.amount, s.key or ""))),
            by_district=tuple(sorted(by_district, key=lambda s: (s.key is None, s.key or ""))),
            years_without_tariff=years_without,
            months_without_tariff=months_without,
        )

    async def actual_register(self, run_id: uuid.UUID) -> int:
        return int((await self.session.execute(_ACTUAL_REGISTER, {"run_id": run_id})).scalar_one())

    async def period_to_year(self, run_id: uuid.UUID) -> int | None:
        year = await self.session.scalar(
            text("SELECT extract(year FROM period_to)::int FROM verification_run WHERE id = :id"),
            {"id": run_id},
        )
        return None if year is None else int(year)
