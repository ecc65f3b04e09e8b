"""Fixtures of the jobs tests: a sample service with job kinds of every outcome, built with
``create_service_app(..., jobs=...)`` on a real, migrated PostgreSQL database (emptied before
each test: jobs commit for real, their runner works in its own transactions), and a client
that talks to it through ``StreamingASGITransport`` (so event streams arrive as they happen).

Test modules cannot import this file (``--import-mode=importlib``): the kinds and helpers
come through the ``sample`` fixture."""

# No ``from __future__ import annotations``: FastAPI reads the sample endpoint's annotations.
import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI, Request
from sqlalchemy import text

from oms_kit.app import create_service_app, secure_router
from oms_kit.asgi_stream import StreamingASGITransport
from oms_kit.auth import Principal, require_permission
from oms_kit.db import Database, DbSession
from oms_kit.errors import problem_responses
from oms_kit.events.inprocess import InProcessBus
from oms_kit.jobs import (
    JobContext,
    JobFailed,
    JobKind,
    JobRead,
    job_read,
    receive_upload,
    submit_job,
    upload_request_body,
)
from oms_kit.settings import ServiceSettings
from oms_kit.testing.tokens import TokenFactory

SAMPLE_DIR = Path(__file__).resolve().parent / "sample_service"
READ = "sample.job:read"
WRITE = "sample.job:write"
MAX_UPLOAD = 3 * 1024 * 1024
ACCEPTED = ["text/csv", "application/octet-stream"]


class SampleSettings(ServiceSettings):
    service_name = "sample"


async def echo(ctx: JobContext) -> dict[str, Any]:
    """Optional warm-up steps, then the input upper-cased into an output file."""
    steps, delay = int(ctx.params.get("steps", 0)), float(ctx.params.get("delay", 0))
    for step in range(steps):
        await ctx.progress(step, steps, "Проверка строк")
        await asyncio.sleep(delay)
    (source,) = await ctx.input_files()
    done = 0

    async def upper() -> AsyncIterator[bytes]:
        nonlocal done
        async for chunk in ctx.read_file(source.id):
            done += len(chunk)
            await ctx.progress(done, source.size, "Запись результата")
            yield chunk.upper()

    output = await ctx.write_file("Результат проверки.csv", "text/csv", upper())
    return {"bytes": done, "output": str(output.id), "by": ctx.created_by}


async def refuse(ctx: JobContext) -> dict[str, Any]:
    raise JobFailed("Файл не принят", "В строке 3 нет кода МО")


async def crash(ctx: JobContext) -> dict[str, Any]:
    raise RuntimeError("division of the register by zero")


async def slow(ctx: JobContext) -> dict[str, Any]:
    for step in range(400):
        await ctx.progress(step, 400, "Долгая обработка")
        await asyncio.sleep(0.05)
    return {"steps": 400}


@dataclass
class Sample:
    """The sample service's kinds, and a record of which runner ran which job."""

    runs: list[tuple[uuid.UUID, str]] = field(default_factory=list)
    read: str = READ
    write: str = WRITE
    max_upload: int = MAX_UPLOAD

    def counted(self, runner: str) -> JobKind:
        async def count(ctx: JobContext) -> dict[str, Any]:
            self.runs.append((ctx.job_id, runner))
            await asyncio.sleep(0.02)
            return {"runner": runner}

        return JobKind("sample.count", "Подсчёт", READ, count)

    @property
    def kinds(self) -> dict[str, JobKind]:
        kinds = [
            JobKind("sample.echo", "Проверка файла", READ, echo, write_permission=WRITE),
            JobKind("sample.refuse", "Проверка с отказом", READ, refuse, write_permission=WRITE),
            JobKind("sample.crash", "Проверка со сбоем", READ, crash, write_permission=WRITE),
            JobKind("sample.slow", "Долгая проверка", READ, slow, write_permission=WRITE),
            JobKind("sample.other", "Чужой вид", "sample.other:read", echo),
        ]
        return {kind.name: kind for kind in kinds}


def sample_router(kinds: dict[str, JobKind]) -> APIRouter:
    router = secure_router(prefix="/imports", tags=["imports"], responses=problem_responses(401, 403))
    can_write = require_permission(WRITE)

    @router.post(
        "/{kind}",
        status_code=202,
        operation_id="imports-start",
        summary="Загрузить файл и запустить задачу",
        openapi_extra=upload_request_body(ACCEPTED),
        responses=problem_responses(404, 413, 415),
    )
    async def start(
        session: DbSession,
        request: Request,
        principal: Annotated[Principal, Depends(can_write)],
        kind: str,
        steps: int = 0,
        delay: float = 0.0,
    ) -> JobRead:
        job = await submit_job(session, kinds[kind], principal, params={"steps": steps, "delay": delay})
        await receive_upload(session, job, request, allowed_media_types=ACCEPTED)
        return await job_read(session, job)

    return router


@pytest.fixture
def sample() -> Sample:
    return Sample()


@pytest.fixture(scope="session")
async def jobs_database_url(migrated_database: Callable[[Path], Any]) -> str:
    url: str = await migrated_database(SAMPLE_DIR)
    return url


@pytest.fixture
async def jobs_db(jobs_database_url: str) -> AsyncIterator[Database]:
    """The sample database, emptied for this test."""
    database = Database(jobs_database_url, pool_size=4)
    async with database.engine.begin() as conn:
        await conn.execute(text("TRUNCATE job, job_file, job_file_chunk, audit_log CASCADE"))
    yield database
    await database.dispose()


@pytest.fixture
def settings(jobs_database_url: str) -> SampleSettings:
    return SampleSettings(database_url=jobs_database_url, env="test", jobs_max_upload_bytes=MAX_UPLOAD)


@pytest.fixture
async def jobs_app(
    jobs_db: Database, settings: SampleSettings, sample: Sample, tokens: TokenFactory
) -> AsyncIterator[FastAPI]:
    kinds = sample.kinds
    app = create_service_app(
        settings,
        title="sample jobs",
        routers=[sample_router(kinds)],
        bus=InProcessBus(),
        jwks=tokens.jwks_source(),
        jobs=list(kinds.values()),
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def jobs_client(jobs_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = StreamingASGITransport(jobs_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sample", timeout=30) as client:
        yield client
