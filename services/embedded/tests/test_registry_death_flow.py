"""The registry's deaths reach verification and its exclusions come back (DESIGN §3: registry
``person.died`` → verification marks the person deceased; verification ``person.excluded`` →
registry records the exclusion), with the real apps and their real event payloads:

- a death recorded through the registry's API leaves ``registry.person.died`` in its outbox;
  delivered to the verification's consumer it is stored once (a redelivery is a no-op);
- a run on the registry's extract as of a date before the death (the person is still on it)
  excludes the person as dead from the month after the death, with the registry as the
  evidence's source; ``verification.person.excluded`` names the registry person;
- delivered to the registry's consumer, that event is recorded on the person's card.

The registry and verification apps, their databases and the gateway stand-in are those of
``test_verification_registry`` (its fixtures, a fresh instance for this module)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import httpx
from sqlalchemy import text
from tests.test_verification_registry import (  # noqa: F401  (fixtures)
    PAYER,
    Registry,
    Verification,
    registry,
    start,
    subjects,
    verification,
    wait_run,
)

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from oms_kit.testing.tokens import TokenFactory
from registry.events.handlers import handlers as registry_handlers
from verification.events.handlers import handlers as verification_handlers

DEATH = date(2025, 9, 10)  # after the run's date: the person is on the extract, dead from October


async def outbox(database: Database, event_type: str, **data: str) -> list[EventEnvelope]:
    """The envelopes of ``event_type`` in a service's outbox whose data has these values."""
    where = "".join(f" AND envelope->'data'->>'{k}' = :{k}" for k in data)
    async with database.sessions() as session:
        rows = await session.execute(
            text(f"SELECT envelope FROM outbox_event WHERE type = :t{where}"),  # noqa: S608  (test keys)
            {"t": event_type, **data},
        )
        return [EventEnvelope.model_validate(r[0]) for r in rows]


async def test_a_registry_death_excludes_the_person_and_the_registry_records_it(
    registry: Registry,  # noqa: F811
    verification: Verification,  # noqa: F811
    tokens: TokenFactory,
) -> None:
    person = registry.listed[0]
    registrar = tokens.auth(  # an operator of the TFOMS, which keeps the register
        roles=["registry_operator"], perms=["registry.person:read", "registry.person:write"], org_type="tfoms"
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=registry.edge.registry), base_url="http://registry"
    ) as client:
        r = await client.post(
            f"/persons/{person}/death", json={"death_date": DEATH.isoformat()}, headers=registrar
        )
        assert r.status_code == 200, r.text

        [died] = await outbox(registry.database, "registry.person.died", person_id=str(person))
        assert await handle_delivery(verification.database, verification_handlers, Delivery(died, 1))
        assert not await handle_delivery(verification.database, verification_handlers, Delivery(died, 2))
        async with verification.database.sessions() as session:
            rows = (
                await session.execute(text("SELECT person_id, death_date, event_id FROM registry_death"))
            ).all()
        assert [tuple(r) for r in rows] == [(person, DEATH, died.id)]

        run = await wait_run(verification, (await start(verification, as_of="2025-06-30"))["id"])
        assert run["status"] == "succeeded", run["error"]
        subject_id = (await subjects(verification, run["id"]))[f"person:{person}"]
        outcome = await subject_outcome(verification, run["id"], subject_id)
        assert (outcome["outcome"], outcome["reason"], outcome["months_excluded"]) == ("exclude", "dead", 3)
        assert outcome["periods"] == [
            {"reason": "dead", "from": "2025-10-01", "to": "2025-12-31", "months": 3}
        ]
        assert [i.get("source") for i in outcome["evidence"]["items"]] == ["Регистр застрахованных (ЕРЗ)"]

        [excluded] = await outbox(
            verification.database,
            "verification.person.excluded",
            run_id=run["id"],
            subject_id=str(subject_id),
        )
        assert excluded.data["person_id"] == str(person) and excluded.data["organization_id"] == str(PAYER)
        assert await handle_delivery(registry.database, registry_handlers, Delivery(excluded, 1))
        reader = tokens.auth(roles=["tfoms_analyst"], perms=["registry.person:read"])
        card = await client.get(f"/persons/{person}/exclusions", headers=reader)
        assert card.status_code == 200, card.text
        [item] = card.json()["items"]
        assert item["run_id"] == run["id"] and item["reason"] == "dead"


async def subject_outcome(v: Verification, run_id: str, subject_id: uuid.UUID) -> dict[str, Any]:
    async with v.database.sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT outcome, reason, months_excluded, periods, evidence FROM outcome "
                    "WHERE run_id = :r AND subject_id = :s"
                ),
                {"r": uuid.UUID(run_id), "s": subject_id},
            )
        ).one()
    return dict(row._mapping)
