"""Search modes (SNILS, ENP, policy, document, typo-tolerant name + birth date), newborns, and
who may see whom: an MO sees its attached persons, a patient only themself."""

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import PASSPORT, add_org, operator, person_body, seed_document_types

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def search(client: httpx.AsyncClient, auth: dict[str, str], **params: str) -> dict:
    response = await client.get("/persons", params=params, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


async def test_exact_lookups_by_snils_enp_policy_and_document(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    person = await register(client, auth)
    await register(client, auth)  # another person, never found
    snils = person["snils"]
    formatted = f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}"
    document = person["documents"][0]
    for params in (
        {"snils": formatted},
        {"enp": person["enp"]},
        {"policy": person["enp"]},
        {"document_type": PASSPORT, "document_series": "2810", "document_number": document["number"]},
    ):
        found = await search(client, auth, **params)
        assert [p["id"] for p in found["items"]] == [person["id"]], params
    wrong_type = await search(
        client, auth, document_type="03", document_series="28 10", document_number=document["number"]
    )
    assert wrong_type["total"] == 0


async def test_name_search_tolerates_yo_case_hyphens_and_a_typo(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    target = await register(
        client,
        auth,
        surname="Римская-Корсакова",
        first_name="Алёна",
        patronymic="Сергеевна",
        birth_date="1985-07-04",
    )
    await register(
        client, auth, surname="Смирнова", first_name="Ольга", patronymic="Ивановна", birth_date="1985-07-04"
    )
    for surname, first in (
        ("римская корсакова", "алена"),
        ("РИМСКАЯ-КОРСАКОВА", "АЛЁНА"),
        ("Римская-Корсокова", "Алена"),
    ):
        found = await search(client, auth, surname=surname, first_name=first, birth_date="1985-07-04")
        assert [p["id"] for p in found["items"]] == [target["id"]], surname
        assert 0.5 <= found["items"][0]["score"] <= 1.0
    nobody = await search(client, auth, surname="Кузнецов", first_name="Пётр", birth_date="1985-07-04")
    assert nobody["total"] == 0


async def test_swapped_day_and_month_is_the_fallback(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    auth = operator(tokens)
    target = await register(
        client,
        auth,
        surname="Ёлкин",
        first_name="Фёдор",
        patronymic=None,
        birth_date="1970-03-11",
        sex="male",
    )
    found = await search(client, auth, surname="Елкин", first_name="Федор", birth_date="1970-11-03")
    assert [p["id"] for p in found["items"]] == [target["id"]]
    assert found["items"][0]["birth_date_swapped"] is True
    exact = await search(client, auth, surname="Елкин", first_name="Федор", birth_date="1970-03-11")
    assert exact["items"][0]["birth_date_swapped"] is False


async def test_name_search_without_birth_date_uses_the_trigram_index(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    target = await register(client, auth, surname="Достоевская", first_name="Анна", patronymic="Григорьевна")
    found = await search(client, auth, surname="Достоевская", first_name="Анна")
    assert target["id"] in [p["id"] for p in found["items"]]


async def test_search_needs_exactly_one_mode(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    auth = operator(tokens)
    for params in ({}, {"snils": "11223344595", "enp": "7700000000000016"}, {"birth_date": "1990-01-01"}):
        response = await client.get("/persons", params=params, headers=auth)
        assert response.status_code == 422, params


async def test_search_results_are_audited_per_person(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    person = await register(client, auth)
    await search(client, auth, enp=person["enp"])
    audited = await session.scalar(
        select(func.count()).where(
            AuditRecord.person_id == person["id"], AuditRecord.resource == "person.search"
        )
    )
    assert audited == 1


async def test_newborns_by_mother_and_birth_date(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    auth = operator(tokens)
    mother = await register(client, auth)
    twin_a = await register(
        client,
        auth,
        surname="Иванов",
        first_name="Иван",
        sex="male",
        birth_date="2024-01-10",
        mother_id=mother["id"],
        documents=[],
        snils=None,
        enp=None,
    )
    twin_b = await register(
        client,
        auth,
        surname="Иванова",
        first_name="Мария",
        birth_date="2024-01-10",
        mother_id=mother["id"],
        documents=[],
        snils=None,
        enp=None,
    )
    await register(
        client, auth, first_name="Ольга", birth_date="2021-05-05", mother_id=mother["id"], documents=[]
    )
    found = (
        await client.get(
            "/persons/newborns", params={"mother_id": mother["id"], "birth_date": "2024-01-10"}, headers=auth
        )
    ).json()
    assert sorted(p["id"] for p in found["items"]) == sorted([twin_a["id"], twin_b["id"]])
    assert (await client.get("/persons/newborns", params={"mother_id": mother["id"]}, headers=auth)).json()[
        "total"
    ] == 3
    # a page shorter than the answer still tells the whole count (a short first page needs no count)
    for offset in (0, 2):
        page = await client.get(
            "/persons/newborns",
            params={"mother_id": mother["id"], "limit": 2, "offset": offset},
            headers=auth,
        )
        assert page.status_code == 200, page.text
        assert page.json()["total"] == 3 and len(page.json()["items"]) == 2 - offset // 2
    unknown = await client.get("/persons/newborns", params={"mother_id": str(uuid.uuid4())}, headers=auth)
    assert unknown.status_code == 404
    bad_mother = await client.post("/persons", json=person_body(mother_id=str(uuid.uuid4())), headers=auth)
    assert bad_mother.status_code == 422


async def test_an_mo_sees_only_persons_attached_to_it(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    mo_a, mo_b = await add_org(session, "mo", "Поликлиника А"), await add_org(session, "mo", "Поликлиника Б")
    ours, theirs = await register(client, region), await register(client, region)
    for person, mo in ((ours, mo_a), (theirs, mo_b)):
        attached = await client.post(
            "/attachments",
            json={
                "person_id": person["id"],
                "mo_id": str(mo),
                "attached_from": "2020-01-01",
                "method": "application",
            },
            headers=region,
        )
        assert attached.status_code == 201, attached.text
    doctor = tokens.auth(roles=["doctor"], perms=["registry.person:read"], org_id=mo_a, org_type="mo")
    assert (await client.get(f"/persons/{ours['id']}", headers=doctor)).status_code == 200
    assert (await client.get(f"/persons/{theirs['id']}", headers=doctor)).status_code == 404
    assert (await client.get(f"/persons/{theirs['id']}/history", headers=doctor)).status_code == 404
    assert (await search(client, doctor, enp=theirs["enp"]))["total"] == 0
    assert (await search(client, doctor, enp=ours["enp"]))["total"] == 1
    writer = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:write"], org_id=mo_a, org_type="mo"
    )
    change = await client.post(
        f"/persons/{theirs['id']}/contacts",
        json={"kind": "phone", "value": "+79000000000", "valid_from": "2020-01-01"},
        headers=writer,
    )
    assert change.status_code == 404


async def test_a_patient_sees_only_themself(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    region = operator(tokens)
    me, other = await register(client, region), await register(client, region)
    patient = tokens.auth(
        roles=["patient"], perms=["registry.person:read"], person_id=me["id"], org_type="mo"
    )
    assert (await client.get(f"/persons/{me['id']}", headers=patient)).status_code == 200
    assert (await client.get(f"/persons/{other['id']}", headers=patient)).status_code == 404
    assert (await search(client, patient, enp=other["enp"]))["total"] == 0
    assert (await search(client, patient, enp=me["enp"]))["total"] == 1
    no_write = await client.post(
        f"/persons/{me['id']}/contacts",
        json={"kind": "phone", "value": "+79000000000", "valid_from": "2020-01-01"},
        headers=patient,
    )
    assert no_write.status_code == 403
