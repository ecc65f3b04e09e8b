"""All SQL of the duplicate review queue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.matching.scoring import Scored
from registry.models.matching import DuplicateCandidate


@dataclass(frozen=True)
class Pair:
    a: uuid.UUID
    b: uuid.UUID
    scored: Scored


def ordered(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    return (a, b) if a < b else (b, a)


class DuplicateRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, pairs: Sequence[Pair], *, source: str, job_id: uuid.UUID | None = None) -> int:
        """Put pairs in the queue; a pair already there keeps its decision (a rejected pair is
        not reopened by the next scan), an open one gets the latest score. Safe to repeat."""
        rows: dict[tuple[uuid.UUID, uuid.UUID], dict[str, Any]] = {}
        for pair in pairs:
            assert pair.scored.grade is not None
            a, b = ordered(pair.a, pair.b)
            rows[(a, b)] = {
                "id": uuid.uuid4(),
                "person_a": a,
                "person_b": b,
                "score": pair.scored.score,
                "grade": pair.scored.grade.value,
                "reasons": [asdict(r) for r in pair.scored.reasons],
                "source": source,
                "job_id": job_id,
            }
        if not rows:
            return 0
        stmt = insert(DuplicateCandidate).values(list(rows.values()))
        stmt = stmt.on_conflict_do_update(
            constraint="uq_duplicate_candidate_pair",
            set_={
                "score": stmt.excluded.score,
                "grade": stmt.excluded.grade,
                "reasons": stmt.excluded.reasons,
            },
            where=DuplicateCandidate.status == "open",
        )
        await self.session.execute(stmt)
        return len(rows)

    async def page(
        self, *, status: str | None, source: str | None, limit: int, offset: int
    ) -> tuple[Sequence[DuplicateCandidate], int]:
        stmt = select(DuplicateCandidate)
        if status is not None:
            stmt = stmt.where(DuplicateCandidate.status == status)
        if source is not None:
            stmt = stmt.where(DuplicateCandidate.source == source)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        ordered_stmt = stmt.order_by(DuplicateCandidate.score.desc(), DuplicateCandidate.id)
        rows = (await self.session.scalars(ordered_stmt.limit(limit).offset(offset))).all()
        return rows, int(total or 0)

    async def lock(self, duplicate_id: uuid.UUID) -> DuplicateCandidate | None:
        return await self.session.scalar(
            select(DuplicateCandidate).where(DuplicateCandidate.id == duplicate_id).with_for_update()
        )

    async def open_between(self, a: uuid.UUID, b: uuid.UUID) -> Sequence[DuplicateCandidate]:
        first, second = ordered(a, b)
        stmt = select(DuplicateCandidate).where(
            DuplicateCandidate.person_a == first,
            DuplicateCandidate.person_b == second,
            DuplicateCandidate.status == "open",
        )
        return (await self.session.scalars(stmt.with_for_update())).all()

    async def set_status(
        self,
        ids: Sequence[uuid.UUID],
        status: str,
        *,
        by: str | None,
        resolution: str | None,
        resolved: bool,
    ) -> None:
        if not ids:
            return
        await self.session.execute(
            update(DuplicateCandidate)
            .where(DuplicateCandidate.id.in_(ids))
            .values(
                status=status,
                resolved_by=by,
                resolution=resolution,
                resolved_at=func.now() if resolved else None,
            )
            .execution_options(synchronize_session=False)
        )
