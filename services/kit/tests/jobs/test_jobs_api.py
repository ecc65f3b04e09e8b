"""The job pattern through HTTP, as a service and the SPA use it: upload → job in the
background → progress by polling and by server-sent events → download of the result."""

import asyncio
import hashlib
import json
import logging
import time
import uuid
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import func, select

from oms_kit.audit import AuditRecord
from oms_kit.db import Database
from oms_kit.jobs import JobFileChunk
from oms_kit.testing.tokens import TokenFactory

ORG = uuid.UUID("7a0c0c8e-6f53-4a55-9a43-000000000001")
OTHER_ORG = uuid.UUID("7a0c0c8e-6f53-4a55-9a43-000000000002")
CYRILLIC_NAME = "Справочник МО.csv"


def operator(tokens: TokenFactory, sample: Any, org: uuid.UUID = ORG, **extra: Any) -> dict[str, str]:
    return tokens.auth(org_id=org, roles=["registry_operator"], perms=[sample.read, sample.write], **extra)


def upload_headers(
    auth: dict[str, str], name: str = CYRILLIC_NAME, media_type: str = "text/csv"
) -> dict[str, str]:
    disposition = f"attachment; filename*=UTF-8''{quote(name, safe='')}"
    return {**auth, "Content-Type": media_type, "Content-Disposition": disposition}


async def submit(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    kind: str,
    body: bytes = b"code;name\n1;a\n",
    **params: Any,
) -> dict[str, Any]:
    r = await client.post(f"/imports/{kind}", params=params, content=body, headers=upload_headers(auth))
    assert r.status_code == 202, r.text
    job: dict[str, Any] = r.json()
    return job


async def wait_for(
    client: httpx.AsyncClient, auth: dict[str, str], job_id: str, *statuses: str, within: float = 15
) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        r = await client.get(f"/jobs/{job_id}", headers=auth)
        assert r.status_code == 200, r.text
        job: dict[str, Any] = r.json()
        if job["status"] in statuses:
            return job
        assert time.monotonic() < deadline, f"job still {job['status']} after {within} s"
        await asyncio.sleep(0.05)


async def test_upload_runs_to_success_and_the_result_downloads(
    jobs_client: httpx.AsyncClient, jobs_db: Database, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample, subject="operator-7")
    body = b"".join(f"{i};\xd0\xbc\xd0\xbe {i}\n".encode("latin-1") for i in range(170_000))
    job = await submit(jobs_client, auth, "sample.echo", body)
    assert job["status"] == "queued" and job["kind"] == "sample.echo" and job["title"] == "Проверка файла"
    assert job["created_by"] == "operator-7"
    (upload,) = job["files"]
    assert (
        upload["role"] == "input" and upload["name"] == CYRILLIC_NAME and upload["media_type"] == "text/csv"
    )
    assert upload["size"] == len(body) and upload["sha256"] == hashlib.sha256(body).hexdigest()
    async with jobs_db.sessions() as session:  # stored in 1 MiB chunks, never as one value
        chunks = await session.scalar(
            select(func.count())
            .select_from(JobFileChunk)
            .where(JobFileChunk.file_id == uuid.UUID(upload["id"]))
        )
    assert chunks == 3

    done = await wait_for(jobs_client, auth, job["id"], "succeeded", "failed")
    assert done["status"] == "succeeded", done
    assert done["percent"] == 100 and done["error"] is None and done["started_at"] and done["finished_at"]
    assert done["result"]["bytes"] == len(body) and done["result"]["by"] == "operator-7"
    (output,) = [f for f in done["files"] if f["role"] == "output"]
    assert output["id"] == done["result"]["output"]

    r = await jobs_client.get(f"/jobs/{job['id']}/files/{output['id']}", headers=auth)
    assert r.status_code == 200
    assert r.content == body.upper()
    assert r.headers["content-type"] == "text/csv"
    assert r.headers["content-length"] == str(len(body))
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"Rezultat proverki.csv\"; filename*=UTF-8''"
        "%D0%A0%D0%B5%D0%B7%D1%83%D0%BB%D1%8C%D1%82%D0%B0%D1%82%20%D0%BF%D1%80%D0%BE%D0%B2%D0%B5%D1%80%D0%BA%D0%B8.csv"
    )
    assert hashlib.sha256(r.content).hexdigest() == output["sha256"]
    async with jobs_db.sessions() as session:
        audited = await session.scalar(select(AuditRecord).where(AuditRecord.action == "download"))
    assert audited is not None and audited.resource == f"job_file:{output['id']}"

    missing = await jobs_client.get(f"/jobs/{job['id']}/files/{uuid.uuid4()}", headers=auth)
    assert missing.status_code == 404


async def test_progress_is_seen_by_polling_and_in_the_event_stream(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample)
    job = await submit(jobs_client, auth, "sample.echo", steps=8, delay=0.3)
    events: list[dict[str, Any]] = []
    async with jobs_client.stream("GET", f"/jobs/{job['id']}/events", headers=auth) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache" and r.headers["x-accel-buffering"] == "no"
        polled = None
        async for line in r.aiter_lines():
            if line.startswith("event:"):
                assert line == "event: job"
            elif line.startswith("data:"):
                events.append(json.loads(line.removeprefix("data:")))
                if polled is None and events[-1]["progress_done"] >= 2:
                    polled = (await jobs_client.get(f"/jobs/{job['id']}", headers=auth)).json()
    assert events[0]["id"] == job["id"]
    running = [e for e in events if e["status"] == "running" and e["stage"] == "Проверка строк"]
    assert len({e["progress_done"] for e in running}) >= 2, events
    assert all(e["progress_total"] == 8 for e in running)
    assert any(0 < (e["percent"] or 0) < 100 for e in running)
    assert events[-1]["status"] == "succeeded"
    assert polled is not None and polled["status"] == "running" and polled["progress_done"] >= 2

    # A finished job's stream is one event and its end.
    r = await jobs_client.get(f"/jobs/{job['id']}/events", headers=auth)
    assert r.text.count("event: job") == 1 and '"status":"succeeded"' in r.text


async def test_an_expected_failure_shows_the_handlers_message(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample)
    job = await submit(jobs_client, auth, "sample.refuse")
    done = await wait_for(jobs_client, auth, job["id"], "succeeded", "failed")
    assert done["status"] == "failed"
    assert done["error"] == {"title": "Файл не принят", "detail": "В строке 3 нет кода МО"}
    assert done["result"] is None


async def test_an_unexpected_error_fails_the_job_with_a_generic_message_and_is_logged(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any, caplog: pytest.LogCaptureFixture
) -> None:
    auth = operator(tokens, sample)
    with caplog.at_level(logging.ERROR, logger="oms.jobs"):
        job = await submit(jobs_client, auth, "sample.crash")
        done = await wait_for(jobs_client, auth, job["id"], "succeeded", "failed")
    assert done["status"] == "failed"
    assert done["error"]["title"] == "Задача завершилась с ошибкой"
    assert "division" not in json.dumps(done, ensure_ascii=False)  # no internals to the user
    (record,) = [r for r in caplog.records if r.message == "job handler failed"]
    assert record.exc_info is not None and "division of the register" in str(record.exc_info[1])


async def test_a_queued_job_is_cancelled_at_once(
    jobs_client: httpx.AsyncClient, jobs_app: Any, tokens: TokenFactory, sample: Any
) -> None:
    await jobs_app.state.job_runner.stop()  # nothing takes the job
    auth = operator(tokens, sample)
    job = await submit(jobs_client, auth, "sample.echo")
    r = await jobs_client.post(f"/jobs/{job['id']}/cancel", headers=auth)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "cancelled" and r.json()["finished_at"]
    again = await jobs_client.post(f"/jobs/{job['id']}/cancel", headers=auth)
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


async def test_a_running_job_is_cancelled_at_its_next_progress(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample)
    job = await submit(jobs_client, auth, "sample.slow")
    deadline = time.monotonic() + 10
    while (running := (await jobs_client.get(f"/jobs/{job['id']}", headers=auth)).json())[
        "progress_done"
    ] < 3:
        assert time.monotonic() < deadline
        await asyncio.sleep(0.05)
    assert running["status"] == "running" and running["stage"] == "Долгая обработка"

    reader = tokens.auth(org_id=ORG, roles=["registry_operator"], perms=[sample.read])
    assert (await jobs_client.post(f"/jobs/{job['id']}/cancel", headers=reader)).status_code == 403
    r = await jobs_client.post(f"/jobs/{job['id']}/cancel", headers=auth)
    assert r.status_code == 200 and r.json()["status"] == "running"
    done = await wait_for(jobs_client, auth, job["id"], "cancelled", "succeeded", "failed", within=5)
    assert done["status"] == "cancelled" and done["progress_done"] < 400


@pytest.mark.parametrize(
    ("body", "headers", "status", "title"),
    [
        (b"x" * (3 * 1024 * 1024 + 1), {}, 413, "Файл слишком большой"),
        (b"", {}, 422, "Пустой файл"),
        (b"%PDF-1.7", {"Content-Type": "application/pdf"}, 415, "Неподдерживаемый тип файла"),
    ],
)
async def test_a_refused_upload_is_a_problem_and_leaves_no_job(
    jobs_client: httpx.AsyncClient,
    tokens: TokenFactory,
    sample: Any,
    body: bytes,
    headers: dict[str, str],
    status: int,
    title: str,
) -> None:
    auth = operator(tokens, sample)
    r = await jobs_client.post(
        "/imports/sample.echo", content=body, headers={**upload_headers(auth), **headers}
    )
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == title and r.json()["status"] == status
    listed = await jobs_client.get("/jobs", headers=auth)
    assert listed.json()["total"] == 0


async def test_an_upload_without_length_is_cut_off_once_too_large(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample)
    sent = 0

    async def body() -> Any:
        nonlocal sent
        for _ in range(8):  # 8 MiB offered, 3 MiB allowed
            sent += 1024 * 1024
            yield b"y" * (1024 * 1024)

    r = await jobs_client.post("/imports/sample.echo", content=body(), headers=upload_headers(auth))
    assert r.status_code == 413 and "3 МиБ" in r.json()["detail"]
    assert sent < 8 * 1024 * 1024  # the rest was never read
    assert (await jobs_client.get("/jobs", headers=auth)).json()["total"] == 0


async def test_jobs_are_scoped_to_their_organization(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    job = await submit(jobs_client, operator(tokens, sample), "sample.refuse")
    stranger = operator(tokens, sample, org=OTHER_ORG)
    r = await jobs_client.get(f"/jobs/{job['id']}", headers=stranger)
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert (await jobs_client.get(f"/jobs/{job['id']}/events", headers=stranger)).status_code == 404
    assert (await jobs_client.post(f"/jobs/{job['id']}/cancel", headers=stranger)).status_code == 404
    assert (await jobs_client.get("/jobs", headers=stranger)).json()["items"] == []

    analyst = tokens.auth(org_id=OTHER_ORG, roles=["tfoms_analyst"], perms=[sample.read])
    assert (await jobs_client.get(f"/jobs/{job['id']}", headers=analyst)).status_code == 200
    assert [j["id"] for j in (await jobs_client.get("/jobs", headers=analyst)).json()["items"]] == [job["id"]]

    patient = tokens.auth(org_id=ORG, roles=["patient"], perms=[sample.read], person_id=str(uuid.uuid4()))
    assert (await jobs_client.get(f"/jobs/{job['id']}", headers=patient)).status_code == 404
    assert (await jobs_client.get("/jobs", headers=patient)).json()["items"] == []


async def test_the_kinds_read_permission_is_required(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    job = await submit(jobs_client, operator(tokens, sample), "sample.refuse")
    nobody = tokens.auth(org_id=ORG, roles=["doctor"], perms=["registry.person:read"])
    r = await jobs_client.get("/jobs", headers=nobody)
    assert r.status_code == 403 and sample.read in r.json()["detail"]
    assert (await jobs_client.get(f"/jobs/{job['id']}", headers=nobody)).status_code == 403
    assert (await jobs_client.get(f"/jobs/{job['id']}/events", headers=nobody)).status_code == 403
    other_only = tokens.auth(org_id=ORG, roles=["doctor"], perms=["sample.other:read"])
    assert (await jobs_client.get("/jobs", headers=other_only)).json()["items"] == []
    assert (await jobs_client.get("/jobs?kind=sample.refuse", headers=other_only)).status_code == 403
    assert (await jobs_client.get("/jobs")).status_code == 401


async def test_the_list_is_newest_first_and_filters(
    jobs_client: httpx.AsyncClient, tokens: TokenFactory, sample: Any
) -> None:
    auth = operator(tokens, sample)
    first = await submit(jobs_client, auth, "sample.refuse")
    await wait_for(jobs_client, auth, first["id"], "failed")
    second = await submit(jobs_client, auth, "sample.echo")
    await wait_for(jobs_client, auth, second["id"], "succeeded")
    r = await jobs_client.get("/jobs", headers=auth)
    assert [j["id"] for j in r.json()["items"]] == [second["id"], first["id"]]
    failed = (await jobs_client.get("/jobs?status=failed", headers=auth)).json()
    assert [j["id"] for j in failed["items"]] == [first["id"]] and failed["total"] == 1
    echo = (await jobs_client.get("/jobs?kind=sample.echo&limit=1", headers=auth)).json()
    assert [j["id"] for j in echo["items"]] == [second["id"]] and echo["limit"] == 1
    bad = await jobs_client.get("/jobs?status=lost", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.status"
    unknown = await jobs_client.get("/jobs?kind=sample.nothing", headers=auth)
    assert unknown.status_code == 422
    colleague = operator(tokens, sample, subject="colleague")
    theirs = await submit(jobs_client, colleague, "sample.echo")
    everyone = (await jobs_client.get("/jobs", headers=auth)).json()
    assert theirs["id"] in [j["id"] for j in everyone["items"]]  # same organization: visible
    mine = (await jobs_client.get("/jobs?mine=true", headers=auth)).json()
    assert [j["id"] for j in mine["items"]] == [second["id"], first["id"]] and mine["total"] == 2


def test_the_router_has_stable_operations(jobs_app: Any) -> None:
    paths = jobs_app.openapi()["paths"]
    ids = {op["operationId"] for path in paths.values() for op in path.values()}
    assert {"jobs-list", "jobs-get", "jobs-events", "jobs-cancel", "jobs-file-download"} <= ids
    assert "text/event-stream" in paths["/jobs/{job_id}/events"]["get"]["responses"]["200"]["content"]
    body = paths["/imports/{kind}"]["post"]["requestBody"]
    assert body["content"]["text/csv"]["schema"] == {"type": "string", "format": "binary"}
