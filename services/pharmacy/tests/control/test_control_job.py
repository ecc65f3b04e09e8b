"""The control run's job handler: chunks with progress, the run's totals at the end, and a run
marked failed when a chunk fails (its job then fails too)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.control import support
from tests.control.test_control import FROM, TO, planted

from pharmacy.control import jobs, service
from pharmacy.models import ControlRun


class FakeContext:
    """What ``run_job`` uses of a ``JobContext``, over the test's session (nothing commits)."""

    def __init__(self, session: AsyncSession, run_id: uuid.UUID) -> None:
        self.session = session
        self.params: dict[str, Any] = {"run_id": str(run_id)}
        self.created_by = "analyst"
        self.principal_org_id = uuid.uuid4()
        self.progressed: list[tuple[int, int | None, str | None]] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        yield self.session

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.progressed.append((done, total, stage))


async def test_the_job_checks_in_chunks_and_writes_the_totals(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await planted(session)
    run = await service.start_run(session, support.analyst(), FROM, TO, None)
    monkeypatch.setattr(service, "CHUNK", 4)
    ctx = FakeContext(session, run.id)
    result = await jobs.run_job(ctx)  # type: ignore[arg-type]
    assert result["checked"] == 10 and result["with_violations"] == 8
    assert [p[0] for p in ctx.progressed] == [0, 4, 8, 10, 10]
    assert ctx.progressed[0][2] == "Проверка отпущенных рецептов" and ctx.progressed[-1][2] == "Готово"
    assert run.status == "done" and run.finished_at is not None and run.withheld > 0


async def test_a_failing_chunk_marks_the_run_failed(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    await planted(session)
    run = await service.start_run(session, support.analyst(), FROM, TO, None)

    async def broken(*_: object, **__: object) -> int:
        raise RuntimeError("database went away")

    monkeypatch.setattr(service, "check_dispenses", broken)
    with pytest.raises(RuntimeError):
        await jobs.run_job(FakeContext(session, run.id))  # type: ignore[arg-type]
    stored = await session.get(ControlRun, run.id)
    assert stored is not None and stored.status == "failed"
