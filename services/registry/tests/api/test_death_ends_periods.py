"""A recorded death ends the person's open insurance and attachment on the death date (a
succession: the open rows are closed and re-recorded ending that day, so what was known before
stays readable), publishes the died, insurance and attachment events through the outbox, and
a death date before a fact the register holds is refused naming the field."""

from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types, seed_policy_types

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import PersonFact


@pytest.fixture(autouse=True)
async def dictionaries(session: AsyncSession) -> None:
    await seed_document_types(session)
    await seed_policy_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def insure(
    client: httpx.AsyncClient, auth: dict[str, str], person: dict, insurer: object, **period: str
) -> None:
    body = {"insurer_id": str(insurer), "policy_type": "3", "policy_number": person["enp"], **period}
    response = await client.post(f"/persons/{person['id']}/insurance", json=body, headers=auth)
    assert response.status_code == 200, response.text


async def attach(
    client: httpx.AsyncClient, auth: dict[str, str], person: dict, mo: object, start: str
) -> None:
    body = {
        "person_id": person["id"],
        "mo_id": str(mo),
        "attached_from": start,
        "method": "application",
        "area_code": "05",
    }
    response = await client.post("/attachments", json=body, headers=auth)
    assert response.status_code == 201, response.text


async def events(session: AsyncSession, event_type: str, person_id: str) -> list[dict]:
    rows = await session.execute(
        text("SELECT envelope->'data' FROM outbox_event WHERE type = :t AND envelope->>'subject' = :p"),
        {"t": event_type, "p": person_id},
    )
    return [r[0] for r in rows]


def added(before: list[dict], after: list[dict]) -> list[dict]:
    """The events in ``after`` that were not in ``before`` (one transaction: no order to rely on)."""
    left = list(after)
    for event in before:
        left.remove(event)
    return left


async def test_a_death_ends_the_open_insurance_and_attachment_on_the_death_date(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    old_insurer, insurer = await add_org(session, "insurer"), await add_org(session, "insurer")
    mo = await add_org(session, "mo")
    person = await register(client, auth, surname="Дмитриева")
    pid = person["id"]
    await insure(client, auth, person, old_insurer, valid_from="2012-01-01", valid_to="2014-12-31")
    await insure(client, auth, person, insurer, valid_from="2015-01-01")
    await attach(client, auth, person, mo, "2020-01-15")
    before_death = datetime.now(UTC).isoformat()
    insurance_events = await events(session, "registry.insurance.changed", pid)
    attachment_events = await events(session, "registry.attachment.changed", pid)

    died = await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-10"}, headers=auth)
    assert died.status_code == 200, died.text
    assert died.json()["death_date"] == "2024-02-10"
    assert died.json()["insurance"] is None and died.json()["attachment"] is None  # today

    def get(on: str, **extra: str) -> dict:
        return {"on": on, **extra}

    last_day = (await client.get(f"/persons/{pid}", params=get("2024-02-10"), headers=auth)).json()
    assert last_day["insurance"]["insurer_id"] == str(insurer)
    assert (
        last_day["insurance"]["valid_from"] == "2015-01-01"
        and last_day["insurance"]["valid_to"] == "2024-02-10"
    )
    assert last_day["attachment"]["mo_id"] == str(mo) and last_day["attachment"]["valid_to"] == "2024-02-10"
    after = (await client.get(f"/persons/{pid}", params=get("2024-02-11"), headers=auth)).json()
    assert after["insurance"] is None and after["attachment"] is None
    insured = (
        await client.get(f"/persons/{pid}/insurance", params={"on": "2024-02-11"}, headers=auth)
    ).json()
    assert insured["insurance"] is None
    # What the register knew before the death was recorded is still readable.
    known_before = (
        await client.get(f"/persons/{pid}", params=get("2024-03-01", as_of=before_death), headers=auth)
    ).json()
    assert (
        known_before["insurance"]["insurer_id"] == str(insurer)
        and known_before["insurance"]["valid_to"] is None
    )
    assert known_before["death_date"] is None

    # The monthly attachment list of the MO: on February 1st still there, on March 1st not.
    feb = (
        await client.get("/attachments", params={"mo_id": str(mo), "on": "2024-02-01"}, headers=auth)
    ).json()
    mar = (
        await client.get("/attachments", params={"mo_id": str(mo), "on": "2024-03-01"}, headers=auth)
    ).json()
    assert [r["person_id"] for r in feb["items"]] == [pid] and mar["total"] == 0

    # A succession: the open rows are closed and re-recorded, never updated or deleted.
    history = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    insurance_rows = [
        f for f in history if f["kind"] == "insurance" and f["data"]["insurer_id"] == str(insurer)
    ]
    assert [(f["valid_to"], f["recorded_to"] is None) for f in insurance_rows] == [
        (None, False),
        ("2024-02-10", True),
    ]
    attachment_rows = [f for f in history if f["kind"] == "attachment"]
    assert [(f["valid_to"], f["recorded_to"] is None) for f in attachment_rows] == [
        (None, False),
        ("2024-02-10", True),
    ]
    assert attachment_rows[1]["data"] == attachment_rows[0]["data"]

    assert await events(session, "registry.person.died", pid) == [
        {"person_id": pid, "oip": person["oip"], "death_date": "2024-02-10"}
    ]
    # Only the open period is ended: the insurer of 2012–2014 is not published again.
    assert added(insurance_events, await events(session, "registry.insurance.changed", pid)) == [
        {"person_id": pid, "insurer_id": str(insurer), "valid_from": "2015-01-01", "valid_to": "2024-02-10"}
    ]
    assert added(attachment_events, await events(session, "registry.attachment.changed", pid)) == [
        {
            "person_id": pid,
            "mo_id": str(mo),
            "previous_mo_id": None,
            "area_code": "05",
            "valid_from": "2020-01-15",
            "valid_to": "2024-02-10",
        }
    ]
    audited = await session.scalar(
        select(func.count()).where(
            AuditRecord.person_id == pid,
            AuditRecord.resource.in_(["person.insurance", "person.attachment"]),
            AuditRecord.reason == "Окончание периода в связи со смертью",
        )
    )
    assert audited == 2


async def test_a_corrected_earlier_death_date_ends_the_periods_earlier_still(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    insurer = await add_org(session, "insurer")
    person = await register(client, auth, surname="Емельянова")
    pid = person["id"]
    await insure(client, auth, person, insurer, valid_from="2015-01-01")
    await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-10"}, headers=auth)
    facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    death = next(f["fact_id"] for f in facts if f["kind"] == "death" and f["recorded_to"] is None)
    corrected = await client.post(
        f"/persons/{pid}/death", json={"death_date": "2024-01-20", "corrects": death}, headers=auth
    )
    assert corrected.status_code == 200, corrected.text
    on = (await client.get(f"/persons/{pid}/insurance", params={"on": "2024-01-20"}, headers=auth)).json()
    assert on["insurance"]["valid_to"] == "2024-01-20"
    assert (await client.get(f"/persons/{pid}/insurance", params={"on": "2024-01-21"}, headers=auth)).json()[
        "insurance"
    ] is None


@pytest.mark.parametrize(
    ("what", "starts"),
    [("insurance", "2023-01-01"), ("attachment", "2023-05-15"), ("address", "2023-03-01")],
)
async def test_a_death_before_a_fact_begins_is_a_422_naming_the_field_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, what: str, starts: str
) -> None:
    auth = operator(tokens)
    person = await register(client, auth, surname="Жукова")
    pid = person["id"]
    if what == "insurance":
        await insure(client, auth, person, await add_org(session, "insurer"), valid_from=starts)
    elif what == "attachment":
        await attach(client, auth, person, await add_org(session, "mo"), starts)
    else:
        address = {"kind": "residence", "text": "г. Тверь, ул. Новая, д. 2", "valid_from": starts}
        assert (await client.post(f"/persons/{pid}/addresses", json=address, headers=auth)).status_code == 200
    before = await session.scalar(select(func.count()).select_from(PersonFact))
    died_events = len(await events(session, "registry.person.died", pid))

    refused = await client.post(f"/persons/{pid}/death", json={"death_date": "2022-06-01"}, headers=auth)
    assert refused.status_code == 422, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    error = refused.json()["errors"][0]
    assert error["field"] == "body.death_date" and what in error["message"]
    assert await session.scalar(select(func.count()).select_from(PersonFact)) == before
    assert len(await events(session, "registry.person.died", pid)) == died_events
    assert (await client.get(f"/persons/{pid}", headers=auth)).json()["death_date"] is None

    # On the day the fact begins the death is accepted (the period is that one day).
    accepted = await client.post(f"/persons/{pid}/death", json={"death_date": starts}, headers=auth)
    assert accepted.status_code == 200, accepted.text


async def test_a_withdrawn_death_reopens_the_periods_it_ended(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    """The erroneous death record is withdrawn: the insurance and attachment it ended hold again
    as they were before any death was recorded (also through a corrected, earlier death date),
    the consumers hear of it, and a period ended before the death is left as it was."""
    auth = operator(tokens)
    old_insurer, insurer = await add_org(session, "insurer"), await add_org(session, "insurer")
    mo = await add_org(session, "mo")
    person = await register(client, auth, surname="Зимина")
    pid = person["id"]
    await insure(client, auth, person, old_insurer, valid_from="2012-01-01", valid_to="2014-12-31")
    await insure(client, auth, person, insurer, valid_from="2015-01-01", valid_to="2030-12-31")
    await attach(client, auth, person, mo, "2020-01-15")
    await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-10"}, headers=auth)
    facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    first = next(f["fact_id"] for f in facts if f["kind"] == "death" and f["recorded_to"] is None)
    corrected = await client.post(
        f"/persons/{pid}/death", json={"death_date": "2024-01-20", "corrects": first}, headers=auth
    )
    assert corrected.status_code == 200, corrected.text
    facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    death = next(f["fact_id"] for f in facts if f["kind"] == "death" and f["recorded_to"] is None)
    insurance_events = await events(session, "registry.insurance.changed", pid)
    attachment_events = await events(session, "registry.attachment.changed", pid)

    withdrawn = await client.delete(f"/persons/{pid}/facts/{death}", headers=auth)
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["death_date"] is None

    later = (await client.get(f"/persons/{pid}", params={"on": "2025-06-01"}, headers=auth)).json()
    assert later["insurance"]["insurer_id"] == str(insurer)
    assert later["insurance"]["valid_from"] == "2015-01-01" and later["insurance"]["valid_to"] == "2030-12-31"
    assert later["attachment"]["mo_id"] == str(mo) and later["attachment"]["valid_to"] is None
    early = (await client.get(f"/persons/{pid}/insurance", params={"on": "2013-06-01"}, headers=auth)).json()
    assert early["insurance"]["insurer_id"] == str(old_insurer)
    assert early["insurance"]["valid_to"] == "2014-12-31"
    assert added(insurance_events, await events(session, "registry.insurance.changed", pid)) == [
        {"person_id": pid, "insurer_id": str(insurer), "valid_from": "2015-01-01", "valid_to": "2030-12-31"}
    ]
    assert added(attachment_events, await events(session, "registry.attachment.changed", pid)) == [
        {
            "person_id": pid,
            "mo_id": str(mo),
            "previous_mo_id": None,
            "area_code": "05",
            "valid_from": "2020-01-15",
            "valid_to": None,
        }
    ]
    reopened = await session.scalar(
        select(func.count()).where(
            AuditRecord.person_id == pid,
            AuditRecord.reason == "Период восстановлен: запись о смерти отозвана",
        )
    )
    assert reopened == 2
    # the succession: the death's rows stay in the history, closed
    history = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    current = [
        (f["kind"], f["valid_to"]) for f in history if f["kind"] == "attachment" and f["recorded_to"] is None
    ]
    assert current == [("attachment", None)]
    assert len([f for f in history if f["kind"] == "attachment"]) == 4  # open, 10.02, 20.01, open again


async def test_a_withdrawn_death_leaves_a_period_recorded_over_since(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    """While the death stood, an operator attached the person to another MO from a later day:
    withdrawing the death does not reopen the old attachment over it; the new one holds."""
    auth = operator(tokens)
    mo, other = await add_org(session, "mo"), await add_org(session, "mo")
    person = await register(client, auth, surname="Ильина")
    pid = person["id"]
    await attach(client, auth, person, mo, "2020-01-15")
    await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-10"}, headers=auth)
    body = {"person_id": pid, "mo_id": str(other), "attached_from": "2024-06-01", "method": "application"}
    assert (await client.post("/attachments", json=body, headers=auth)).status_code == 201
    facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    death = next(f["fact_id"] for f in facts if f["kind"] == "death" and f["recorded_to"] is None)
    attachment_events = await events(session, "registry.attachment.changed", pid)

    withdrawn = await client.delete(f"/persons/{pid}/facts/{death}", headers=auth)
    assert withdrawn.status_code == 200, withdrawn.text
    on = (await client.get(f"/persons/{pid}", params={"on": "2024-07-01"}, headers=auth)).json()
    assert on["attachment"]["mo_id"] == str(other)
    gap = (await client.get(f"/persons/{pid}", params={"on": "2024-03-01"}, headers=auth)).json()
    assert gap["attachment"] is None  # the old one still ends on the death date
    assert await events(session, "registry.attachment.changed", pid) == attachment_events
