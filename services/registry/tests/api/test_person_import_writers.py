"""Batches written by several connections at once (``OMS_REGISTRY_IMPORT_WRITERS``): an
identifier repeated in a later batch that is being written at the same time as the earlier
one is still reported as a conflict, and nobody is imported twice."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from tests.api.person_import_support import person_row, register_app

from oms_kit.testing.tokens import TokenFactory
from registry.person_import.pipeline import import_rows
from registry.person_import.reference import load_reference
from registry.person_import.report import ErrorReport
from registry.person_import.staging import Actor


async def test_concurrent_batches_keep_identifiers_unique(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> None:
    rows = [person_row() for _ in range(12)]
    rows[7]["snils"] = rows[1]["snils"]  # batch 3 repeats a SNILS of batch 1
    rows[10]["enp"] = rows[4]["enp"]  # batch 4 repeats an ENP of batch 2
    rows[10]["policy_number"] = rows[10]["enp"]
    async with register_app(service_dir, fresh_database, tokens) as register:
        engine = create_async_engine(register.url)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        open_now, most_at_once = 0, 0

        @asynccontextmanager
        async def transaction() -> AsyncIterator[AsyncSession]:
            nonlocal open_now, most_at_once
            open_now += 1
            most_at_once = max(most_at_once, open_now)
            try:
                async with sessions() as session, session.begin():
                    yield session
                    await asyncio.sleep(0.2)  # still uncommitted while the next batch is written
            finally:
                open_now -= 1

        async with sessions() as session:
            ref = await load_reference(session, date.today())
        report = ErrorReport()
        try:
            summary = await import_rows(
                iter(enumerate(rows, start=2)),
                ref=ref,
                prefix=4242,
                actor=Actor("test", "user", uuid.uuid4(), "test"),
                transaction=transaction,
                report=report,
                batch_rows=3,
                writers=3,
            )
            report_text = b"".join([chunk async for chunk in report.content()]).decode("utf-8-sig")
        finally:
            report.close()
        async with sessions() as session:
            holders = (
                await session.execute(
                    text(
                        "SELECT key, count(*) FROM person_fact WHERE kind IN ('snils', 'enp') "
                        "AND upper_inf(recorded) GROUP BY key HAVING count(*) > 1"
                    )
                )
            ).all()
            persons = await session.scalar(text("SELECT count(*) FROM person"))
        await engine.dispose()

    assert most_at_once >= 2  # the batches really were written at the same time
    assert (summary.imported, summary.rejected) == (10, 2)
    assert persons == 10 and holders == []
    lines = report_text.splitlines()
    assert any(line.startswith("9;snils;") for line in lines), lines  # row 9 = rows[7]
    assert any(line.startswith("12;enp;") for line in lines), lines  # row 12 = rows[10]
