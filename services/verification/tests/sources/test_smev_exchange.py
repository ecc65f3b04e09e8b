"""The SMEV-style exchange through the simulator transport on real PostgreSQL: requests queued
with message ids, sent within the daily quota, retried after a failed send, expired when
unanswered; responses matched by message id and stored once, however often or late they come."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from oms_kit.identifiers import complete_snils
from verification.linkage.records import PersonRecord
from verification.sources import SourceRecord, adapter_for
from verification.sources.smev import queue
from verification.sources.smev.queue import SmevPolicy, day_bounds
from verification.sources.smev.simulator import SimulatorTransport, SourceKnowledge

START = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)  # 12:00 in Moscow
ZAGS = ["zags"]


def person(i: int) -> PersonRecord:
    return PersonRecord(
        f"subject-{i}",
        f"Петров{i}",
        "Пётр",
        "Ильич",
        date(1940, 1, i),
        "male",
        complete_snils(f"{300000000 + i:09d}"),
        None,
        None,
        None,
        None,
    )


PERSONS = [person(i) for i in range(1, 4)]
DEATHS = [
    SourceRecord(
        "zags",
        "zags.death",
        0,
        p.surname,
        p.first_name,
        p.patronymic,
        p.birth_date,
        p.sex,
        p.snils,
        date_from=date(2025, 3, i + 1),
        external_id=str(i),
        attributes={"act_number": str(i)},
    )
    for i, p in enumerate(PERSONS[:2])
]
# Someone the register does not hold: never asked for, never answered.
STRANGER = SourceRecord(
    "zags", "zags.death", 0, "Чужой", "Иван", None, date(1950, 1, 1), "male", date_from=date(2025, 1, 1)
)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now


def simulator(clock: Clock, delay: timedelta = timedelta(hours=2)) -> SimulatorTransport:
    return SimulatorTransport({"zags": SourceKnowledge([*DEATHS, STRANGER])}, clock, delay=delay)


async def requests(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            "SELECT message_id, status, attempts, next_attempt_at, sent_at, answered_at, batch_id, "
            "last_error, "
            "persons FROM smev_request ORDER BY created_at, persons DESC, message_id"
        )
    )
    return [dict(r) for r in rows.mappings()]


def in_session(session: AsyncSession) -> queue.Transaction:
    """The test's session (rolled back after the test) as the transaction of a round: leaving
    the block flushes, as a commit would, and the round acknowledges after it."""

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        yield session
        await session.flush()

    return transaction


async def scalar(session: AsyncSession, sql: str) -> int:
    return int(await session.scalar(text(sql)) or 0)


async def counts(session: AsyncSession) -> tuple[int, int]:
    batches = await scalar(session, "SELECT count(*) FROM source_batch")
    return batches, await scalar(session, "SELECT count(*) FROM source_record")


async def test_round_trip_through_the_simulator(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock)
    policy = SmevPolicy(persons_per_request=2)
    ids = await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now, policy=policy)
    assert len(ids) == 2 and len(set(ids)) == 2
    assert [r["status"] for r in await requests(session)] == ["queued", "queued"]

    sent = await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)
    assert sent.sent == 2 and sorted(transport.sent) == sorted(ids)
    assert (await queue.receive(session, transport, ZAGS, now=clock.now)).loaded == 0  # not answered yet

    clock.now += timedelta(hours=2)
    received = await queue.receive(session, transport, ZAGS, now=clock.now, policy=policy)
    assert (received.loaded, received.records, received.repeated, received.unknown) == (2, 2, 0, 0)
    rows = await requests(session)
    assert [r["status"] for r in rows] == ["answered", "answered"]
    assert all(r["answered_at"] == clock.now and r["batch_id"] is not None for r in rows)
    stored = await session.execute(text("SELECT surname, date_from FROM source_record ORDER BY surname"))
    assert [tuple(r) for r in stored] == [("Петров1", date(2025, 3, 1)), ("Петров2", date(2025, 3, 2))]
    assert await scalar(session, "SELECT count(*) FROM source_batch WHERE mode = 'smev'") == 2


async def test_a_failed_send_is_retried_with_backoff(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock)
    transport.fail_sends["zags"] = 2
    policy = SmevPolicy(backoff=timedelta(minutes=1))
    await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now, policy=policy)

    first = await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)
    assert (first.sent, first.retried) == (0, 1)
    [row] = await requests(session)
    assert (row["status"], row["attempts"], row["next_attempt_at"]) == (
        "queued",
        1,
        START + timedelta(minutes=1),
    )
    assert "временно недоступен" in row["last_error"]
    # Not due again before the backoff; the second failure doubles it.
    assert (await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)).retried == 0
    clock.now += timedelta(minutes=1)
    assert (await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)).retried == 1
    [row] = await requests(session)
    assert row["next_attempt_at"] == clock.now + timedelta(minutes=2)
    clock.now += timedelta(minutes=2)
    assert (await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)).sent == 1
    [row] = await requests(session)
    assert (row["status"], row["attempts"], row["sent_at"], row["last_error"]) == ("sent", 3, clock.now, None)

    clock.now += timedelta(hours=2)
    assert (await queue.receive(session, transport, ZAGS, now=clock.now)).records == 2


async def test_a_request_failing_every_time_is_given_up(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock)
    transport.fail_sends["zags"] = 10
    policy = SmevPolicy(max_attempts=2, backoff=timedelta(seconds=1))
    await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now, policy=policy)
    await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)
    report = await queue.send_due(
        session, transport, ZAGS, now=clock.now + timedelta(minutes=1), policy=policy
    )
    assert report.failed == 1
    [row] = await requests(session)
    assert (row["status"], row["attempts"]) == ("failed", 2)


async def test_over_the_daily_quota_requests_wait_for_the_next_day(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock)
    policy = SmevPolicy(quotas={"zags": 2}, persons_per_request=1)
    await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now, policy=policy)

    report = await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)
    assert (report.sent, report.postponed) == (2, 1)
    _, midnight = day_bounds(clock.now)
    assert midnight == datetime(2026, 11, 24, 21, 0, tzinfo=UTC)  # 00:00 in Moscow
    waiting = [r for r in await requests(session) if r["status"] == "queued"]
    assert len(waiting) == 1 and waiting[0]["next_attempt_at"] == midnight

    clock.now = midnight - timedelta(minutes=1)
    assert (await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)).sent == 0
    clock.now = midnight
    assert (await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)).sent == 1
    assert [r["status"] for r in await requests(session)] == ["sent", "sent", "sent"]


async def test_a_response_delivered_twice_is_recorded_once(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock, delay=timedelta(0))
    await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now)
    await queue.send_due(session, transport, ZAGS, now=clock.now)
    [response_id] = transport.response_ids("zags")
    first = await queue.receive(session, transport, ZAGS, now=clock.now)
    assert (first.loaded, first.records) == (1, 2)
    assert transport.response_ids("zags") == [response_id]  # not acknowledged before the commit
    await queue.acknowledge(transport, first)  # the caller's transaction committed
    before = await counts(session)

    transport.redeliver("zags", response_id)
    clock.now += timedelta(minutes=5)
    again = await queue.receive(session, transport, ZAGS, now=clock.now)
    assert (again.loaded, again.repeated, again.records) == (0, 1, 0)
    await queue.acknowledge(transport, again)
    assert await counts(session) == before
    [row] = await requests(session)
    assert row["answered_at"] == START  # the first delivery's
    assert transport.response_ids("zags") == []  # acknowledged


async def test_a_response_after_expiry_is_recorded_once_and_the_request_stays_expired(
    session: AsyncSession,
) -> None:
    clock = Clock()
    transport = simulator(clock, delay=timedelta(days=4))
    policy = SmevPolicy(answer_within=timedelta(days=3))
    await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now, policy=policy)
    await queue.send_due(session, transport, ZAGS, now=clock.now, policy=policy)
    [response_id] = transport.response_ids("zags")

    clock.now += timedelta(days=3)
    expired, _, received = await queue.exchange(
        in_session(session), transport, ZAGS, now=clock.now, policy=policy
    )
    assert expired == 1 and received.loaded == 0
    assert [r["status"] for r in await requests(session)] == ["expired"]

    clock.now += timedelta(days=1)
    late = await queue.receive_committed(in_session(session), transport, ZAGS, now=clock.now, policy=policy)
    assert (late.loaded, late.late, late.records) == (1, 1, 2)
    [row] = await requests(session)
    assert (row["status"], row["answered_at"]) == ("expired", clock.now) and row["batch_id"] is not None

    transport.redeliver("zags", response_id)
    again = await queue.receive(session, transport, ZAGS, now=clock.now + timedelta(hours=1), policy=policy)
    assert (again.loaded, again.repeated) == (0, 1)
    assert await scalar(session, "SELECT count(*) FROM source_record") == 2


async def test_a_response_to_no_request_of_ours_is_not_stored(session: AsyncSession) -> None:
    clock = Clock()
    transport = simulator(clock, delay=timedelta(0))
    transport.deliver("zags", adapter_for("zags").response_message(uuid.uuid4(), uuid.uuid4(), DEATHS))
    report = await queue.receive(session, transport, ZAGS, now=clock.now)
    assert (report.unknown, report.loaded) == (1, 0)
    assert await scalar(session, "SELECT count(*) FROM source_record") == 0


async def test_a_response_is_acknowledged_only_after_its_transaction_committed(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    """A crash after the response was stored but before the commit: nothing is stored and the
    response is still waiting at the transport; the next round stores it once and only then
    acknowledges it."""
    database = Database(await fresh_database(service_dir))

    @asynccontextmanager
    async def committing() -> AsyncIterator[AsyncSession]:
        async with database.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def crashing_before_commit() -> AsyncIterator[AsyncSession]:
        async with database.sessions() as session, session.begin():
            yield session
            await session.flush()  # the response's batch and records are written …
            assert await scalar(session, "SELECT count(*) FROM source_record") == 2
            raise ConnectionResetError("the process died before the commit")  # … and never committed

    clock = Clock()
    transport = simulator(clock, delay=timedelta(0))
    try:
        async with committing() as session:
            await queue.enqueue(session, adapter_for("zags"), PERSONS, now=clock.now)
            await queue.send_due(session, transport, ZAGS, now=clock.now)
        [response_id] = transport.response_ids("zags")

        with pytest.raises(ConnectionResetError):
            await queue.receive_committed(crashing_before_commit, transport, ZAGS, now=clock.now)
        assert transport.response_ids("zags") == [response_id]  # still pending: received again
        assert response_id not in transport.delivered
        async with committing() as session:
            assert await counts(session) == (0, 0)
            assert [r["status"] for r in await requests(session)] == ["sent"]

        with pytest.raises(ConnectionResetError):
            await queue.exchange(crashing_before_commit, transport, ZAGS, now=clock.now)
        assert transport.response_ids("zags") == [response_id]

        report = await queue.receive_committed(committing, transport, ZAGS, now=clock.now)
        assert (report.loaded, report.records) == (1, 2)
        assert transport.response_ids("zags") == [] and response_id in transport.delivered
        async with committing() as session:
            assert await counts(session) == (1, 2)
            assert [r["status"] for r in await requests(session)] == ["answered"]

        transport.redeliver("zags", response_id)  # SMEV delivers it again after all
        again = await queue.receive_committed(committing, transport, ZAGS, now=clock.now)
        assert (again.loaded, again.repeated) == (0, 1) and transport.response_ids("zags") == []
        async with committing() as session:
            assert await counts(session) == (1, 2)
    finally:
        await database.dispose()
