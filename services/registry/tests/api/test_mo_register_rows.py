"""The shape every row of the MO register shares (registry.mo_register.rows): another MO's row is
the same 404 as no row at all, a PATCH may not clear a required field, and every change or
deletion of an MO's row publishes ``registry.mo.updated`` naming the part and the row."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import (
    add_mo,
    authority,
    created,
    economist,
    field_of,
    mo_dictionaries,  # noqa: F401 (an autouse fixture: the dictionaries in every test)
    mo_events,
)

from oms_kit.testing.tokens import TokenFactory


@dataclass(frozen=True)
class Kind:
    part: str  # what registry.mo.updated names
    rows: str  # /mo-register/<rows>/{id}
    change: dict[str, Any]  # a valid PATCH
    required: str  # a field a PATCH may not clear
    deletable: bool = True
    readable: bool = True  # GET /<rows>/{id} exists


async def make_rows(client: httpx.AsyncClient, mo: uuid.UUID, me: dict[str, str]) -> dict[str, str]:
    """One row of each kind in the MO: kind → id."""
    base = f"/mo-register/mos/{mo}"

    async def post(url: str, body: dict[str, Any]) -> str:
        return str((await created(await client.post(url, json=body, headers=me)))["id"])

    branch = await post(f"{base}/branches", {"kind": "branch", "name": "Филиал № 1"})
    department = await post(f"{base}/departments", {"name": "Рентгенология", "department_type": "radiology"})
    room = await post(f"/mo-register/departments/{department}/rooms", {"number": "101", "name": "КТ"})
    license_id = await post(
        f"{base}/licenses",
        {"number": "Л041-01", "issued_on": "2021-03-01", "valid_from": "2021-03-01", "care_profiles": ["01"]},
    )
    area = await post(f"{base}/areas", {"code": "01", "kind": "therapeutic"})
    unit = await post(
        f"{base}/equipment",
        {
            "type_code": "RAD.CT",
            "model": "Aquilion",
            "manufacturer": "Canon",
            "serial_number": "SN-1",
            "manufactured_year": 2019,
            "commissioned_on": "2019-11-20",
            "department_id": department,
        },
    )
    return {
        "branch": branch,
        "department": department,
        "room": room,
        "license": license_id,
        "area": area,
        "equipment": unit,
    }


KINDS = [
    Kind("branch", "branches", {"name": "Филиал № 2"}, "name", readable=False),
    Kind("department", "departments", {"name": "Лучевая диагностика"}, "department_type", readable=False),
    Kind("room", "rooms", {"name": "Компьютерная томография"}, "number", readable=False),
    Kind("license", "licenses", {"number": "Л041-02"}, "care_profiles"),
    Kind("area", "areas", {"description": "ул. Речная, 1–15"}, "kind"),
    Kind("equipment", "equipment", {"model": "Aquilion Prime"}, "serial_number", deletable=False),
]


async def test_another_mos_row_is_the_same_404_as_no_row(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    ours, theirs = await add_mo(session, "МО А"), await add_mo(session, "МО Б")
    me, them = economist(tokens, ours), economist(tokens, theirs)
    ids = await make_rows(client, ours, me)
    before = await mo_events(session, ours)
    for kind in KINDS:
        url = f"/mo-register/{kind.rows}/{ids[kind.part]}"
        absent = f"/mo-register/{kind.rows}/{uuid.uuid4()}"
        methods = (
            [("PATCH", kind.change)] + [("GET", None)] * kind.readable + [("DELETE", None)] * kind.deletable
        )
        for method, body in methods:
            foreign = await client.request(method, url, json=body, headers=them)
            missing = await client.request(method, absent, json=body, headers=me)
            assert foreign.status_code == missing.status_code == 404, (kind.part, method, foreign.text)
            assert foreign.json()["detail"] == missing.json()["detail"], (kind.part, method)
            assert "не найден" in foreign.json()["detail"]
    assert await mo_events(session, ours) == before  # nothing was changed
    # the region reads every MO's rows
    region = authority(tokens)
    for kind in KINDS:
        if kind.readable:
            url = f"/mo-register/{kind.rows}/{ids[kind.part]}"
            assert (await client.get(url, headers=region)).status_code == 200, kind.part


async def test_patch_and_delete_publish_the_change_and_required_fields_stay(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await add_mo(session)
    me = economist(tokens, mo)
    ids = await make_rows(client, mo, me)
    for kind in KINDS:
        url = f"/mo-register/{kind.rows}/{ids[kind.part]}"
        before = len(await mo_events(session, mo))
        cleared = await client.patch(url, json={kind.required: None}, headers=me)
        assert field_of(cleared) == f"body.{kind.required}", kind.part
        assert len(await mo_events(session, mo)) == before  # refused: nothing published

        changed = await client.patch(url, json=kind.change, headers=me)
        assert changed.status_code == 200, (kind.part, changed.text)
        field, value = next(iter(kind.change.items()))
        assert changed.json()[field] == value
        events = await mo_events(session, mo)
        assert without_snapshot(events[before:]) == [
            {"mo_id": str(mo), "part": kind.part, "object_id": ids[kind.part]}
        ]

    # children first: the equipment stays (decommissioned, never deleted), so its room and
    # department do too
    for part in ("license", "area", "branch"):
        kind = next(k for k in KINDS if k.part == part)
        url = f"/mo-register/{kind.rows}/{ids[part]}"
        before = len(await mo_events(session, mo))
        assert (await client.delete(url, headers=me)).status_code == 204
        events = await mo_events(session, mo)
        assert without_snapshot(events[before:]) == [{"mo_id": str(mo), "part": part, "object_id": ids[part]}]
        again = await client.delete(url, headers=me)
        assert again.status_code == 404 and again.headers["content-type"] == "application/problem+json"


async def test_territories_are_the_regions_rows(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = authority(tokens, write=True)
    territory = await created(
        await client.post(
            "/mo-register/territories",
            json={"oktmo": "28701000", "name": "Тверь", "kind": "city_okrug"},
            headers=region,
        )
    )
    url = f"/mo-register/territories/{territory['id']}"
    assert field_of(await client.patch(url, json={"name": None}, headers=region)) == "body.name"
    renamed = await client.patch(url, json={"name": "г. Тверь"}, headers=region)
    assert renamed.status_code == 200 and renamed.json()["name"] == "г. Тверь"
    # any MO's user reads the region's territories
    mo = await add_mo(session)
    assert (await client.get(url, headers=economist(tokens, mo))).json()["name"] == "г. Тверь"
    missing = await client.get(f"/mo-register/territories/{uuid.uuid4()}", headers=region)
    assert missing.status_code == 404 and missing.json()["detail"] == "Территория не найдена"


def without_snapshot(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The change an event names (its MO snapshot is tested in test_mo_snapshot)."""
    return [{k: v for k, v in e.items() if k != "snapshot"} for e in events]
