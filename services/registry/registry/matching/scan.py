"""The duplicate scan job (``registry.duplicate_scan``): the whole register, block by block
(one month of birth dates per transaction), scored by the same scorer as ``$match``; pairs at
the requested grade or better go to the review queue. Re-running a block (after a crash)
writes the same rows again: a pair is one row, and a decided pair keeps its decision."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.jobs import JobContext, JobKind
from registry.matching.profiles import load_profiles
from registry.matching.queue_repository import DuplicateRepository, Pair
from registry.matching.scan_repository import PairRow, birth_date_range, block_pairs, shared_key_pairs
from registry.matching.scoring import birth_date_level, compare
from registry.matching.service import at_least
from registry.matching.weights import Grade

SCORING_BATCH = 2000


def months(first: date, last: date) -> list[tuple[date, date]]:
    out: list[tuple[date, date]] = []
    lo = first.replace(day=1)
    while lo <= last:
        hi = date(lo.year + (lo.month == 12), lo.month % 12 + 1, 1)
        out.append((lo, hi))
        lo = hi
    return out


def worth_scoring(row: PairRow) -> bool:
    """Namesakes born on other days are scored only when the dates differ by one digit or by
    two neighbouring digits exchanged."""
    _, _, a_date, b_date = row
    if a_date is None or b_date is None:
        return True
    return birth_date_level(a_date, b_date) != "disagree"


async def score_and_queue(
    session: AsyncSession, rows: Sequence[PairRow], minimum: Grade, job_id: Any, counts: dict[str, int]
) -> None:
    rows = [r for r in rows if worth_scoring(r)]
    for start in range(0, len(rows), SCORING_BATCH):
        chunk = rows[start : start + SCORING_BATCH]
        profiles = await load_profiles(session, {pid for r in chunk for pid in r[:2]})
        pairs: list[Pair] = []
        for a, b, _, _ in chunk:
            if a in profiles and b in profiles:
                scored = compare(profiles[a].profile, profiles[b].profile)
                counts["pairs_compared"] += 1
                if at_least(scored.grade, minimum):
                    assert scored.grade is not None
                    counts[scored.grade.value] += 1
                    pairs.append(Pair(a, b, scored))
        counts["pairs_queued"] += await DuplicateRepository(session).upsert(
            pairs, source="scan", job_id=job_id
        )


async def run_scan(ctx: JobContext) -> dict[str, Any]:
    minimum = Grade(str(ctx.params.get("min_grade", Grade.possible.value)))
    counts = {"pairs_compared": 0, "pairs_queued": 0, "certain": 0, "probable": 0, "possible": 0}
    async with ctx.transaction() as session:
        first, last = await birth_date_range(session)
    blocks = months(first, last) if first and last else []
    total = len(blocks) + 1
    await ctx.progress(0, total, stage="Общие идентификаторы")
    async with ctx.transaction() as session:
        await score_and_queue(session, await shared_key_pairs(session), minimum, ctx.job_id, counts)
    for done, (lo, hi) in enumerate(blocks, start=1):
        async with ctx.transaction() as session:
            await score_and_queue(session, await block_pairs(session, lo, hi), minimum, ctx.job_id, counts)
        await ctx.progress(done, total, stage="Сравнение по датам рождения")
    await ctx.progress(total, total, stage="Готово")
    return {**counts, "blocks": len(blocks), "min_grade": minimum.value}


DUPLICATE_SCAN = JobKind(
    name="registry.duplicate_scan",
    title="Поиск возможных дубликатов в регистре",
    read_permission="registry.person:read",
    write_permission="registry.person:write",
    run=run_scan,
)
