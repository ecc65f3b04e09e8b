"""``registry.mo.updated`` carries the MO's snapshot for finance's MO profile: founder and legal
form from the passport (editable, left as they are when a client does not send them), beds as
the sum of the departments' beds, persons attached today, the territory's ОКТМО; the demo's
legal forms and founder by the MO's name."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import add_mo, created, economist, field_of, mo_events
from tests.api.test_mo_register_support import mo_dictionaries as mo_dictionaries  # autouse
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory
from registry.mo_register.demo import legal_form_of, publish_mo_snapshots, seed_mo_register
from registry.models import Organization
from registry.models.mo_register import MoPassport, Territory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def test_the_event_carries_the_mo_snapshot(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await add_mo(session, "ГАУЗ «Снимковая больница»")
    ministry = await add_org(session, "health_authority", "Минздрав")
    territory = Territory(id=uuid.uuid4(), oktmo="99611000", name="Тестовый округ", kind="city_okrug")
    session.add(territory)
    await session.flush()
    me = economist(tokens, mo)
    for beds in (40, 25, None):
        await created(
            await client.post(
                f"/mo-register/mos/{mo}/departments",
                json={"name": f"Отделение {beds}", "department_type": "surgery", "beds": beds},
                headers=me,
            )
        )
    region = operator(tokens)
    for surname in ("Абрамова", "Борисова"):
        person = await client.post("/persons", json=person_body(surname=surname), headers=region)
        assert person.status_code == 201, person.text
        attached = await client.post(
            "/attachments",
            json={
                "person_id": person.json()["id"],
                "mo_id": str(mo),
                "attached_from": "2023-01-15",
                "method": "application",
                "area_code": "01",
                "application_date": "2023-01-15",
            },
            headers=region,
        )
        assert attached.status_code == 201, attached.text

    passport = await client.put(
        f"/mo-register/mos/{mo}",
        json={"territory_id": str(territory.id), "founder_id": str(ministry), "legal_form": "autonomous"},
        headers=me,
    )
    assert passport.status_code == 200, passport.text
    assert passport.json()["founder_id"] == str(ministry) and passport.json()["legal_form"] == "autonomous"
    last = (await mo_events(session, mo))[-1]
    assert last["part"] == "passport"
    assert last["snapshot"] == {
        "as_of": date.today().isoformat(),
        "founder_id": str(ministry),
        "legal_form": "autonomous",
        "beds": 65,
        "attached_persons": 2,
        "territory_oktmo": "99611000",
    }

    # A client of the card that does not know the new fields keeps them.
    again = await client.put(f"/mo-register/mos/{mo}", json={"address": "ул. Новая, 1"}, headers=me)
    assert again.json()["founder_id"] == str(ministry) and again.json()["legal_form"] == "autonomous"
    assert (await mo_events(session, mo))[-1]["snapshot"]["territory_oktmo"] is None  # territory cleared

    # The founder must be a health authority; the legal form one of four.
    not_founder = await client.put(f"/mo-register/mos/{mo}", json={"founder_id": str(mo)}, headers=me)
    assert field_of(not_founder) == "body.founder_id"
    bad_form = await client.put(f"/mo-register/mos/{mo}", json={"legal_form": "ип"}, headers=me)
    assert bad_form.status_code == 422
    assert (await client.get(f"/mo-register/mos/{mo}", headers=me)).json()["legal_form"] == "autonomous"

    # The demo re-sends every MO's snapshot once the persons are loaded.
    assert await publish_mo_snapshots(session) >= 1
    resent = (await mo_events(session, mo))[-1]
    assert resent["part"] == "snapshot" and resent["snapshot"]["attached_persons"] == 2


def test_the_demo_legal_form_follows_the_name() -> None:
    assert legal_form_of("ГБУЗ «Заречная ЦРБ»") == "budget"
    assert legal_form_of("ГАУЗ «Стоматологическая поликлиника»") == "autonomous"
    assert legal_form_of("ООО «Клиника здоровья»") == "private"
    assert legal_form_of("АО «Медицина»") == "private"
    assert legal_form_of("Больница") is None


async def test_the_demo_passport_has_the_founder_and_legal_form(session: AsyncSession) -> None:
    ministry = Organization(id=uuid.uuid4(), name="Минздрав", kind="health_authority", code="99-MZ")
    session.add(ministry)
    state = await add_mo(session, "ГБУЗ «Демонстрационная ЦРБ»")
    private = await add_mo(session, "ООО «Частная клиника»")
    await seed_mo_register(session)
    passports = {
        p.mo_id: (p.founder_id, p.legal_form)
        for p in await session.scalars(select(MoPassport).where(MoPassport.mo_id.in_([state, private])))
    }
    assert passports == {state: (ministry.id, "budget"), private: (None, "private")}
    events = await mo_events(session, state)
    assert events[-1]["snapshot"]["founder_id"] == str(ministry.id)
