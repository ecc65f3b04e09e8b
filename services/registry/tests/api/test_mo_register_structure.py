"""The MO card and tree: branches, departments, rooms, licenses — CRUD, the organization scope,
bad input (422 naming the field, nothing written) and ``registry.mo.updated`` in the outbox."""

import uuid

import httpx
from sqlalchemy import func, select
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
from tests.person_support import add_org

from oms_kit.testing.tokens import TokenFactory
from registry.models.mo_register import MoDepartment, MoLicense


async def test_the_tree_is_built_edited_and_read_back(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await add_mo(session, "ГБУЗ «Заречная ЦРБ»")
    me = economist(tokens, mo)
    branch = await created(
        await client.post(
            f"/mo-register/mos/{mo}/branches",
            json={"kind": "branch", "name": "Филиал в с. Озёрное", "address": "с. Озёрное, ул. Мира, 3"},
            headers=me,
        )
    )
    therapy = await created(
        await client.post(
            f"/mo-register/mos/{mo}/departments",
            json={
                "name": "Терапевтическое отделение",
                "department_type": "therapy_outpatient",
                "care_profiles": ["01"],
            },
            headers=me,
        )
    )
    rural = await created(
        await client.post(
            f"/mo-register/mos/{mo}/departments",
            json={
                "branch_id": branch["id"],
                "name": "Отделение ОВП",
                "department_type": "general_practice",
                "care_profiles": ["20", "01", "20"],
            },
            headers=me,
        )
    )
    assert rural["care_profiles"] == ["20", "01"]
    room = await created(
        await client.post(
            f"/mo-register/departments/{therapy['id']}/rooms",
            json={
                "number": "101",
                "name": "Кабинет врача-терапевта участкового",
                "floor": 1,
                "area_m2": 14.5,
            },
            headers=me,
        )
    )
    assert (
        await client.post(
            f"/mo-register/departments/{therapy['id']}/rooms",
            json={"number": "101", "name": "Ещё"},
            headers=me,
        )
    ).status_code == 422

    tree = (await client.get(f"/mo-register/mos/{mo}/tree", headers=me)).json()
    assert tree["mo"]["name"] == "ГБУЗ «Заречная ЦРБ»"
    assert [d["name"] for d in tree["departments"]] == ["Терапевтическое отделение"]
    assert tree["departments"][0]["rooms"][0]["number"] == "101"
    assert [(b["name"], [d["name"] for d in b["departments"]]) for b in tree["branches"]] == [
        ("Филиал в с. Озёрное", ["Отделение ОВП"])
    ]

    moved = await client.patch(
        f"/mo-register/departments/{rural['id']}", json={"branch_id": None}, headers=me
    )
    assert moved.status_code == 200 and moved.json()["branch_id"] is None
    renamed = await client.patch(
        f"/mo-register/rooms/{room['id']}", json={"name": "Кабинет № 101"}, headers=me
    )
    assert renamed.json()["name"] == "Кабинет № 101" and renamed.json()["number"] == "101"
    assert (await client.delete(f"/mo-register/branches/{branch['id']}", headers=me)).status_code == 204
    busy = await client.delete(f"/mo-register/departments/{therapy['id']}", headers=me)
    assert busy.status_code == 409
    assert (await client.delete(f"/mo-register/rooms/{room['id']}", headers=me)).status_code == 204
    assert (await client.delete(f"/mo-register/departments/{therapy['id']}", headers=me)).status_code == 204

    card = (await client.get(f"/mo-register/mos/{mo}", headers=me)).json()
    assert card["counts"] == {
        "branches": 0,
        "departments": 1,
        "rooms": 0,
        "areas": 0,
        "licenses_in_force": 0,
        "equipment": 0,
        "equipment_working": 0,
    }
    events = await mo_events(session, mo)
    assert [e["part"] for e in events] == [
        "branch",
        "department",
        "department",
        "room",
        "department",
        "room",
        "branch",
        "room",
        "department",
    ]
    assert all(e["mo_id"] == str(mo) for e in events)
    assert events[0]["object_id"] == branch["id"]


async def test_an_mo_sees_and_changes_only_its_own_passport(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    ours, theirs = await add_mo(session, "МО А"), await add_mo(session, "МО Б")
    me, them = economist(tokens, ours), economist(tokens, theirs)
    department = await created(
        await client.post(
            f"/mo-register/mos/{theirs}/departments",
            json={"name": "Хирургия", "department_type": "surgery"},
            headers=them,
        )
    )
    for method, url, body in (
        ("GET", f"/mo-register/mos/{theirs}", None),
        ("GET", f"/mo-register/mos/{theirs}/tree", None),
        ("GET", f"/mo-register/mos/{theirs}/departments", None),
        ("POST", f"/mo-register/mos/{theirs}/branches", {"kind": "branch", "name": "Чужой"}),
        ("PATCH", f"/mo-register/departments/{department['id']}", {"name": "Захвачено"}),
        ("DELETE", f"/mo-register/departments/{department['id']}", None),
        ("GET", f"/mo-register/departments/{department['id']}/rooms", None),
    ):
        response = await client.request(method, url, json=body, headers=me)
        assert response.status_code == 404, (method, url, response.text)
    listed = (await client.get("/mo-register/mos", headers=me)).json()
    assert [m["id"] for m in listed["items"]] == [str(ours)]

    region = authority(tokens)
    region_list = (await client.get("/mo-register/mos", params={"limit": 500}, headers=region)).json()
    assert {str(ours), str(theirs)} <= {m["id"] for m in region_list["items"]}
    assert (await client.get(f"/mo-register/mos/{theirs}/tree", headers=region)).status_code == 200
    # The health authority reads; without the write permission it changes nothing.
    refused = await client.post(
        f"/mo-register/mos/{theirs}/branches", json={"kind": "branch", "name": "Новый"}, headers=region
    )
    assert refused.status_code == 403
    not_an_mo = await add_org(session, "insurer", "СМО")
    assert (await client.get(f"/mo-register/mos/{not_an_mo}", headers=region)).status_code == 404
    name = await session.scalar(
        select(MoDepartment.name).where(MoDepartment.id == uuid.UUID(department["id"]))
    )
    assert name == "Хирургия"


async def test_bad_structure_input_names_the_field_and_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo, other = await add_mo(session), await add_mo(session)
    me = economist(tokens, mo)
    their_branch = await created(
        await client.post(
            f"/mo-register/mos/{other}/branches",
            json={"kind": "branch", "name": "Их"},
            headers=economist(tokens, other),
        )
    )
    before = await mo_events(session, mo)
    cases = [
        ({"name": "X", "department_type": "spaceport"}, "body.department_type"),
        ({"name": "X", "department_type": "surgery", "care_profiles": ["03", "99"]}, "body.care_profiles.1"),
        ({"name": "X", "department_type": "surgery", "branch_id": their_branch["id"]}, "body.branch_id"),
        ({"name": "X", "department_type": "surgery", "beds": -1}, "body.beds"),
    ]
    for body, field in cases:
        assert (
            field_of(await client.post(f"/mo-register/mos/{mo}/departments", json=body, headers=me)) == field
        )
    count = await session.scalar(
        select(func.count()).select_from(MoDepartment).where(MoDepartment.mo_id == mo)
    )
    assert count == 0 and await mo_events(session, mo) == before
    passport = await client.put(
        f"/mo-register/mos/{mo}",
        json={"territory_id": str(uuid.uuid4()), "address": "ул. Ленина, 1"},
        headers=me,
    )
    assert field_of(passport) == "body.territory_id"


async def test_licenses_cover_care_profiles_and_their_periods_never_overlap(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await add_mo(session)
    me = economist(tokens, mo)
    old = await created(
        await client.post(
            f"/mo-register/mos/{mo}/licenses",
            json={
                "number": "ЛО-69-01-001234",
                "issued_on": "2015-03-01",
                "valid_from": "2015-03-01",
                "valid_to": "2021-02-28",
                "care_profiles": ["01", "02"],
            },
            headers=me,
        )
    )
    assert old["in_force"] is False
    current = await created(
        await client.post(
            f"/mo-register/mos/{mo}/licenses",
            json={
                "number": "Л041-01137-69/00345678",
                "issued_on": "2021-03-01",
                "valid_from": "2021-03-01",
                "care_profiles": ["01", "02", "13"],
            },
            headers=me,
        )
    )
    assert current["in_force"] is True and current["valid_to"] is None
    overlapping = {
        "number": "Л041-дубль",
        "issued_on": "2020-01-01",
        "valid_from": "2021-02-01",
        "valid_to": "2021-03-15",
        "care_profiles": ["01"],
    }
    assert field_of(await client.post(f"/mo-register/mos/{mo}/licenses", json=overlapping, headers=me)) == (
        "body.valid_from"
    )
    unknown = {**overlapping, "valid_from": "2010-01-01", "valid_to": "2010-12-31", "issued_on": "2009-12-01"}
    unknown["care_profiles"] = ["01", "ZZ"]
    assert field_of(await client.post(f"/mo-register/mos/{mo}/licenses", json=unknown, headers=me)) == (
        "body.care_profiles.1"
    )
    backwards = {**unknown, "care_profiles": ["01"], "valid_to": "2009-12-31"}
    assert field_of(await client.post(f"/mo-register/mos/{mo}/licenses", json=backwards, headers=me)) == (
        "body.valid_to"
    )
    # Stretching the old license into the current one is refused and leaves it as it was.
    stretched = await client.patch(
        f"/mo-register/licenses/{old['id']}", json={"valid_to": "2022-01-01"}, headers=me
    )
    assert field_of(stretched) == "body.valid_from"
    kept = await session.scalar(select(MoLicense.valid_to).where(MoLicense.id == uuid.UUID(old["id"])))
    assert str(kept) == "2021-02-28"
    in_force = (
        await client.get(f"/mo-register/mos/{mo}/licenses", params={"on": "2024-06-01"}, headers=me)
    ).json()
    assert [item["number"] for item in in_force["items"]] == ["Л041-01137-69/00345678"]
    everything = (await client.get(f"/mo-register/mos/{mo}/licenses", headers=me)).json()
    assert everything["total"] == 2
    assert [e["part"] for e in await mo_events(session, mo)] == ["license", "license"]
