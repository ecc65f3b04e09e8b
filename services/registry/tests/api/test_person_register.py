"""Registering persons and recording facts: validation, history on a date as known at a time,
overlaps refused with nothing written, birth/death rules, audit rows and outbox events."""

from datetime import date, timedelta

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import new_enp, new_snils, operator, person_body, seed_document_types

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import PersonFact


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def outbox(session: AsyncSession, event_type: str) -> list[dict]:
    rows = await session.execute(
        text("SELECT envelope FROM outbox_event WHERE type = :t ORDER BY created_at"), {"t": event_type}
    )
    return [r[0] for r in rows]


async def test_register_returns_the_person_with_an_oip_and_writes_event_and_audit(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    person = await register(client, operator(tokens))
    assert person["oip"] > 1_000_000
    assert person["name"]["surname"] == "Иванова" and person["birth_date"] == "1990-03-15"
    assert person["documents"][0]["type"] == "14" and person["addresses"][0]["kind"] == "registration"
    events = await outbox(session, "registry.person.registered")
    assert [e["data"] for e in events if e["subject"] == person["id"]] == [
        {"person_id": person["id"], "oip": person["oip"]}
    ]
    assert "snils" not in str(events)  # ids only, no personal data
    audited = await session.scalar(
        select(func.count()).where(AuditRecord.person_id == person["id"], AuditRecord.action == "create")
    )
    assert audited == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"snils": "112-233-445 94"}, "body.snils"),
        ({"enp": "7700000000000017"}, "body.enp"),
        ({"birth_date": (date.today() + timedelta(days=1)).isoformat()}, "body.birth_date"),
        ({"documents": [{"type": "99", "number": "1", "issue_date": "2010-01-01"}]}, "documents.0.type"),
    ],
)
async def test_bad_input_is_a_422_naming_the_field_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, overrides: dict, field: str
) -> None:
    before = await session.scalar(select(func.count()).select_from(PersonFact))
    response = await client.post("/persons", json=person_body(**overrides), headers=operator(tokens))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert field in str(body.get("errors")) or field in body["detail"]
    assert await session.scalar(select(func.count()).select_from(PersonFact)) == before


async def test_a_snils_held_by_another_person_is_a_409(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    first = await register(client, auth)
    response = await client.post("/persons", json=person_body(snils=first["snils"]), headers=auth)
    assert response.status_code == 409 and "snils" in response.json()["detail"]


async def test_name_change_by_marriage_and_a_correction_keep_the_history_readable(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    person = await register(client, auth)
    pid = person["id"]
    first_known = person["as_of"]
    married = await client.post(
        f"/persons/{pid}/names",
        json={
            "surname": "Петрова",
            "first_name": "Алёна",
            "patronymic": "Петровна",
            "valid_from": "2015-06-20",
            "reason": "брак",
        },
        headers=auth,
    )
    assert married.status_code == 200, married.text
    after_marriage = married.json()["as_of"]
    on_2014 = (await client.get(f"/persons/{pid}?on=2014-01-01", headers=auth)).json()
    on_2016 = (await client.get(f"/persons/{pid}?on=2016-01-01", headers=auth)).json()
    assert on_2014["name"]["surname"] == "Иванова" and on_2014["name"]["valid_to"] == "2015-06-19"
    assert on_2016["name"]["surname"] == "Петрова" and on_2016["name"]["reason"] == "брак"

    # A typo in the married name is corrected: the wrong spelling stays known "as of" before.
    fact_id = on_2016["name"]["fact_id"]
    fixed = await client.post(
        f"/persons/{pid}/names",
        json={
            "surname": "Петровская",
            "first_name": "Алёна",
            "patronymic": "Петровна",
            "valid_from": "2015-06-20",
            "corrects": fact_id,
        },
        headers=auth,
    )
    assert fixed.status_code == 200, fixed.text
    now_2016 = (await client.get(f"/persons/{pid}?on=2016-01-01", headers=auth)).json()
    then_2016 = (
        await client.get(
            f"/persons/{pid}", params={"on": "2016-01-01", "as_of": after_marriage}, headers=auth
        )
    ).json()
    before_any = (
        await client.get(f"/persons/{pid}", params={"on": "2016-01-01", "as_of": first_known}, headers=auth)
    ).json()
    assert now_2016["name"]["surname"] == "Петровская"
    assert then_2016["name"]["surname"] == "Петрова"
    assert before_any["name"]["surname"] == "Иванова"  # the marriage was not yet known

    history = (await client.get(f"/persons/{pid}/history", headers=auth)).json()
    names = [f for f in history["facts"] if f["kind"] == "name"]
    assert len(names) == 4  # original, original trimmed, married (closed), corrected
    assert sum(1 for f in names if f["recorded_to"] is None) == 2


async def test_an_overlapping_period_is_a_422_and_nothing_is_written(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    pid = (await register(client, auth))["id"]
    closed = await client.post(
        f"/persons/{pid}/employment",
        json={"status": "working", "valid_from": "2012-01-01", "valid_to": "2018-12-31"},
        headers=auth,
    )
    assert closed.status_code == 200, closed.text
    count = await session.scalar(select(func.count()).where(PersonFact.person_id == pid))
    overlap = await client.post(
        f"/persons/{pid}/employment", json={"status": "non_working", "valid_from": "2018-01-01"}, headers=auth
    )
    assert overlap.status_code == 422
    assert overlap.json()["errors"][0]["field"] == "body.valid_from"
    assert await session.scalar(select(func.count()).where(PersonFact.person_id == pid)) == count
    after = await client.post(
        f"/persons/{pid}/employment", json={"status": "non_working", "valid_from": "2019-01-01"}, headers=auth
    )
    assert after.status_code == 200 and after.json()["employment"] == "non_working"


async def test_the_database_refuses_two_open_ended_current_facts_of_one_slot(session: AsyncSession) -> None:
    """The guard under the service's check (decision 0007): whatever the writer, one person
    cannot hold two current "from D on" facts of one kind and slot; closed or historical rows
    of the same slot are fine."""
    from sqlalchemy.exc import IntegrityError

    await session.execute(text("INSERT INTO person (id) VALUES ('00000000-0000-0000-0000-0000000000aa')"))

    insert = text(
        "INSERT INTO person_fact (person_id, kind, valid, data, recorded_by) VALUES "
        "('00000000-0000-0000-0000-0000000000aa', 'employment', daterange(:lo, :hi), '{}', 't')"
    )
    await session.execute(insert, {"lo": date(2020, 1, 1), "hi": date(2021, 1, 1)})
    await session.execute(insert, {"lo": date(2021, 1, 1), "hi": None})
    with pytest.raises(IntegrityError, match="ux_person_fact_open_current"):
        async with session.begin_nested():
            await session.execute(insert, {"lo": date(2022, 6, 1), "hi": None})
    await session.execute(
        text(
            "UPDATE person_fact SET recorded = tstzrange(lower(recorded), clock_timestamp()) "
            "WHERE upper_inf(valid)"
        )
    )
    await session.execute(insert, {"lo": date(2022, 6, 1), "hi": None})


async def test_death_rules_and_the_died_event(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    pid = (await register(client, auth))["id"]
    too_early = await client.post(f"/persons/{pid}/death", json={"death_date": "1980-01-01"}, headers=auth)
    assert too_early.status_code == 422 and too_early.json()["errors"][0]["field"] == "body.death_date"
    future = (date.today() + timedelta(days=2)).isoformat()
    assert (
        await client.post(f"/persons/{pid}/death", json={"death_date": future}, headers=auth)
    ).status_code == 422
    died = await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-01"}, headers=auth)
    assert died.status_code == 200 and died.json()["death_date"] == "2024-02-01"
    events = [e["data"] for e in await outbox(session, "registry.person.died") if e["subject"] == pid]
    assert events == [{"person_id": pid, "oip": died.json()["oip"], "death_date": "2024-02-01"}]
    facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
    birth_fact = next(f["fact_id"] for f in facts if f["kind"] == "birth")
    death_fact = next(f["fact_id"] for f in facts if f["kind"] == "death")
    late_birth = await client.post(
        f"/persons/{pid}/birth", json={"birth_date": "2024-05-01", "corrects": birth_fact}, headers=auth
    )
    assert late_birth.status_code == 422 and late_birth.json()["errors"][0]["field"] == "body.birth_date"
    # An erroneous death record is withdrawn; it stays in the history.
    withdrawn = await client.delete(f"/persons/{pid}/facts/{death_fact}", headers=auth)
    assert withdrawn.status_code == 200 and withdrawn.json()["death_date"] is None
    # The consumers learn that the person is alive again, beside the updated event as before.
    retracted = [
        e["data"] for e in await outbox(session, "registry.person.death_retracted") if e["subject"] == pid
    ]
    assert retracted == [{"person_id": pid, "oip": died.json()["oip"], "retracted_death_date": "2024-02-01"}]
    updated = [
        e["data"]["kinds"] for e in await outbox(session, "registry.person.updated") if e["subject"] == pid
    ]
    assert updated == [["death"]]


async def test_a_withdrawn_death_that_leaves_another_is_no_retraction(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    """Only a withdrawal that leaves the person without a death says the person is alive: a
    corrected death is withdrawn with the corrected date; withdrawing one of two deaths
    (a later death date recorded after an earlier one) publishes the remaining death; other
    facts withdrawn publish no retraction."""
    auth = operator(tokens)
    pid = (await register(client, auth))["id"]

    async def retractions() -> list[str]:
        events = await outbox(session, "registry.person.death_retracted")
        return [e["data"]["retracted_death_date"] for e in events if e["subject"] == pid]

    async def current(kind: str) -> list[int]:
        facts = (await client.get(f"/persons/{pid}/history", headers=auth)).json()["facts"]
        return [f["fact_id"] for f in facts if f["kind"] == kind and f.get("recorded_to") is None]

    await client.post(f"/persons/{pid}/death", json={"death_date": "2024-02-01"}, headers=auth)
    [first] = await current("death")
    corrected = await client.post(
        f"/persons/{pid}/death", json={"death_date": "2024-01-20", "corrects": first}, headers=auth
    )
    assert corrected.status_code == 200 and corrected.json()["death_date"] == "2024-01-20"
    later = await client.post(f"/persons/{pid}/death", json={"death_date": "2024-03-05"}, headers=auth)
    assert later.status_code == 200, later.text
    earlier, latest = sorted(await current("death"))
    assert (await client.delete(f"/persons/{pid}/facts/{latest}", headers=auth)).status_code == 200
    assert await retractions() == []
    died = [
        e["data"]["death_date"] for e in await outbox(session, "registry.person.died") if e["subject"] == pid
    ]
    assert died[-1] == "2024-01-20"
    gone = await client.delete(f"/persons/{pid}/facts/{earlier}", headers=auth)
    assert gone.status_code == 200 and gone.json()["death_date"] is None
    assert await retractions() == ["2024-01-20"]
    [birth] = await current("birth")
    assert (await client.delete(f"/persons/{pid}/facts/{birth}", headers=auth)).status_code == 200
    assert await retractions() == ["2024-01-20"]


async def test_identifier_changes_and_updated_events(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    person = await register(client, auth, snils=None, enp=None)
    pid = person["id"]
    snils, enp = new_snils(), new_enp()
    assert (await client.post(f"/persons/{pid}/snils", json={"snils": snils}, headers=auth)).json()[
        "snils"
    ] == snils
    assert (await client.post(f"/persons/{pid}/enp", json={"enp": enp}, headers=auth)).json()["enp"] == enp
    kinds = [
        e["data"]["kinds"] for e in await outbox(session, "registry.person.updated") if e["subject"] == pid
    ]
    assert kinds == [["snils"], ["enp"]]


async def test_reads_are_audited_and_unknown_persons_are_404(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    pid = (await register(client, auth))["id"]
    await client.get(f"/persons/{pid}", headers=auth)
    await client.get(f"/persons/{pid}/history", headers=auth)
    reads = (
        await session.scalars(
            select(AuditRecord.resource).where(AuditRecord.person_id == pid, AuditRecord.action == "read")
        )
    ).all()
    assert sorted(reads) == ["person", "person.history"]
    missing = await client.get("/persons/00000000-0000-0000-0000-000000000001", headers=auth)
    assert missing.status_code == 404


async def test_by_oip_follows_the_merge_chain(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    survivor = await register(client, auth)
    merged = await register(client, auth)
    await session.execute(
        text("UPDATE person SET merged_into = :s WHERE id = :m"), {"s": survivor["id"], "m": merged["id"]}
    )
    by_oip = (await client.get(f"/persons/by-oip/{merged['oip']}", headers=auth)).json()
    assert by_oip["id"] == survivor["id"] and by_oip["merged_into"] == survivor["id"]
    by_id = (await client.get(f"/persons/{merged['id']}", headers=auth)).json()
    assert by_id["requested_id"] == merged["id"] and by_id["id"] == survivor["id"]
    assert (await client.get("/persons/by-oip/1", headers=auth)).status_code == 404
