"""The sources API on an app of its own database (the upload job commits, as in production):
upload an answer file as a job, see it among the batches with its counts and rejected rows, the
same file again adds nothing; permissions and organization scope."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from oms_kit.events.inprocess import InProcessBus
from oms_kit.identifiers import complete_snils
from oms_kit.testing.tokens import TokenFactory
from verification.config import Settings
from verification.main import create_app

READ, WRITE = "verification.source:read", "verification.source:write"
SNILS = complete_snils("334455667")
CSV = (
    "Вид сведений;Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Дата начала;Номер записи акта\r\n"
    f"Смерть;Петров;Пётр;Ильич;03.02.1940;{SNILS};02.06.2025;1\r\n"
    "Смерть;Орлова;Анна;;31.02.1950;;02.06.2025;2\r\n"
    "Смерть;Белов;Олег;;05.05.1950;;01.01.2025;3\r\n"
).encode()


@pytest.fixture
async def api(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[httpx.AsyncClient]:
    url = await fresh_database(service_dir)
    settings = Settings(OMS_VERIFICATION_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app: FastAPI = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://verification") as client:
            yield client


def operator(tokens: TokenFactory, org_id: uuid.UUID, perms: list[str] | None = None) -> dict[str, str]:
    return tokens.auth(
        roles=["verification_operator"], perms=perms or [READ, WRITE], org_id=org_id, org_type="payer"
    )


async def upload(
    client: httpx.AsyncClient, auth: dict[str, str], body: bytes, media: str = "text/csv"
) -> Any:
    started = await client.post(
        "/sources/zags/answers", content=body, headers={**auth, "Content-Type": media}
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    for _ in range(600):
        job = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


async def test_upload_batches_rejections_and_the_same_file_again(
    api: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    payer = uuid.uuid4()
    auth = operator(tokens, payer)
    job = await upload(api, auth, CSV)
    assert job["status"] == "succeeded", job
    result = job["result"]
    assert (result["source"], result["repeated"], result["rows"], result["loaded"], result["rejected"]) == (
        "zags",
        False,
        3,
        2,
        1,
    )

    sources = {s["code"]: s for s in (await api.get("/sources", headers=auth)).json()}
    assert list(sources) == ["fns", "sfr", "zags", "mvd", "military"]
    assert sources["zags"]["batches"] == 1
    assert {k["kind"]: k["records"] for k in sources["zags"]["kinds"]} == {
        "zags.death": 2,
        "zags.name_change": 0,
    }
    assert sources["zags"]["kinds"][0]["title"] == "Государственная регистрация смерти"

    page = (await api.get("/sources/zags/batches", headers=auth)).json()
    assert page["total"] == 1
    [batch] = page["items"]
    assert batch["id"] == result["batch_id"] and batch["mode"] == "file" and batch["media_type"] == "text/csv"
    assert batch["counts"] == {"rows": 3, "loaded": 2, "already_known": 0, "rejected": 1}
    rejections = (await api.get(f"/sources/zags/batches/{batch['id']}/rejections", headers=auth)).json()
    assert rejections["total"] == 1
    assert rejections["items"][0]["row_no"] == 3 and rejections["items"][0]["field"] == "birth_date"
    assert "31.02.1950" in rejections["items"][0]["message"]

    again = await upload(api, auth, CSV)
    assert again["status"] == "succeeded" and again["result"]["repeated"] is True
    assert again["result"]["batch_id"] == result["batch_id"] and again["result"]["loaded"] == 0
    assert (await api.get("/sources/zags/batches", headers=auth)).json()["total"] == 1

    # Another payer's operator does not see this payer's upload.
    other = operator(tokens, uuid.uuid4())
    assert (await api.get("/sources/zags/batches", headers=other)).json()["total"] == 0
    missing = await api.get(f"/sources/zags/batches/{batch['id']}/rejections", headers=other)
    assert missing.status_code == 404


async def test_permissions_unknown_source_and_other_formats(
    api: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    reader = operator(tokens, uuid.uuid4(), perms=[READ])
    refused = await api.post(
        "/sources/zags/answers", content=CSV, headers={**reader, "Content-Type": "text/csv"}
    )
    assert refused.status_code == 403
    assert (await api.get("/sources")).status_code == 401
    auth = operator(tokens, uuid.uuid4())
    unknown = await api.get("/sources/tax/batches", headers=auth)
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith(
        "application/problem+json"
    )
    pdf = await api.post(
        "/sources/zags/answers", content=b"%PDF-1.4", headers={**auth, "Content-Type": "application/pdf"}
    )
    assert pdf.status_code == 415
