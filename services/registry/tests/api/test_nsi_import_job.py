"""The import job end to end: upload → the job runs in the app's runner → a version readable
through the API, with the error report and the diff as downloadable files. Requests commit
here (a database of its own), as they do in production."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from tests.nsi_samples import ICD_ROWS, icd_csv, icd_portal_json

from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory
from registry.config import Settings
from registry.main import create_app

WRITE = ["registry.nsi:read", "registry.nsi:write"]


@pytest.fixture
async def committing_client(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[httpx.AsyncClient]:
    url = await fresh_database(service_dir)
    settings = Settings(OMS_REGISTRY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app: FastAPI = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            yield client


async def upload(
    client: httpx.AsyncClient, auth: dict[str, str], body: bytes, version: str, media: str = "text/csv"
) -> dict[str, Any]:
    started = await client.post(
        f"/nsi/dictionaries/icd10/imports?version={version}&valid_from=2024-01-01",
        content=body,
        headers={
            **auth,
            "Content-Type": media,
            "Content-Disposition": "attachment; filename*=UTF-8''mkb10.csv",
        },
    )
    assert started.status_code == 202, started.text
    job_id = started.json()["id"]
    for _ in range(300):
        job: dict[str, Any] = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def download(
    client: httpx.AsyncClient, auth: dict[str, str], job: dict[str, Any], name_part: str
) -> str:
    file = next(f for f in job["files"] if f["role"] == "output" and name_part in f["name"])
    response = await client.get(f"/jobs/{job['id']}/files/{file['id']}", headers=auth)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig")


async def test_import_end_to_end(committing_client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    client, auth = committing_client, tokens.auth(roles=["admin"], perms=WRITE)
    bad_rows = [
        ["100", "x", "", "Без кода", "", "", "1", ""],
        ["101", "x", "A00", "Холера ещё раз", "", "", "1", ""],
        ["102", "x", "A01", "Тиф", "", "", "1", "не дата"],
    ]
    first = await upload(client, auth, icd_csv(ICD_ROWS[:6] + bad_rows), "2.26")
    assert first["status"] == "succeeded", first
    result = first["result"]
    assert result["created"] is True and result["rows_imported"] == 7 and result["rows_rejected"] == 2
    assert result["rows_total"] == 9 and result["file_format"] == "csv"
    assert result["diff"] == {"added": 7, "removed": 0, "changed": 0, "unchanged": 0}
    errors = await download(client, auth, first, "errors")
    assert errors.splitlines()[0] == "Строка;Код;Поле;Ошибка"
    assert "9;A00;MKB_CODE;Код «A00» повторяется (впервые в строке 4)" in errors
    assert "8;;MKB_CODE;Нет кода записи" in errors
    # DATE is not a validity column of ICD-10: the bad date stays an attribute, the row is kept
    a01 = await client.get("/nsi/dictionaries/icd10/entries/A01?version=2.26", headers=auth)
    assert a01.json()["attributes"]["DATE"] == "не дата"

    # the next version as the portal's JSON answer: A00.9 dropped, A02.2 and A09* added, A01 gone
    second = await upload(
        client, auth, icd_portal_json(ICD_ROWS[:5] + ICD_ROWS[6:]), "2.27", "application/json"
    )
    assert second["status"] == "succeeded", second
    assert second["result"]["previous_version"] == "2.26" and second["result"]["file_format"] == "json-portal"
    assert second["result"]["diff"] == {"added": 3, "removed": 2, "changed": 0, "unchanged": 5}
    diff = await download(client, auth, second, "diff")
    assert "удалена;A00.9;Холера неуточненная;;" in diff and "добавлена;A09.0;" in diff
    assert not any("errors" in f["name"] for f in second["files"])
    entry = await client.get("/nsi/dictionaries/icd10/entries/A09.0?on=2024-06-01", headers=auth)
    assert entry.status_code == 200 and entry.json()["parent_code"] == "A09"

    same = await upload(client, auth, icd_csv(ICD_ROWS[:5] + ICD_ROWS[6:]), "2.28")
    assert same["status"] == "succeeded" and same["result"]["created"] is False
    assert same["result"]["same_as"] == "2.27" and "новая версия не создана" in same["result"]["message"]
    versions = (await client.get("/nsi/dictionaries/icd10", headers=auth)).json()["versions"]
    assert [v["version"] for v in versions] == ["2.27", "2.26"]
    assert versions[0]["job_id"] == second["id"] and versions[0]["source_name"] == "mkb10.csv"


async def test_a_file_that_is_no_table_fails_the_job(
    committing_client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    client, auth = committing_client, tokens.auth(roles=["admin"], perms=WRITE)
    garbage = await upload(client, auth, b"%PDF-1.7\n\x00\x01\x02 binary", "1.0")
    assert garbage["status"] == "failed"
    assert garbage["error"]["title"] == "Файл не распознан" and "двоичный" in garbage["error"]["detail"]
    wrong_columns = await upload(client, auth, "CODE;NAME\nA00;Холера\n".encode(), "1.0")
    assert wrong_columns["status"] == "failed" and "MKB_CODE" in wrong_columns["error"]["detail"]
    only_bad = await upload(client, auth, icd_csv([["1", "x", "", "Без кода", "", "", "1", ""]]), "1.0")
    assert only_bad["status"] == "failed" and "нет ни одной корректной записи" in only_bad["error"]["detail"]
    assert any("errors" in f["name"] for f in only_bad["files"])  # the report is there to read
    listed = (await client.get("/nsi/dictionaries/icd10", headers=auth)).json()
    assert listed["versions"] == []  # nothing half-written
