"""Shared setup of the register import/export tests: an app on a database of its own (the jobs
commit, as in production), its reference data, a file builder and a job poller."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from openpyxl import Workbook
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from tests.person_support import PERSON_RW, new_enp, new_snils, seed_document_types, seed_policy_types

from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory
from registry.config import Settings
from registry.main import create_app
from registry.models import Organization
from registry.person_import.columns import COLUMNS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INSURER_CODE = "99001"
MO_CODE = "990001"


@dataclass
class Register:
    client: httpx.AsyncClient
    url: str
    insurer_id: uuid.UUID
    mo_id: uuid.UUID


@asynccontextmanager
async def register_app(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[Register]:
    url = await fresh_database(service_dir)
    engine = create_async_engine(url)
    insurer, mo = uuid.uuid4(), uuid.uuid4()
    async with AsyncSession(engine) as session, session.begin():
        await seed_document_types(session)
        await seed_policy_types(session)
        session.add(Organization(id=insurer, name="СМО «Приозёрье-Мед»", kind="insurer", code=INSURER_CODE))
        session.add(Organization(id=mo, name="Поликлиника № 2", kind="mo", code=MO_CODE))
    await engine.dispose()
    settings = Settings(OMS_REGISTRY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app: FastAPI = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            yield Register(client, url, insurer, mo)


def tfoms(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["registry_operator"], perms=PERSON_RW, org_id=uuid.uuid4(), org_type="tfoms")


def person_row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "surname": "Соколова",
        "first_name": "Мария",
        "patronymic": "Ивановна",
        "birth_date": "1985-07-21",
        "sex": "female",
        "birth_place": "г. Приозёрск",
        "snils": new_snils(),
        "enp": new_enp(),
        "document_type": "14",
        "document_series": "28 05",
        "document_number": f"{uuid.uuid4().int % 1_000_000:06d}",
        "document_issue_date": "2005-08-01",
        "registration_address": "Приозёрская обл., г. Приозёрск, ул. Озёрная, д. 5, кв. 12",
        "registration_address_from": "2012-03-01",
        "phone": "+7 900 123-45-67",
        "insurer": INSURER_CODE,
        "policy_type": "3",
        "policy_number": "",
        "insurance_from": "2011-05-01",
        "mo": MO_CODE,
        "area_code": "07",
        "attached_from": "2019-01-10",
        "attachment_method": "application",
        "employment_status": "working",
        "employment_from": "2010-09-01",
    }
    row["policy_number"] = row["enp"]
    row.update(overrides)
    return row


def csv_bytes(rows: list[dict[str, Any]], *, delimiter: str = ";", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows([[r.get(c) or "" for c in COLUMNS] for r in rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict[str, Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Регистр")
    sheet.append(list(COLUMNS))
    for r in rows:
        sheet.append([r.get(c) for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def wait_job(client: httpx.AsyncClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = {}
    for _ in range(600):
        job = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def import_file(
    client: httpx.AsyncClient, auth: dict[str, str], body: bytes, media: str = "text/csv"
) -> dict[str, Any]:
    started = await client.post(
        "/persons/imports",
        content=body,
        headers={
            **auth,
            "Content-Type": media,
            "Content-Disposition": "attachment; filename*=UTF-8''reg.csv",
        },
    )
    assert started.status_code == 202, started.text
    return await wait_job(client, auth, started.json()["id"])


async def output(client: httpx.AsyncClient, auth: dict[str, str], job: dict[str, Any], part: str) -> bytes:
    file = next(f for f in job["files"] if f["role"] == "output" and part in f["name"])
    response = await client.get(f"/jobs/{job['id']}/files/{file['id']}", headers=auth)
    assert response.status_code == 200
    return response.content
