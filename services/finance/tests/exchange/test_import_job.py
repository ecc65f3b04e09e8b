"""A large payment file (over 1 MB) is read by a job on a database of its own (the job commits,
as in production): the import waits in ``processing`` while the job runs, then ends like a
small one — the line report and the choice, or ``failed`` with the reason."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from tests.exchange.samples import Doc, onec_bytes

from finance.config import Settings
from finance.main import create_app
from finance.models import Organization, PaymentOrder, PeriodLock
from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory

RW = ["finance.payment_order:read", "finance.payment_order:write"]


async def _count(url: str, mo: uuid.UUID) -> int:
    engine = create_async_engine(url)
    try:
        async with AsyncSession(engine) as session:
            stmt = select(func.count()).select_from(PaymentOrder).where(PaymentOrder.mo_id == mo)
            return int(await session.scalar(stmt) or 0)
    finally:
        await engine.dispose()


@pytest.fixture
async def finance(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, str, uuid.UUID, dict[str, str]]]:
    url = await fresh_database(service_dir)
    mo = uuid.uuid4()
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session, session.begin():
        session.add(Organization(id=mo, name="ГБУЗ «Приозёрская ЦРБ»", kind="mo", code="500009"))
    await engine.dispose()
    settings = Settings(OMS_FINANCE_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    auth = tokens.auth(org_id=mo, roles=["mo_economist"], perms=RW, subject="economist")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://finance") as client:
            yield client, url, mo, auth


async def _finished(client: httpx.AsyncClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = {}
    for _ in range(1200):
        job = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def _upload(client: httpx.AsyncClient, auth: dict[str, str], data: bytes) -> dict[str, Any]:
    assert len(data) > 1024 * 1024
    headers = {**auth, "Content-Type": "text/plain", "Content-Disposition": 'attachment; filename="big.txt"'}
    answer = await client.post("/payment-orders/imports", content=data, headers=headers)
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_a_large_partly_bad_file_is_read_by_a_job_then_the_valid_lines_applied(
    finance: tuple[httpx.AsyncClient, str, uuid.UUID, dict[str, str]],
) -> None:
    client, url, mo, auth = finance
    docs = [Doc(number=str(n), amount=f"{100 + n},00") for n in range(1, 1201)]
    docs[500] = Doc(number="501", amount="сто рублей")
    started = await _upload(client, auth, onec_bytes(docs))
    assert started["status"] == "processing" and started["job_id"]
    job = await _finished(client, auth, started["job_id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["status"] == "awaiting_decision"
    report = (await client.get(f"/payment-orders/imports/{started['id']}", headers=auth)).json()
    assert (report["status"], report["valid"], report["invalid"]) == ("awaiting_decision", 1199, 1)
    assert (
        report["problems"][0]["field"] == "Сумма"
        and report["problems"][0]["document"] == "№ 501 от 03.03.2026"
    )
    assert await _count(url, mo) == 0
    applied = await client.post(f"/payment-orders/imports/{started['id']}/apply", headers=auth)
    assert applied.status_code == 200 and applied.json()["inserted"] == 1199
    assert await _count(url, mo) == 1199


async def test_a_large_truncated_file_fails_its_job_and_its_import_with_the_reason(
    finance: tuple[httpx.AsyncClient, str, uuid.UUID, dict[str, str]],
) -> None:
    client, url, mo, auth = finance
    docs = [Doc(number=str(n)) for n in range(1, 1201)]
    started = await _upload(client, auth, onec_bytes(docs, end=False))
    job = await _finished(client, auth, started["job_id"])
    assert job["status"] == "failed" and "КонецФайла" in job["error"]["detail"]
    report = (await client.get(f"/payment-orders/imports/{started['id']}", headers=auth)).json()
    assert report["status"] == "failed" and report["error"]["title"] == "Файл обрывается"
    assert await _count(url, mo) == 0


async def test_a_large_file_into_a_locked_month_fails_its_job_and_writes_nothing(
    finance: tuple[httpx.AsyncClient, str, uuid.UUID, dict[str, str]],
) -> None:
    client, url, mo, auth = finance
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session, session.begin():
        session.add(
            PeriodLock(mo_id=mo, month=date(2026, 3, 1), reason="Отчёт 14-Ф принят", locked_by="tfoms")
        )
    await engine.dispose()
    started = await _upload(client, auth, onec_bytes([Doc(number=str(n)) for n in range(1, 1201)]))
    job = await _finished(client, auth, started["job_id"])
    assert job["status"] == "failed" and "март 2026" in job["error"]["detail"]
    report = (await client.get(f"/payment-orders/imports/{started['id']}", headers=auth)).json()
    assert report["status"] == "failed" and "март 2026" in report["error"]["detail"]
    assert await _count(url, mo) == 0
