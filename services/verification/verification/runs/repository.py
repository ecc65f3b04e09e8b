"""SQL of the run API: the run row with its job, pages of runs, outcomes with the register
person, rejected rows. Organization scope is applied here from the caller's scope (None: the
whole region)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.jobs import Job
from verification.models import Outcome, RegisterEntry, RegisterRejection, VerificationRun
from verification.register.columns import COLUMNS

PERSON_COLUMNS = ("row_no", *COLUMNS)


class RunRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, run: VerificationRun) -> VerificationRun:
        self.session.add(run)
        await self.session.flush()
        return run

    def _runs(self, org_id: uuid.UUID | None) -> Any:
        stmt: Any = select(VerificationRun, Job).outerjoin(Job, Job.id == VerificationRun.job_id)
        if org_id is not None:
            stmt = stmt.where(VerificationRun.organization_id == org_id)
        return stmt

    async def get(
        self, run_id: uuid.UUID, org_id: uuid.UUID | None
    ) -> tuple[VerificationRun, Job | None] | None:
        row = (await self.session.execute(self._runs(org_id).where(VerificationRun.id == run_id))).first()
        return (row[0], row[1]) if row is not None else None

    async def page(
        self, org_id: uuid.UUID | None, *, limit: int, offset: int
    ) -> tuple[list[tuple[VerificationRun, Job | None]], int]:
        total_stmt = select(func.count()).select_from(VerificationRun)
        if org_id is not None:
            total_stmt = total_stmt.where(VerificationRun.organization_id == org_id)
        total = int(await self.session.scalar(total_stmt) or 0)
        rows = await self.session.execute(
            self._runs(org_id)
            .order_by(VerificationRun.created_at.desc(), VerificationRun.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return [(r[0], r[1]) for r in rows], total

    async def outcomes(
        self,
        run_id: uuid.UUID,
        *,
        outcome: str | None,
        reason: str | None,
        district: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[tuple[Outcome | None, uuid.UUID, dict[str, Any]]], int]:
        """The run's register persons with their outcome (None: kept, no pair was found)."""
        filters: list[Any] = [RegisterEntry.run_id == run_id]
        if outcome == "keep":
            filters.append(or_(Outcome.outcome.is_(None), Outcome.outcome == "keep"))
        elif outcome is not None:
            filters.append(Outcome.outcome == outcome)
        if reason is not None:
            filters.append(Outcome.reason == reason)
        if district is not None:
            filters.append(RegisterEntry.district == district)
        joined = (Outcome.run_id == RegisterEntry.run_id) & (Outcome.subject_id == RegisterEntry.subject_id)
        total = int(
            await self.session.scalar(
                select(func.count()).select_from(RegisterEntry).outerjoin(Outcome, joined).where(*filters)
            )
            or 0
        )
        columns: Sequence[Any] = [getattr(RegisterEntry, c) for c in PERSON_COLUMNS]
        rows = await self.session.execute(
            select(Outcome, RegisterEntry.subject_id, *columns)
            .select_from(RegisterEntry)
            .outerjoin(Outcome, joined)
            .where(*filters)
            .order_by(RegisterEntry.row_no, RegisterEntry.subject_id)
            .limit(limit)
            .offset(offset)
        )
        return [(r[0], r[1], {c: r[i + 2] for i, c in enumerate(PERSON_COLUMNS)}) for r in rows], total

    async def rejections(
        self, run_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[list[RegisterRejection], int]:
        total = int(
            await self.session.scalar(
                select(func.count()).select_from(RegisterRejection).where(RegisterRejection.run_id == run_id)
            )
            or 0
        )
        rows = await self.session.scalars(
            select(RegisterRejection)
            .where(RegisterRejection.run_id == run_id)
            .order_by(RegisterRejection.row_no, RegisterRejection.field)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), total
