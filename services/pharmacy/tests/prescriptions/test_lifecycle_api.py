"""A prescription's life through the API: issued with a reservation in an attached pharmacy
(the stock held, shown on the prescription), refused when the pharmacy has too little or is not
attached (nothing issued, the number not used up); cancelled by its MO's doctor (reservation
released, event), not twice, not by another MO; copied with a new number and today's date and
checked again."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import Entitlement, Reservation, StockBatch

from . import support
from .test_issue_api import body


async def _issue(client: httpx.AsyncClient, auth: dict[str, str], payload: dict[str, Any]) -> dict[str, Any]:
    answer = await client.post("/prescriptions", json=payload, headers=auth)
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_reserve_cancel_and_copy(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    other_mo = await support.organization(session, "mo")
    pharmacy = await support.organization(session, "pharmacy", name="Аптека № 1")
    stranger = await support.organization(session, "pharmacy", name="Чужая аптека")
    await support.attach(session, mo, pharmacy)
    drug = await support.drug(session)
    stock_id = (await support.batch(session, pharmacy, drug, 5)).id
    person = await support.beneficiary(session)
    beneficiary_id = person.id
    assert person.person_id is not None
    auth = support.doctor(tokens, mo)

    short = await client.post(
        "/prescriptions",
        json=body(person.person_id, drug.id, quantity=6, pharmacy_id=str(pharmacy)),
        headers=auth,
    )
    assert short.status_code == 409, short.text
    assert short.json()["type"] == "urn:oms:problem:prescription-no-free-stock"
    assert "Аптека № 1" in short.json()["detail"]
    not_attached = await client.post(
        "/prescriptions", json=body(person.person_id, drug.id, pharmacy_id=str(stranger)), headers=auth
    )
    assert not_attached.status_code == 422
    assert [e["type"] for e in not_attached.json()["errors"]] == ["pharmacy_not_attached"]

    p = await _issue(client, auth, body(person.person_id, drug.id, quantity=2, pharmacy_id=str(pharmacy)))
    assert p["pharmacy_id"] == str(pharmacy) and p["pharmacy_name"] == "Аптека № 1"
    assert [(r["quantity"], r["status"]) for r in p["reservations"]] == [(2, "active")]
    assert await session.scalar(select(StockBatch.reserved).where(StockBatch.id == stock_id)) == 2
    event = (
        await session.execute(
            text(
                "SELECT envelope->'data'->>'pharmacy_id' FROM outbox_event WHERE envelope->>'subject' = :id"
            ),
            {"id": p["id"]},
        )
    ).scalar_one()
    assert event == str(pharmacy)

    # The refused issues gave their numbers back: the next one follows directly.
    q = await _issue(client, auth, body(person.person_id, drug.id))
    assert q["number"] == p["number"] + 1

    foreign = await client.post(
        f"/prescriptions/{p['id']}/cancel",
        json={"reason": "ошибка"},
        headers=support.doctor(tokens, other_mo),
    )
    assert foreign.status_code == 404
    cancelled = await client.post(
        f"/prescriptions/{p['id']}/cancel", json={"reason": "Ошибка в дозировке"}, headers=auth
    )
    assert cancelled.status_code == 200, cancelled.text
    c = cancelled.json()
    assert (c["status"], c["cancel_reason"]) == ("cancelled", "Ошибка в дозировке")
    assert [r["status"] for r in c["reservations"]] == ["released"]
    assert await session.scalar(select(StockBatch.reserved).where(StockBatch.id == stock_id)) == 0
    events = (
        (
            await session.execute(
                text(
                    "SELECT envelope->'data'->>'cause' FROM outbox_event "
                    "WHERE type = 'pharmacy.prescription.cancelled' AND envelope->>'subject' = :id"
                ),
                {"id": p["id"]},
            )
        )
        .scalars()
        .all()
    )
    assert events == ["doctor"]
    again = await client.post(f"/prescriptions/{p['id']}/cancel", json={"reason": "ещё раз"}, headers=auth)
    assert again.status_code == 409
    assert again.json()["type"] == "urn:oms:problem:prescription-not-open"

    copied = await client.post(
        f"/prescriptions/{p['id']}/copy", json={"pharmacy_id": str(pharmacy)}, headers=auth
    )
    assert copied.status_code == 201, copied.text
    k = copied.json()
    assert k["number"] == q["number"] + 1 and k["id"] != p["id"]
    assert k["copied_from_id"] == p["id"]
    assert (k["drug_id"], k["signa"], k["quantity"], k["status"]) == (p["drug_id"], p["signa"], 2, "issued")
    assert k["issued_on"] == date.today().isoformat()
    assert [r["status"] for r in k["reservations"]] == ["active"]
    assert (
        await client.post(f"/prescriptions/{p['id']}/copy", json={}, headers=support.doctor(tokens, other_mo))
    ).status_code == 404

    # Copies are checked again: the entitlement ended since, the copy is refused.
    await session.execute(
        update(Entitlement)
        .where(Entitlement.beneficiary_id == beneficiary_id)
        .values(valid_to=date.today() - timedelta(days=1))
    )
    refused = await client.post(f"/prescriptions/{q['id']}/copy", json={}, headers=auth)
    assert refused.status_code == 422
    assert [e["type"] for e in refused.json()["errors"]] == ["not_entitled"]
    active = (
        await session.scalars(
            select(Reservation.status).where(Reservation.prescription_id == uuid.UUID(k["id"]))
        )
    ).all()
    assert active == ["active"]
