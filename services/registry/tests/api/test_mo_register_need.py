"""Equipping standards and the need for equipment: a worked example for two MOs and the region,
the CSV and XLSX exports read back, and the standards file checked against the NSI kinds."""

import csv
import io
import itertools
import uuid
from datetime import date
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import (
    add_mo,
    authority,
    created,
    economist,
    mo_dictionaries,  # noqa: F401 (an autouse fixture: the dictionaries in every test)
)

from oms_kit.testing.tokens import TokenFactory
from registry.mo_register.standards.catalog import standards
from registry.nsi.shipped import SHIPPED, shipped_table

_serials = itertools.count(1)


async def equip(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    mo: uuid.UUID,
    department: str,
    kind: str,
    state: str = "working",
) -> None:
    unit = await created(
        await client.post(
            f"/mo-register/mos/{mo}/equipment",
            json={
                "type_code": kind,
                "model": "Модель",
                "manufacturer": "Производитель",
                "serial_number": f"SN-{next(_serials)}",
                "manufactured_year": 2018,
                "commissioned_on": "2018-06-01",
                "department_id": department,
            },
            headers=auth,
        )
    )
    if state != "working":
        changed = await client.post(
            f"/mo-register/equipment/{unit['id']}/state",
            json={"state": state, "since": "2023-01-01"},
            headers=auth,
        )
        assert changed.status_code == 200


async def departments(
    client: httpx.AsyncClient, auth: dict[str, str], mo: uuid.UUID, *kinds: str
) -> list[str]:
    ids = []
    for kind in kinds:
        body = {"name": kind, "department_type": kind}
        ids.append(
            (await created(await client.post(f"/mo-register/mos/{mo}/departments", json=body, headers=auth)))[
                "id"
            ]
        )
    return ids


def by_kind(lines: list[dict[str, Any]]) -> dict[str, tuple[int, int, int]]:
    return {line["type_code"]: (line["required"], line["available"], line["need"]) for line in lines}


async def two_mos(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> tuple[uuid.UUID, uuid.UUID]:
    """MO A: two outpatient therapy departments (each: 2 ECG, 1 defibrillator) and radiology
    (2 X-ray, 1 fluorograph, 1 mammograph, 1 CT). MO B: ultrasound (1 expert, 2 general) and
    general practice (1 ECG, 1 defibrillator)."""
    a, b = await add_mo(session, "А — городская больница"), await add_mo(session, "Б — районная больница")
    auth_a, auth_b = economist(tokens, a), economist(tokens, b)
    therapy1, _therapy2, radiology = await departments(
        client, auth_a, a, "therapy_outpatient", "therapy_outpatient", "radiology"
    )
    for kind, state in [
        ("FUNC.ECG", "working"),
        ("FUNC.ECG", "working"),
        ("FUNC.ECG", "working"),
        ("FUNC.ECG", "under_repair"),  # not available
        ("FUNC.ECG", "decommissioned"),  # not available
        ("ICU.DEFIB", "working"),
        ("ICU.DEFIB", "working"),
    ]:
        await equip(client, auth_a, a, therapy1, kind, state)
    for kind in ("RAD.CT", "RAD.XR", "RAD.MRI"):  # an MRI no standard of A requires
        await equip(client, auth_a, a, radiology, kind)
    ultrasound, practice = await departments(client, auth_b, b, "ultrasound", "general_practice")
    for kind in ("US.GENERAL", "US.GENERAL", "US.GENERAL"):
        await equip(client, auth_b, b, ultrasound, kind)
    for kind in ("FUNC.ECG", "FUNC.ECG"):
        await equip(client, auth_b, b, practice, kind)
    return a, b


async def test_the_need_is_required_minus_working_units_per_mo_and_summed_over_the_region(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    a, b = await two_mos(client, session, tokens)
    mine = (await client.get("/mo-register/equipment-need", headers=economist(tokens, a))).json()
    assert mine["scope"] == "mo" and [m["mo_id"] for m in mine["mos"]] == [str(a)]
    assert by_kind(mine["lines"]) == {
        "FUNC.ECG": (4, 3, 1),
        "ICU.DEFIB": (2, 2, 0),
        "RAD.CT": (1, 1, 0),
        "RAD.FLG": (1, 0, 1),
        "RAD.MAMMO": (1, 0, 1),
        "RAD.XR": (2, 1, 1),
    }
    assert mine["need"] == 4
    assert {line["type_code"]: line["type_name"] for line in mine["lines"]}["RAD.FLG"] == "Флюорограф"

    region = (await client.get("/mo-register/equipment-need", headers=authority(tokens))).json()
    assert region["scope"] == "region"
    assert {m["mo_id"]: m["need"] for m in region["mos"]} == {str(a): 4, str(b): 2}
    # B's spare ECG does not equip A: the region's ECG need is A's 1, not 5 − 5 = 0.
    assert by_kind(region["lines"]) == {
        "FUNC.ECG": (5, 5, 1),
        "ICU.DEFIB": (3, 2, 1),
        "RAD.CT": (1, 1, 0),
        "RAD.FLG": (1, 0, 1),
        "RAD.MAMMO": (1, 0, 1),
        "RAD.XR": (2, 1, 1),
        "US.EXPERT": (1, 0, 1),
        "US.GENERAL": (2, 3, 0),
    }
    assert region["need"] == 6
    one = (
        await client.get("/mo-register/equipment-need", params={"mo_id": str(b)}, headers=authority(tokens))
    ).json()
    assert one["scope"] == "mo" and one["need"] == 2
    hidden = await client.get(
        "/mo-register/equipment-need", params={"mo_id": str(b)}, headers=economist(tokens, a)
    )
    assert hidden.status_code == 404


async def test_the_need_exports_as_csv_and_xlsx(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    a, b = await two_mos(client, session, tokens)
    region = authority(tokens)
    as_csv = await client.get("/mo-register/equipment-need/export", params={"format": "csv"}, headers=region)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.content.startswith("\ufeff".encode())
    assert f"equipment-need-region-{date.today():%Y-%m-%d}.csv" in as_csv.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["mo_code", "mo_name", "type_code", "type_name", "required", "available", "need"]
    assert [
        "",
        "А — городская больница",
        "RAD.XR",
        "Рентгенодиагностический комплекс стационарный",
        "2",
        "1",
        "1",
    ] in rows
    assert ["", "Б — районная больница", "US.GENERAL", "Аппарат УЗИ общего назначения", "2", "3", "0"] in rows
    assert len(rows) == 1 + 6 + 4
    assert sum(int(r[6]) for r in rows[1:]) == 6

    xlsx = await client.get(
        "/mo-register/equipment-need/export", params={"format": "xlsx", "mo_id": str(a)}, headers=region
    )
    assert xlsx.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.title == "Потребность"
    values = [row for row in sheet.iter_rows(values_only=True) if any(v not in (None, "") for v in row)]
    assert values[0] == (
        "Код МО",
        "Медицинская организация",
        "Код вида",
        "Вид оборудования",
        "Требуется",
        "Исправно",
        "Потребность",
    )
    assert ("", "А — городская больница", "FUNC.ECG", "Электрокардиограф", 4, 3, 1) in [
        tuple("" if v is None else v for v in row) for row in values
    ]
    assert values[-1][1] == "Итого" and values[-1][4:] == (11, 7, 4)
    assert len(values) == 1 + 6 + 1
    foreign = await client.get(
        "/mo-register/equipment-need/export", params={"mo_id": str(b)}, headers=economist(tokens, a)
    )
    assert foreign.status_code == 404


async def test_the_standards_name_only_kinds_of_the_equipment_dictionary(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    shipped = next(s for s in SHIPPED if s.dictionary == "equipment_type")
    table = shipped_table(shipped)
    kinds = {row.values["CODE"] for row in table.rows if row.values.get("PARENT")}
    loaded = standards()
    codes = [d.code for d in loaded.department_types]
    assert len(codes) == len(set(codes))
    required = {item.type for d in loaded.department_types for item in d.equipment}
    assert required <= kinds and set(loaded.work_norms) <= kinds
    body = (await client.get("/mo-register/standards", headers=authority(tokens))).json()
    radiology = next(d for d in body["department_types"] if d["code"] == "radiology")
    assert {"type": "RAD.CT", "quantity": 1} in radiology["equipment"] and body["work_norms"]["RAD.CT"] == 352
    assert (
        await client.get("/mo-register/standards", headers=tokens.auth(perms=["registry.nsi:read"]))
    ).status_code == 403
