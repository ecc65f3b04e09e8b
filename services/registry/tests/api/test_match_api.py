"""``POST /persons/$match`` and the duplicate check of registration, on real PostgreSQL:
reasons and grades, Latin input, former surnames, scope, audit; a probable duplicate refused
with a 409 listing the candidates, registered once the operator confirms, and queued."""

import uuid

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import DuplicateCandidate, Person


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def match(client: httpx.AsyncClient, auth: dict[str, str], **body: object) -> list[dict]:
    response = await client.post("/persons/$match", json=body, headers=auth)
    assert response.status_code == 200, response.text
    return response.json()["candidates"]


def reasons(candidate: dict) -> dict[str, str]:
    return {r["field"]: r["level"] for r in candidate["reasons"]}


async def test_match_grades_and_explains_candidates(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    target = await register(client, auth)
    await register(client, auth, surname="Смирнова", first_name="Ольга", patronymic="Ивановна")

    latin = await match(
        client,
        auth,
        surname="Ivanova",
        first_name="Alyona",
        patronymic="Petrovna",
        birth_date="1990-03-15",
        sex="female",
    )
    assert [c["person_id"] for c in latin] == [target["id"]]
    assert latin[0]["grade"] == "probable" and latin[0]["oip"] == target["oip"]
    assert reasons(latin[0]) == {
        "surname": "exact",
        "first_name": "exact",
        "patronymic": "exact",
        "birth_date": "exact",
        "sex": "agree",
    }
    assert latin[0]["person"]["surname"] == "Иванова"
    assert all(r["weight"] > 0 and r["detail"] for r in latin[0]["reasons"])

    by_snils = await match(client, auth, snils=target["snils"], surname="Иванова", birth_date="1990-03-15")
    assert by_snils[0]["grade"] == "certain" and reasons(by_snils[0])["snils"] == "exact"

    swapped = await match(
        client, auth, surname="ИВАНОВА", first_name="алена", patronymic="Петровна", birth_date="1990-03-15"
    )
    assert swapped[0]["person_id"] == target["id"]
    typo = await match(
        client, auth, surname="Иванвоа", first_name="Алена", birth_date="1990-03-15", sex="female"
    )
    assert typo[0]["person_id"] == target["id"] and reasons(typo[0])["surname"] == "close"

    audited = await session.scalar(
        select(func.count()).where(
            AuditRecord.person_id == target["id"], AuditRecord.resource == "person.match"
        )
    )
    assert audited == 4


async def test_swapped_day_month_and_a_former_surname_are_found(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    fedor = await register(
        client,
        auth,
        surname="Ёлкин",
        first_name="Фёдор",
        patronymic="Ильич",
        sex="male",
        birth_date="1970-03-11",
    )
    found = await match(
        client, auth, surname="Елкин", first_name="Федор", patronymic="Ильич", birth_date="1970-11-03"
    )
    assert found[0]["person_id"] == fedor["id"] and reasons(found[0])["birth_date"] == "swapped"

    bride = await register(client, auth, surname="Голубева", first_name="Вера", birth_date="1988-08-08")
    married = await client.post(
        f"/persons/{bride['id']}/names",
        json={
            "surname": "Соколова",
            "first_name": "Вера",
            "patronymic": "Петровна",
            "valid_from": "2012-06-01",
        },
        headers=auth,
    )
    assert married.status_code == 200, married.text
    by_maiden = await match(
        client, auth, surname="Голубева", first_name="Вера", patronymic="Петровна", birth_date="1988-08-08"
    )
    assert by_maiden[0]["person_id"] == bride["id"]
    assert reasons(by_maiden[0])["surname"] == "former" and by_maiden[0]["grade"] == "probable"


async def test_an_icao_spelling_and_a_transposed_year_are_found(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    diana = await register(
        client, auth, surname="Майорова", first_name="Диана", patronymic="Юрьевна", birth_date="1967-03-15"
    )
    # ICAO writes Я as IA, and «Diana» is И+А; YO after a vowel is Й+О; Ь is dropped
    latin = await match(
        client,
        auth,
        surname="Mayorova",
        first_name="Diana",
        patronymic="Iurevna",
        birth_date="1967-03-15",
        sex="female",
    )
    assert latin[0]["person_id"] == diana["id"] and latin[0]["grade"] == "probable"
    assert {reasons(latin[0])[f] for f in ("surname", "first_name", "patronymic")} == {"exact"}

    year = await match(
        client, auth, surname="Майорова", first_name="Диана", patronymic="Юрьевна", birth_date="1976-03-15"
    )
    assert year[0]["person_id"] == diana["id"] and reasons(year[0])["birth_date"] == "transposed"
    detail = {r["field"]: r["detail"] for r in year[0]["reasons"]}
    assert detail["birth_date"] == "Дата рождения: переставлены две соседние цифры"


async def test_match_needs_something_to_match_on(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    response = await client.post("/persons/$match", json={"first_name": "Иван"}, headers=operator(tokens))
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    bad_snils = await client.post("/persons/$match", json={"snils": "11223344500"}, headers=operator(tokens))
    assert bad_snils.status_code == 422 and "snils" in str(bad_snils.json()["errors"])


async def test_an_mo_matches_only_within_its_scope(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await register(client, operator(tokens))
    mo = await add_org(session, "mo")
    mo_operator = operator(tokens, mo, "mo")
    assert (
        await match(client, mo_operator, surname="Иванова", first_name="Алёна", birth_date="1990-03-15") == []
    )


async def test_registration_refuses_a_probable_duplicate_until_confirmed(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    existing = await register(client, auth, snils=None, enp=None, documents=[])
    persons_before = await session.scalar(select(func.count()).select_from(Person))

    body = person_body(surname="Иваноба", snils=None, enp=None, documents=[])
    refused = await client.post("/persons", json=body, headers=auth)
    assert refused.status_code == 409, refused.text
    problem = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert problem["type"] == "urn:oms:problem:probable-duplicate" and "confirm_new" in problem["detail"]
    [candidate] = problem["candidates"]
    assert candidate["person_id"] == existing["id"] and candidate["oip"] == existing["oip"]
    assert candidate["grade"] == "probable" and candidate["person"] is None  # no personal data in a 409
    assert await session.scalar(select(func.count()).select_from(Person)) == persons_before

    # Another MO's operator is refused as well: the check covers the whole register.
    mo_operator = operator(tokens, await add_org(session, "mo"), "mo")
    assert (await client.post("/persons", json=body, headers=mo_operator)).status_code == 409

    confirmed = await client.post("/persons", json={**body, "confirm_new": True}, headers=auth)
    assert confirmed.status_code == 201, confirmed.text
    queued = (
        await session.scalars(
            select(DuplicateCandidate).where(
                DuplicateCandidate.person_a.in_(
                    [uuid.UUID(existing["id"]), uuid.UUID(confirmed.json()["id"])]
                )
            )
        )
    ).all()
    [pair] = queued
    assert (pair.source, pair.status, pair.grade) == ("registration", "open", "probable")
    assert {pair.person_a, pair.person_b} == {uuid.UUID(existing["id"]), uuid.UUID(confirmed.json()["id"])}


async def test_different_snils_never_blocks_registration(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    await register(client, auth)
    await register(client, auth)  # same name and birth date, another SNILS, ENP and passport
