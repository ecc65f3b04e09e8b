"""The demo seed on a fresh database: the register, the sources' answers, the demo year's
tariff and a finished run whose outcomes name every planted reason — all in the one
transaction the composition gives it (nothing committed by the seed itself)."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from oms_kit.db import Database
from verification.demo import DEMO_YEAR, seed
from verification.models import Organization

SIZE = 3_000  # the demo's mechanics at the size the run tests use; make run seeds 20,000
REASONS = {"dead", "employed", "entrepreneur", "military", "missing", "duplicate", "personal_data_changed"}


@pytest.fixture(scope="module")
async def seeded(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> AsyncIterator[tuple[Database, dict[str, Any], float]]:
    database = Database(await fresh_database(service_dir), pool_size=2)
    payer = uuid.uuid4()
    async with database.sessions() as session, session.begin():
        session.add(
            Organization(id=payer, name="Управление по страхованию неработающего населения", kind="payer")
        )
    started = time.monotonic()
    async with database.sessions() as session, session.begin():
        result = await seed(session, size=SIZE)
    yield database, result, time.monotonic() - started
    await database.dispose()


async def _one(database: Database, sql: str, **params: Any) -> Any:
    async with database.sessions() as session:
        return (await session.execute(text(sql), params)).one()


async def test_the_seed_leaves_a_finished_run_of_the_payer(
    seeded: tuple[Database, dict[str, Any], float],
) -> None:
    database, result, _ = seeded
    run = await _one(
        database,
        "SELECT r.finished_stage, r.period_from, r.counts, j.status, j.attempts, j.kind "
        "FROM verification_run r JOIN job j ON j.id = r.job_id WHERE r.id = :id",
        id=uuid.UUID(result["run_id"]),
    )
    assert run.finished_stage == "decisions"
    assert (run.status, run.attempts, run.kind) == ("succeeded", 1, "verification.run")
    assert run.period_from.year == DEMO_YEAR
    assert run.counts["entries"] == SIZE
    assert run.counts["rejected_rows"] == 4  # the demo file's broken rows, reported


async def test_the_outcomes_name_each_planted_reason(seeded: tuple[Database, dict[str, Any], float]) -> None:
    database, result, _ = seeded
    async with database.sessions() as session:
        rows = await session.execute(
            text("SELECT reason, count(*) AS n FROM outcome WHERE run_id = :id GROUP BY reason"),
            {"id": uuid.UUID(result["run_id"])},
        )
        reasons = {r.reason: r.n for r in rows}
    assert set(reasons) >= REASONS, reasons
    assert "invalid_document" in reasons  # a passport replaced without the new one: review


async def test_sources_tariff_and_events_are_in_place(seeded: tuple[Database, dict[str, Any], float]) -> None:
    database, result, _ = seeded
    counts = await _one(
        database,
        "SELECT (SELECT count(DISTINCT source) FROM source_batch) AS sources, "
        "(SELECT count(*) FROM source_record) AS records, "
        "(SELECT legal_basis FROM contribution_tariff WHERE year = :year) AS basis, "
        "(SELECT count(*) FROM contribution_tariff WHERE year = :year + 1 "
        "   AND legal_basis LIKE '%ДЕМОНСТРАЦИОННЫЕ%') AS next_year, "
        "(SELECT count(*) FROM outbox_event WHERE type = 'verification.run.completed') AS completed",
        year=DEMO_YEAR,
    )
    assert counts.sources == 5
    assert counts.records == sum(result["source_records"].values())
    assert "ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ" in counts.basis
    assert counts.next_year == 1  # the forecast of the next year's appropriation has its tariff
    assert counts.completed == 1


async def test_without_a_payer_the_seed_adds_nothing(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    database = Database(await fresh_database(service_dir), pool_size=1)
    try:
        async with database.sessions() as session, session.begin():
            result = await seed(session, size=100)
        assert "skipped" in result
        row = await _one(database, "SELECT (SELECT count(*) FROM verification_run) AS runs")
        assert row.runs == 0
    finally:
        await database.dispose()
