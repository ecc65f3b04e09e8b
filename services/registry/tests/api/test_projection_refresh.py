"""The nightly refresh of the search projection: a fact recorded ahead of time (a name from a
future marriage date) reaches search once the refresh has run for that day, and the job runs
once a day after its hour."""

from datetime import date, datetime, time, timedelta

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory
from registry.demo_region.loading import same_session
from registry.person.projection_refresh import NightlyProjectionRefresh, refresh_projection


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def found(client: httpx.AsyncClient, auth: dict[str, str], surname: str) -> list[str]:
    params = {"surname": surname, "first_name": "Анна", "birth_date": "1985-06-07"}
    response = await client.get("/persons", params=params, headers=auth)
    assert response.status_code == 200, response.text
    return [p["id"] for p in response.json()["items"]]


async def test_a_future_name_reaches_search_after_the_refresh_for_its_day(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    body = person_body(surname="Кузнецова", first_name="Анна", patronymic="Игоревна", birth_date="1985-06-07")
    pid = (await client.post("/persons", json=body, headers=auth)).json()["id"]
    wedding = date.today() + timedelta(days=10)
    name = {
        "surname": "Лебедева",
        "first_name": "Анна",
        "patronymic": "Игоревна",
        "valid_from": wedding.isoformat(),
    }
    assert (await client.post(f"/persons/{pid}/names", json=name, headers=auth)).status_code == 200
    assert await found(client, auth, "Кузнецова") == [pid]
    assert await found(client, auth, "Лебедева") == []

    # Days before the wedding change nothing.
    transaction = same_session(session)
    assert await refresh_projection(transaction, wedding - timedelta(days=1)) == 0
    assert await found(client, auth, "Лебедева") == []

    job = NightlyProjectionRefresh(transaction, hour=3)
    assert await job.tick(datetime.combine(wedding, time(2, 55))) is None  # before the hour
    assert await found(client, auth, "Лебедева") == []
    assert await job.tick(datetime.combine(wedding, time(3, 5))) == 1
    assert await found(client, auth, "Лебедева") == [pid]
    assert await found(client, auth, "Кузнецова") == []
    assert await job.tick(datetime.combine(wedding, time(4, 0))) is None  # once a day
    person = (await client.get(f"/persons/{pid}", params={"on": wedding.isoformat()}, headers=auth)).json()
    assert person["name"]["surname"] == "Лебедева"


async def test_a_missed_night_is_caught_up(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    body = person_body(surname="Кузнецова", first_name="Анна", patronymic="Олеговна", birth_date="1985-06-07")
    person = (await client.post("/persons", json=body, headers=auth)).json()
    wedding = date.today() + timedelta(days=3)
    name = {"surname": "Морозова", "first_name": "Анна", "valid_from": wedding.isoformat()}
    assert (await client.post(f"/persons/{person['id']}/names", json=name, headers=auth)).status_code == 200

    job = NightlyProjectionRefresh(same_session(session), hour=2)
    assert await job.tick(datetime.combine(wedding - timedelta(days=1), time(2))) == 0
    # The service was down on the wedding night; the next night covers it.
    assert await job.tick(datetime.combine(wedding + timedelta(days=1), time(2))) == 1
    assert await found(client, auth, "Морозова") == [person["id"]]
