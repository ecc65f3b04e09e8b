"""Service areas with their attached population by age and sex (counted from the person
register's attachments on a date), and the region's territories with their demographics and
the MOs placed in them."""

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import (
    add_mo,
    authority,
    created,
    economist,
    field_of,
    mo_dictionaries,  # noqa: F401 (an autouse fixture: the dictionaries in every test)
)
from tests.person_support import operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory

ON = "2024-06-01"


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def attached(
    client: httpx.AsyncClient,
    auth: dict[str, str],
    mo: uuid.UUID,
    area: str,
    *,
    sex: str,
    birth_date: str,
    start: str = "2024-01-10",
) -> dict[str, Any]:
    person = await created(
        await client.post("/persons", json=person_body(sex=sex, birth_date=birth_date), headers=auth)
    )
    body = {
        "person_id": person["id"],
        "mo_id": str(mo),
        "attached_from": start,
        "method": "territorial",
        "area_code": area,
    }
    await created(await client.post("/attachments", json=body, headers=auth))
    return person


def nonzero(groups: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    return {g["label"]: (g["male"], g["female"]) for g in groups if g["total"]}


async def test_area_population_by_age_and_sex_follows_the_attachments_on_the_date(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo, other = await add_mo(session), await add_mo(session)
    me, register = economist(tokens, mo), operator(tokens)
    therapy = await created(
        await client.post(
            f"/mo-register/mos/{mo}/departments",
            json={"name": "Терапия", "department_type": "therapy_outpatient"},
            headers=me,
        )
    )
    area_01 = await created(
        await client.post(
            f"/mo-register/mos/{mo}/areas",
            json={
                "code": "01",
                "kind": "therapeutic",
                "department_id": therapy["id"],
                "description": "ул. Озёрная",
            },
            headers=me,
        )
    )
    await created(
        await client.post(
            f"/mo-register/mos/{mo}/areas", json={"code": "02", "kind": "pediatric"}, headers=me
        )
    )
    await created(
        await client.post(f"/mo-register/mos/{mo}/areas", json={"code": "05", "kind": "feldsher"}, headers=me)
    )
    assert field_of(
        await client.post(f"/mo-register/mos/{mo}/areas", json={"code": "01", "kind": "complex"}, headers=me)
    ) == ("body.code")

    await attached(client, register, mo, "01", sex="female", birth_date="1990-03-15")  # 34
    await attached(client, register, mo, "01", sex="male", birth_date="1950-01-10")  # 74
    await attached(client, register, mo, "02", sex="male", birth_date="2024-01-05")  # under one year
    await attached(client, register, mo, "02", sex="female", birth_date="2010-06-02")  # 13: birthday tomorrow
    await attached(client, register, mo, "02", sex="female", birth_date="2006-06-01")  # 18 today
    await attached(
        client, register, mo, "01", sex="male", birth_date="1980-01-01", start="2024-07-01"
    )  # later
    await attached(client, register, mo, "99", sex="male", birth_date="1985-05-05")  # no such area
    await attached(client, register, other, "01", sex="female", birth_date="1991-01-01")  # another MO
    dead = await attached(client, register, mo, "01", sex="male", birth_date="1940-02-02")
    died = await client.post(
        f"/persons/{dead['id']}/death", json={"death_date": "2024-03-01"}, headers=register
    )
    assert died.status_code in (200, 201), died.text

    area = (
        await client.get(f"/mo-register/areas/{area_01['id']}/population", params={"on": ON}, headers=me)
    ).json()
    assert area["area_code"] == "01" and area["total"] == 2
    assert nonzero(area["groups"]) == {"30–39": (0, 1), "70–79": (1, 0)}
    assert [g["label"] for g in area["groups"]][:3] == ["0", "1–6", "7–14"] and area["groups"][-1][
        "label"
    ] == "80+"

    whole = (await client.get(f"/mo-register/mos/{mo}/population", params={"on": ON}, headers=me)).json()
    assert [(a["area_code"], a["total"]) for a in whole["areas"]] == [
        ("01", 2),
        ("02", 3),
        ("05", 0),
        ("99", 1),
    ]
    assert whole["total"] == 6 and whole["areas"][3]["area_id"] is None
    assert nonzero(whole["areas"][1]["groups"]) == {"0": (1, 0), "7–14": (0, 1), "18–29": (0, 1)}
    later = (
        await client.get(
            f"/mo-register/areas/{area_01['id']}/population", params={"on": "2024-08-01"}, headers=me
        )
    ).json()
    assert later["total"] == 3

    them = economist(tokens, other)
    assert (
        await client.get(f"/mo-register/areas/{area_01['id']}/population", params={"on": ON}, headers=them)
    ).status_code == 404
    assert (
        await client.get(f"/mo-register/mos/{mo}/population", params={"on": ON}, headers=them)
    ).status_code == 404
    region = (
        await client.get(f"/mo-register/mos/{mo}/population", params={"on": ON}, headers=authority(tokens))
    ).json()
    assert region["total"] == 6


async def test_territories_carry_demographics_and_the_mos_placed_in_them(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = authority(tokens, write=True)
    mo = await add_mo(session, "ГБУЗ «Лесогорская ЦРБ»")
    me = economist(tokens, mo)
    lakeside = await created(
        await client.post(
            "/mo-register/territories",
            json={
                "oktmo": "99620000",
                "name": "Лесогорский район",
                "kind": "municipal_district",
                "center": "г. Лесогорск",
            },
            headers=region,
        )
    )
    assert field_of(
        await client.post(
            "/mo-register/territories",
            json={"oktmo": "99620000", "name": "Дубль", "kind": "city_okrug"},
            headers=region,
        )
    ) == ("body.oktmo")
    assert field_of(
        await client.post(
            "/mo-register/territories",
            json={"oktmo": "9962", "name": "Кривой", "kind": "city_okrug"},
            headers=region,
        )
    ) == ("body.oktmo")
    mine = await client.post(
        "/mo-register/territories",
        json={"oktmo": "99630000", "name": "Моя", "kind": "city_okrug"},
        headers=me,
    )
    assert mine.status_code == 403

    url = f"/mo-register/territories/{lakeside['id']}/population"
    rows = [
        {"sex": "male", "age_from": 0, "age_to": 17, "population": 4100},
        {"sex": "male", "age_from": 18, "age_to": 64, "population": 12800},
        {"sex": "male", "age_from": 65, "population": 2300},
        {"sex": "female", "age_from": 0, "age_to": 17, "population": 3900},
        {"sex": "female", "age_from": 18, "age_to": 64, "population": 13500},
        {"sex": "female", "age_from": 65, "population": 4400},
    ]
    loaded = await client.put(f"{url}/2024", json={"rows": rows}, headers=region)
    assert loaded.status_code == 200, loaded.text
    assert (loaded.json()["male"], loaded.json()["female"], loaded.json()["total"]) == (19200, 21800, 41000)
    overlapping = [*rows[:2], {"sex": "male", "age_from": 60, "population": 1}]
    assert (
        field_of(await client.put(f"{url}/2025", json={"rows": overlapping}, headers=region))
        == "body.rows.2.age_from"
    )
    assert field_of(await client.put(f"{url}/1800", json={"rows": rows}, headers=region)) == "path.year"
    assert (await client.put(f"{url}/2025", json={"rows": rows}, headers=me)).status_code == 403
    replaced = await client.put(f"{url}/2024", json={"rows": rows[:3]}, headers=region)
    assert replaced.json()["total"] == 19200
    latest = (await client.get(url, headers=me)).json()
    assert latest["year"] == 2024 and latest["years"] == [2024] and len(latest["rows"]) == 3

    placed = await client.put(
        f"/mo-register/mos/{mo}",
        json={"territory_id": lakeside["id"], "address": "г. Лесогорск, ул. Больничная, 1"},
        headers=me,
    )
    assert placed.status_code == 200 and placed.json()["territory"]["oktmo"] == "99620000"
    in_territory = (await client.get(f"/mo-register/territories/{lakeside['id']}/mos", headers=region)).json()
    assert [m["name"] for m in in_territory["items"]] == ["ГБУЗ «Лесогорская ЦРБ»"]
    filtered = (
        await client.get("/mo-register/mos", params={"territory_id": lakeside["id"]}, headers=region)
    ).json()
    assert filtered["total"] == 1
    listed = (await client.get("/mo-register/territories", params={"q": "Лесо"}, headers=me)).json()
    assert [t["oktmo"] for t in listed["items"]] == ["99620000"]
