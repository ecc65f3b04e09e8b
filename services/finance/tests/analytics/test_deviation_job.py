"""The deviation search as the kit's job: submitted, run by the runner with its progress, the
findings and their events committed together; the job's result counts them. And the nightly
search: once a day after its hour, off with -1."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select, text

from finance.config import Settings
from finance.deviations.jobs import DEVIATION_SEARCH
from finance.deviations.nightly import NightlyDeviationSearch
from finance.models import BudgetEntry, Deviation, Organization
from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.jobs import JobRunner, submit_job
from oms_kit.jobs.models import Job


async def test_the_search_job_finds_and_publishes(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    url = await fresh_database(service_dir)
    database = Database(url)
    mo = uuid.uuid4()
    analyst = Principal(subject="tfoms", org_id=uuid.uuid4(), roles=frozenset({"tfoms_analyst"}))
    try:
        async with database.sessions() as session, session.begin():
            session.add(Organization(id=mo, name="ГБУЗ «Больница»", kind="mo", code="990099"))
            session.add(
                BudgetEntry(
                    mo_id=mo, month=date(2026, 5, 1), flow="expense", kvfo=7, kosgu="295",
                    actual=Decimal("50000.00"), source="manual", updated_by="test",
                )
            )  # fmt: skip
            job = await submit_job(session, DEVIATION_SEARCH, analyst, params={"wages_share_threshold": 0.85})
        runner = JobRunner(database, [DEVIATION_SEARCH], Settings(database_url=url))
        await runner.claim_and_start()
        while runner.running:  # noqa: ASYNC110  (the runner exposes no event for "idle")
            await asyncio.sleep(0.05)
        async with database.sessions() as session:
            done = await session.get(Job, job.id)
            assert done is not None and done.status == "succeeded", (
                done.status if done else None,
                done and done.error,
            )
            assert done.result == {"mo_months": 1, "found": 1, "new": 1, "by_kind": {"rule": 1}}
            assert done.progress_done == done.progress_total == 4
            [found] = (await session.scalars(select(Deviation))).all()
            assert (found.mo_id, found.metric) == (mo, "cmi_not_allowed_295")
            events = (
                (
                    await session.execute(
                        text(
                            "SELECT envelope->'data'->>'deviation_id' FROM outbox_event "
                            "WHERE type = 'finance.deviation.detected'"
                        )
                    )
                )
                .scalars()
                .all()
            )
            assert events == [str(found.id)]
    finally:
        await database.dispose()


async def test_the_nightly_search_runs_once_a_day_after_its_hour(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    database = Database(await fresh_database(service_dir))
    try:
        async with database.sessions() as session, session.begin():
            mo = uuid.uuid4()
            session.add(
                BudgetEntry(
                    mo_id=mo, month=date(2026, 5, 1), flow="expense", kvfo=7, kosgu="292",
                    actual=Decimal("12000.00"), source="manual", updated_by="test",
                )
            )  # fmt: skip
        nightly = NightlyDeviationSearch(database, hour=3)
        assert await nightly.tick(datetime(2026, 11, 24, 2, 59)) is None  # not yet
        summary = await nightly.tick(datetime(2026, 11, 24, 3, 5))
        assert summary is not None and summary["new"] == 1
        assert await nightly.tick(datetime(2026, 11, 24, 23, 0)) is None  # done today
        again = await nightly.tick(datetime(2026, 11, 25, 3, 0))
        assert again is not None and again["new"] == 0 and again["found"] == 1
        assert await NightlyDeviationSearch(database, hour=-1).tick(datetime(2026, 11, 25, 12, 0)) is None
    finally:
        await database.dispose()
