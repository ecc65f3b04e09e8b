"""Loading the synthetic region into the register through the import's set-based path, and
its duplicate labels into ``demo_planted_duplicate``."""

from __future__ import annotations

import uuid
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.demo_region import distortions, region_rows
from registry.demo_region.people import Organizations
from registry.models import Organization
from registry.models.mo_register import MoArea
from registry.models.person_import import DemoPlantedDuplicate
from registry.person_import.ids import new_prefix, person_id
from registry.person_import.pipeline import ImportSummary, Progress, Transaction, import_rows
from registry.person_import.reference import load_reference
from registry.person_import.report import ErrorReport
from registry.person_import.staging import Actor

DEMO_SEED = 20261123
DEMO_ACTOR = "demo-seed"
DEMO_REASON = "Демо-данные: синтетический регион"
# Ids of the demo region's persons: a fixed import "time" and the seed, so they are the same
# on every machine (and the duplicate labels can name them).
DEMO_EPOCH_MS = int(datetime(2026, 1, 1).timestamp() * 1000)


def demo_prefix(seed: int) -> int:
    return new_prefix(at_ms=DEMO_EPOCH_MS, salt=seed)


async def region_organizations(session: AsyncSession) -> Organizations:
    """The insurers and MOs of the organization directory (by register code) with their areas."""
    rows = (
        await session.execute(
            select(Organization.id, Organization.kind, Organization.code)
            .where(Organization.kind.in_(("insurer", "mo")), Organization.code.is_not(None))
            .order_by(Organization.code)
        )
    ).all()
    codes: dict[uuid.UUID, str] = {org_id: code for org_id, _, code in rows if code}
    areas: dict[str, list[str]] = {}
    for mo_id, area_code in (
        await session.execute(select(MoArea.mo_id, MoArea.code).order_by(MoArea.code))
    ).all():
        if mo_id in codes:
            areas.setdefault(codes[mo_id], []).append(area_code)
    return Organizations(
        insurers=[codes[i] for i, kind, _ in rows if kind == "insurer"],
        mos=[codes[i] for i, kind, _ in rows if kind == "mo"],
        areas={k: tuple(v) for k, v in areas.items()},
    )


@dataclass
class Loaded:
    summary: ImportSummary
    planted: int
    first_rejections: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {**self.summary.as_dict(), "planted_duplicates": self.planted}


def same_session(session: AsyncSession) -> Transaction:
    """Every batch in the caller's transaction (the demo seed runs in one)."""

    @asynccontextmanager
    async def transaction() -> Any:
        yield session

    return transaction


async def load_region(
    reference_session: AsyncSession,
    transaction: Transaction,
    *,
    count: int,
    seed: int = DEMO_SEED,
    actor_org_id: uuid.UUID,
    progress: Progress | None = None,
    writers: int = 1,
) -> Loaded:
    """Generate and import ``count`` persons; label the planted duplicates."""
    orgs = await region_organizations(reference_session)
    ref = await load_reference(reference_session, date.today())
    prefix = demo_prefix(seed)
    report = ErrorReport()
    try:
        summary = await import_rows(
            region_rows(count, seed, orgs),
            ref=ref,
            prefix=prefix,
            actor=Actor(DEMO_ACTOR, "user", actor_org_id, DEMO_REASON),
            transaction=transaction,
            report=report,
            progress=progress,
            writers=writers,
        )
        rejections = [line async for line in _first_lines(report)]
    finally:
        report.close()
    labels = [
        {"original_id": person_id(prefix, a), "duplicate_id": person_id(prefix, b), "distortion": kind}
        for a, b, kind in distortions(count, seed, orgs)
    ]
    async with transaction() as session:
        for start in range(0, len(labels), 5000):
            await session.execute(
                insert(DemoPlantedDuplicate).on_conflict_do_nothing(), labels[start : start + 5000]
            )
        # A label only where both persons are in the register.
        await session.execute(
            text(
                "DELETE FROM demo_planted_duplicate d WHERE NOT EXISTS (SELECT 1 FROM person p WHERE p.id = "
                "d.original_id) OR NOT EXISTS (SELECT 1 FROM person p WHERE p.id = d.duplicate_id)"
            )
        )
    return Loaded(summary, len(labels), rejections)


async def _first_lines(report: ErrorReport, limit: int = 5) -> Any:
    text_ = b"".join([chunk async for chunk in report.content()]).decode("utf-8-sig")
    for line in text_.splitlines()[1 : limit + 1]:
        yield line


async def planted_pairs(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID]]:
    rows = (
        await session.execute(select(DemoPlantedDuplicate.original_id, DemoPlantedDuplicate.duplicate_id))
    ).all()
    return [(a, b) for a, b in rows]
