"""The register export job: the import format, so an exported file imports into another
register and exports from there the same; scoped to what the submitter may see; audited."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.api.person_import_support import (
    XLSX,
    csv_bytes,
    import_file,
    output,
    person_row,
    register_app,
    tfoms,
    wait_job,
)
from tests.person_support import PERSON_RW

from oms_kit.testing.tokens import TokenFactory
from registry.person_import.columns import COLUMNS

ROWS = [
    person_row(
        previous_surname="Петрова", surname_from="2010-06-12", residence_address="г. Приозёрск, ул. Мира, 3"
    ),
    person_row(
        surname="Ёлкин",
        first_name="Пётр",
        sex="male",
        previous_insurer="99001",
        previous_policy_type="1",
        previous_policy_number="7700112233",
        previous_insurance_from="2011-05-01",
        insurance_from="2019-03-01",
        previous_registration_address="г. Заречный, ул. Лесная, 8",
        registration_address_from="2015-02-02",
        death_date="2024-02-29",
    ),
    person_row(surname="Без Прикрепления", mo="", area_code="", attached_from="", attachment_method=""),
]


async def _export(client, auth: dict[str, str], query: str = "") -> dict[str, object]:  # type: ignore[no-untyped-def]
    started = await client.get(f"/persons/export?{query}", headers=auth)
    assert started.status_code == 202, started.text
    return await wait_job(client, auth, started.json()["id"])


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


async def test_an_export_imports_into_another_register_unchanged(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> None:
    auth = tfoms(tokens)
    async with register_app(service_dir, fresh_database, tokens) as first:
        imported = await import_file(first.client, auth, csv_bytes(ROWS))
        assert imported["result"]["imported"] == 3, imported
        job = await _export(first.client, auth, "on=2025-01-01")
        assert job["status"] == "succeeded" and job["result"]["persons"] == 3, job
        exported = await output(first.client, auth, job, "register")
        engine = create_async_engine(first.url)
        async with engine.connect() as conn:
            audited = (
                await conn.execute(text("SELECT count(*) FROM audit_log WHERE action = 'export'"))
            ).scalar_one()
        await engine.dispose()
        assert audited == 3
    rows = _csv_rows(exported)
    assert list(rows[0]) == list(COLUMNS)
    married = next(r for r in rows if r["previous_surname"])
    assert married["surname"] == "Соколова" and married["surname_from"] == "2010-06-12"
    elkin = next(r for r in rows if r["surname"] == "Ёлкин")
    assert elkin["previous_policy_number"] == "7700112233" and elkin["death_date"] == "2024-02-29"
    assert (
        elkin["previous_registration_address"] == "г. Заречный, ул. Лесная, 8" and elkin["insurer"] == "99001"
    )

    async with register_app(service_dir, fresh_database, tokens) as second:
        again = await import_file(second.client, auth, exported)
        assert again["result"]["imported"] == 3 and again["result"]["rejected"] == 0, again
        job = await _export(second.client, auth, "on=2025-01-01")
        assert _csv_rows(await output(second.client, auth, job, "register")) == rows
        xlsx = await _export(second.client, auth, "on=2025-01-01&format=xlsx")
        sheet = load_workbook(io.BytesIO(await output(second.client, auth, xlsx, "register"))).worksheets[0]
        values = list(sheet.iter_rows(values_only=True))
        assert list(values[0]) == list(COLUMNS) and len(values) == 4
        assert xlsx["files"][-1]["media_type"] == XLSX


async def test_an_mo_exports_only_its_attached_persons(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> None:
    async with register_app(service_dir, fresh_database, tokens) as reg:
        await import_file(reg.client, tfoms(tokens), csv_bytes(ROWS))
        mo_user = tokens.auth(roles=["doctor"], perms=PERSON_RW, org_id=reg.mo_id, org_type="mo")
        job = await _export(reg.client, mo_user)
        names = {r["surname"] for r in _csv_rows(await output(reg.client, mo_user, job, "register"))}
        assert names == {"Соколова", "Ёлкин"}
        other = await reg.client.get(f"/persons/export?mo_id={uuid.uuid4()}", headers=mo_user)
        assert other.status_code == 404
        patient = tokens.auth(roles=["patient"], perms=["registry.person:read"], person_id=str(uuid.uuid4()))
        assert (await reg.client.get("/persons/export", headers=patient)).status_code == 403
