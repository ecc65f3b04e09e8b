"""Overlaps of current facts are refused under concurrent writers (decision 0007): each write
takes the person's row lock before it checks, so of two simultaneous overlapping periods —
which no index could catch, both being closed — exactly one is written."""

import asyncio
import uuid
from datetime import date

from fastapi.exceptions import RequestValidationError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from oms_kit.auth import Principal
from registry.person.drafts import employment_draft
from registry.person.schemas import EmploymentIn, EmploymentStatus
from registry.person.service import record_fact

TFOMS = Principal(
    subject="concurrency-test",
    org_id=uuid.uuid4(),
    org_type="tfoms",
    roles=frozenset({"tfoms_analyst"}),
    permissions=frozenset({"*"}),
)


async def test_two_overlapping_writes_at_once_leave_exactly_one(database_url: str) -> None:
    engine = create_async_engine(database_url, pool_size=3)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    person_id = uuid.uuid4()
    try:
        async with sessions() as session, session.begin():
            await session.execute(text("INSERT INTO person (id) VALUES (:id)"), {"id": person_id})
            await session.execute(
                text(
                    "INSERT INTO person_fact (person_id, kind, valid, data, recorded_by) "
                    "VALUES (:id, 'birth', daterange('1980-01-01', NULL), "
                    "'{\"birth_date\": \"1980-01-01\"}', 't')"
                ),
                {"id": person_id},
            )
        first_holds_lock = asyncio.Event()

        async def write(lo: date, hi: date, *, hold: bool) -> str:
            period = EmploymentIn(status=EmploymentStatus.working, valid_from=lo, valid_to=hi)
            draft = employment_draft(period)
            async with sessions() as session:
                try:
                    async with session.begin():
                        if not hold:
                            await first_holds_lock.wait()
                        await record_fact(session, TFOMS, person_id, draft, reason="test")
                        if hold:
                            first_holds_lock.set()
                            await asyncio.sleep(0.3)  # the other writer now waits on the lock
                    return "written"
                except RequestValidationError as refused:
                    return f"refused: {refused.errors()[0]['loc']}"

        outcomes = await asyncio.gather(
            write(date(2010, 1, 1), date(2012, 12, 31), hold=True),
            write(date(2012, 6, 1), date(2013, 12, 31), hold=False),
        )
        assert outcomes[0] == "written"
        assert outcomes[1] == "refused: ('body', 'valid_from')", outcomes
        async with sessions() as session:
            written = await session.scalar(
                text(
                    "SELECT count(*) FROM person_fact WHERE person_id = :id AND kind = 'employment' "
                    "AND upper_inf(recorded)"
                ),
                {"id": person_id},
            )
        assert written == 1
    finally:
        await engine.dispose()
