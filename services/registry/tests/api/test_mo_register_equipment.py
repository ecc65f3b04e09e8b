"""The equipment register: NSI kinds, dates and location checked (422 naming the field,
nothing written), the state history, monthly use against the norm, inventory, the scope."""

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import (
    add_mo,
    created,
    economist,
    field_of,
    mo_dictionaries,  # noqa: F401 (an autouse fixture: the dictionaries in every test)
    mo_events,
)

from oms_kit.testing.tokens import TokenFactory
from registry.models.mo_register_equipment import Equipment


async def department(
    client: httpx.AsyncClient, mo: uuid.UUID, auth: dict[str, str], kind: str
) -> dict[str, Any]:
    return await created(
        await client.post(
            f"/mo-register/mos/{mo}/departments",
            json={"name": f"Отделение {kind}", "department_type": kind},
            headers=auth,
        )
    )


def ct_scanner(department_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type_code": "RAD.CT",
        "model": "Aquilion Prime SP",
        "manufacturer": "Canon Medical Systems",
        "serial_number": "2CA18X2041",
        "manufactured_year": 2019,
        "commissioned_on": "2019-11-20",
        "department_id": department_id,
    }
    body.update(overrides)
    return body


async def test_bad_equipment_is_refused_field_by_field_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo, other = await add_mo(session), await add_mo(session)
    me = economist(tokens, mo)
    radiology = await department(client, mo, me, "radiology")
    ultrasound = await department(client, mo, me, "ultrasound")
    foreign = await department(client, other, economist(tokens, other), "radiology")
    us_room = await created(
        await client.post(
            f"/mo-register/departments/{ultrasound['id']}/rooms",
            json={"number": "12", "name": "УЗИ"},
            headers=me,
        )
    )
    url = f"/mo-register/mos/{mo}/equipment"
    cases = [
        (ct_scanner(radiology["id"], type_code="RAD.XYZ"), "body.type_code"),
        (ct_scanner(radiology["id"], type_code="RAD"), "body.type_code"),
        (ct_scanner(radiology["id"], commissioned_on="2018-12-31"), "body.commissioned_on"),
        (
            ct_scanner(radiology["id"], commissioned_on="2999-01-01", manufactured_year=2999),
            "body.manufactured_year",
        ),
        (ct_scanner(foreign["id"]), "body.department_id"),
        (ct_scanner(radiology["id"], room_id=us_room["id"]), "body.room_id"),
        (ct_scanner(radiology["id"], manufactured_year=1900), "body.manufactured_year"),
    ]
    for body, field in cases:
        assert field_of(await client.post(url, json=body, headers=me)) == field, body
    assert await session.scalar(select(func.count()).select_from(Equipment).where(Equipment.mo_id == mo)) == 0
    first = await created(await client.post(url, json=ct_scanner(radiology["id"]), headers=me))
    assert first["state"] == "working" and first["type_name"] == "Компьютерный томограф"
    twin = await client.post(url, json=ct_scanner(radiology["id"]), headers=me)
    assert field_of(twin) == "body.serial_number"
    assert [e["part"] for e in await mo_events(session, mo)] == [
        "department",
        "department",
        "room",
        "equipment",
    ]


async def test_states_form_a_history_and_a_decommissioned_unit_stays_so(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await add_mo(session)
    me = economist(tokens, mo)
    icu = await department(client, mo, me, "icu")
    unit = await created(
        await client.post(
            f"/mo-register/mos/{mo}/equipment",
            json=ct_scanner(
                icu["id"],
                type_code="ICU.VENT",
                model="Hamilton C3",
                manufacturer="Hamilton Medical",
                serial_number="HC3-0042",
                manufactured_year=2020,
                commissioned_on="2020-04-01",
            ),
            headers=me,
        )
    )
    url = f"/mo-register/equipment/{unit['id']}/state"

    async def change(state: str, since: str, reason: str | None = None) -> httpx.Response:
        return await client.post(url, json={"state": state, "since": since, "reason": reason}, headers=me)

    assert (await change("under_repair", "2024-02-01", "Замена датчика потока")).status_code == 200
    assert field_of(await change("working", "2024-01-15")) == "body.since"
    assert field_of(await change("under_repair", "2024-03-01")) == "body.state"
    assert (await change("working", "2024-03-15")).status_code == 200
    done = await change("decommissioned", "2025-01-10", "Акт списания № 7")
    assert done.status_code == 200
    card = done.json()
    assert card["state"] == "decommissioned" and card["state_since"] == "2025-01-10"
    assert [(s["state"], s["since"]) for s in card["states"]] == [
        ("decommissioned", "2025-01-10"),
        ("working", "2024-03-15"),
        ("under_repair", "2024-02-01"),
        ("working", "2020-04-01"),
    ]
    assert (await change("working", "2025-02-01")).status_code == 409
    # After a state change, the commissioning date (the first state's start) is fixed.
    moved = await client.patch(
        f"/mo-register/equipment/{unit['id']}", json={"commissioned_on": "2020-05-01"}, headers=me
    )
    assert field_of(moved) == "body.commissioned_on"
    working = (
        await client.get(f"/mo-register/mos/{mo}/equipment", params={"state": "working"}, headers=me)
    ).json()
    assert working["total"] == 0
    by_group = (
        await client.get(f"/mo-register/mos/{mo}/equipment", params={"type_code": "ICU"}, headers=me)
    ).json()
    assert [u["id"] for u in by_group["items"]] == [unit["id"]]


async def test_utilization_is_hours_against_the_norm_and_inventory_is_recorded(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo, other = await add_mo(session), await add_mo(session)
    me = economist(tokens, mo)
    radiology = await department(client, mo, me, "radiology")
    unit = await created(
        await client.post(f"/mo-register/mos/{mo}/equipment", json=ct_scanner(radiology["id"]), headers=me)
    )
    usage = f"/mo-register/equipment/{unit['id']}/usage"
    # RAD.CT works two shifts: the standards' norm is 352 hours a month.
    january = await client.put(f"{usage}/2024-01-01", json={"hours_used": 264}, headers=me)
    assert january.json() == {
        "month": "2024-01-01",
        "hours_used": 264.0,
        "norm_hours": 352,
        "utilization_percent": 75.0,
    }
    assert (await client.put(f"{usage}/2024-02-01", json={"hours_used": 100}, headers=me)).status_code == 200
    assert (await client.put(f"{usage}/2024-02-01", json={"hours_used": 88}, headers=me)).json()[
        "hours_used"
    ] == 88
    assert (
        field_of(await client.put(f"{usage}/2024-01-15", json={"hours_used": 1}, headers=me)) == "path.month"
    )
    assert (
        field_of(await client.put(f"{usage}/2019-10-01", json={"hours_used": 1}, headers=me)) == "path.month"
    )
    assert (
        field_of(await client.put(f"{usage}/2024-02-01", json={"hours_used": 697}, headers=me))
        == "body.hours_used"
    )
    patched = await client.patch(
        f"/mo-register/equipment/{unit['id']}", json={"norm_hours_month": 176}, headers=me
    )
    assert patched.status_code == 200
    months = (await client.get(usage, headers=me)).json()
    assert [(m["month"], m["utilization_percent"]) for m in months] == [
        ("2024-02-01", 50.0),
        ("2024-01-01", 150.0),
    ]

    inventory = f"/mo-register/equipment/{unit['id']}/inventory"
    no_number = await client.post(inventory, json={"counted_on": "2024-12-20", "result": "found"}, headers=me)
    assert field_of(no_number) == "body.inventory_number"
    counted = await client.post(
        inventory,
        json={"counted_on": "2024-12-20", "result": "found", "inventory_number": "101340000123"},
        headers=me,
    )
    assert counted.status_code == 201
    again = await client.post(
        inventory, json={"counted_on": "2025-12-19", "result": "damaged", "note": "Трещина"}, headers=me
    )
    assert again.json()["inventory_number"] == "101340000123"
    card = (await client.get(f"/mo-register/equipment/{unit['id']}", headers=me)).json()
    assert card["inventory_number"] == "101340000123"
    assert [(i["counted_on"], i["result"]) for i in card["inventory"]] == [
        ("2025-12-19", "damaged"),
        ("2024-12-20", "found"),
    ]
    assert [u["month"] for u in card["usage"]] == ["2024-02-01", "2024-01-01"]

    them = economist(tokens, other)
    assert (await client.get(f"/mo-register/equipment/{unit['id']}", headers=them)).status_code == 404
    assert (await client.get(usage, headers=them)).status_code == 404
    stolen = await client.post(
        f"/mo-register/equipment/{unit['id']}/state",
        json={"state": "under_repair", "since": "2025-01-01"},
        headers=them,
    )
    assert stolen.status_code == 404
    assert (await client.get(f"/mo-register/mos/{mo}/equipment", headers=them)).status_code == 404
