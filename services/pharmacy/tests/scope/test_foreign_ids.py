"""Another organization's id on the new routers' ``{param}`` endpoints not covered elsewhere:
a dispense of another pharmacy, the signature check of another MO's prescription, another
pharmacy's inventory counted or posted, another pharmacy's control run and its job — each 404
(existence not leaked), while the owner gets it."""

from __future__ import annotations

import uuid
from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tests.control import support as control
from tests.dispensing import support
from tests.prescriptions import support as rx
from tests.stock.support import make_pharmacy
from tests.stock.support import pharmacist as stock_pharmacist

from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import ControlRun


async def test_a_dispense_of_another_pharmacy_is_not_found(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=1)
    p = await support.prescription(session, c, quantity=1)
    own = support.pharmacist(tokens, c.pharmacy_id)
    made = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": c.codes}, headers=own
    )
    assert made.status_code == 201, made.text
    dispense_id = made.json()["id"]
    assert (await client.get(f"/dispensing/dispenses/{dispense_id}", headers=own)).status_code == 200
    stranger = support.pharmacist(tokens, await support.pharmacy(session, "Чужая"))
    foreign = await client.get(f"/dispensing/dispenses/{dispense_id}", headers=stranger)
    assert foreign.status_code == 404 and foreign.json()["detail"] == "Отпуск не найден"


async def test_the_signature_of_another_mos_prescription_is_not_found(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await rx.organization(session, "mo")
    other_mo = await rx.organization(session, "mo")
    drug = await rx.drug(session)
    person = await rx.beneficiary(session)
    p = await rx.prescription_row(session, person, drug, mo)
    assert (
        await client.get(f"/prescriptions/{p.id}/signature", headers=rx.doctor(tokens, mo))
    ).status_code == 200
    foreign = await client.get(f"/prescriptions/{p.id}/signature", headers=rx.doctor(tokens, other_mo))
    assert foreign.status_code == 404


async def test_another_pharmacys_inventory_cannot_be_counted_or_posted(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mine = await make_pharmacy(session)
    other = await make_pharmacy(session)
    created = await client.post(
        "/stock/inventories",
        json={"number": "ИНВ-7", "doc_date": date.today().isoformat()},
        headers=stock_pharmacist(tokens, mine),
    )
    assert created.status_code == 201, created.text
    inventory_id = created.json()["document"]["id"]
    stranger = stock_pharmacist(tokens, other)
    counted = await client.post(
        f"/stock/inventories/{inventory_id}/lines",
        json={"lines": [{"batch_id": str(uuid.uuid4()), "counted_quantity": 1}]},
        headers=stranger,
    )
    assert counted.status_code == 404
    assert (await client.post(f"/stock/inventories/{inventory_id}/post", headers=stranger)).status_code == 404
    own = await client.get(f"/stock/inventories/{inventory_id}", headers=stock_pharmacist(tokens, mine))
    assert own.status_code == 200 and own.json()["document"]["status"] == "draft"  # nothing changed


async def test_another_pharmacys_control_run_and_its_job_are_not_found(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mine = await make_pharmacy(session)
    other = await make_pharmacy(session)
    started = await client.post(
        "/control/runs",
        headers=control.analyst_headers(tokens),
        json={"period_from": "2026-10-01", "period_to": "2026-10-31", "pharmacy_id": str(mine)},
    )
    assert started.status_code == 202, started.text
    run_id = started.json()["id"]
    assert (await session.get(ControlRun, uuid.UUID(run_id))) is not None
    own = control.pharmacy_headers(tokens, mine)
    assert (await client.get(f"/control/runs/{run_id}", headers=own)).status_code == 200
    assert (await client.get(f"/control/runs/{run_id}/job", headers=own)).status_code == 200
    stranger = control.pharmacy_headers(tokens, other)
    assert (await client.get(f"/control/runs/{run_id}", headers=stranger)).status_code == 404
    assert (await client.get(f"/control/runs/{run_id}/job", headers=stranger)).status_code == 404
