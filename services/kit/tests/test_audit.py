"""The personal-data audit: ``audit_access`` for one person, ``audit_access_many`` for many in
one statement, on a real PostgreSQL."""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, select

from oms_kit.audit import AuditRecord, audit_access, audit_access_many
from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.logging import reset_request_id, set_request_id
from oms_kit.testing.postgres import create_database, drop_database, sqlalchemy_url, unique_name

ORG = uuid.uuid4()
CLERK = Principal(subject="clerk-7", kind="user", org_id=ORG, roles=frozenset({"registrar"}))


@pytest.fixture
async def database(postgres_dsn: str) -> AsyncIterator[Database]:
    name = unique_name("t_kit_audit")
    await create_database(postgres_dsn, name)
    db = Database(sqlalchemy_url(postgres_dsn, name))
    async with db.engine.begin() as conn:
        await conn.run_sync(lambda sync: AuditRecord.__table__.create(sync))
    yield db
    await db.dispose()
    await drop_database(postgres_dsn, name)


@pytest.fixture
def statements(database: Database) -> list[str]:
    """The SQL statements sent to the database; one sent for many rows (executemany) is
    marked ``[many]``."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        sent.append(f"[many] {statement}" if many else statement)

    event.listen(database.engine.sync_engine, "before_cursor_execute", record)
    return sent


async def audit_rows(database: Database) -> list[AuditRecord]:
    async with database.sessions() as session:
        return list((await session.scalars(select(AuditRecord).order_by(AuditRecord.person_id))).all())


def inserts(statements: list[str]) -> list[str]:
    return [s for s in statements if "INSERT" in s.upper()]


async def test_many_persons_are_audited_in_one_statement(database: Database, statements: list[str]) -> None:
    persons = [uuid.uuid4() for _ in range(2_000)]
    token = set_request_id("req-42")
    try:
        async with database.sessions() as session, session.begin():
            written = await audit_access_many(
                session,
                CLERK,
                [*persons, persons[0], persons[1]],  # repeated: audited once
                action="read",
                resource="person.search",
                reason="Поиск застрахованного",
            )
    finally:
        reset_request_id(token)
    assert written == 2_000
    [insert] = inserts(statements)  # one statement, not one per row nor an executemany
    assert insert.startswith("INSERT INTO audit_log") and "SELECT" in insert
    rows = await audit_rows(database)
    assert sorted(r.person_id for r in rows if r.person_id) == sorted(persons)
    assert len({r.id for r in rows}) == 2_000
    first = rows[0]
    assert (first.actor, first.actor_kind, first.actor_org_id) == ("clerk-7", "user", ORG)
    assert (first.action, first.resource, first.reason, first.request_id) == (
        "read",
        "person.search",
        "Поиск застрахованного",
        "req-42",
    )
    assert all(r.at is not None and r.at == first.at for r in rows)  # one transaction's now()


async def test_the_rows_are_those_audit_access_writes(database: Database) -> None:
    one, other = uuid.uuid4(), uuid.uuid4()
    async with database.sessions() as session, session.begin():
        await audit_access(session, CLERK, action="update", resource="person", person_id=one)
        await audit_access_many(session, CLERK, [other], action="update", resource="person")
    rows = {r.person_id: r for r in await audit_rows(database)}
    columns = [c.name for c in AuditRecord.__table__.columns if c.name not in ("id", "person_id")]
    assert [getattr(rows[one], c) for c in columns] == [getattr(rows[other], c) for c in columns]
    assert rows[other].reason is None and rows[other].request_id is None


async def test_nothing_to_audit_sends_nothing_and_a_rollback_keeps_nothing(
    database: Database, statements: list[str]
) -> None:
    async with database.sessions() as session, session.begin():
        assert await audit_access_many(session, CLERK, [], action="read", resource="person") == 0
    assert inserts(statements) == []

    async with database.sessions() as session:
        await audit_access_many(session, CLERK, [uuid.uuid4()], action="read", resource="person")
        assert len((await session.scalars(select(AuditRecord))).all()) == 1  # within the transaction
        await session.rollback()
    assert await audit_rows(database) == []
