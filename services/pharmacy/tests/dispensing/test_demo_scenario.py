"""The demo's counter scenario (pharmacy 990101, login ``pharmacist``) played through the API the
dispensing screen uses: the prescription found by its series and number as typed, its two
packages scanned and dispensed; the last package of another drug given once, the second scan of
it refused by name; the prescription without stock put on deferred service; the unmarked test
strips given from the batch the picker offers first (the earlier expiry)."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.demo import scenario, seed
from pharmacy.demo.stock import org_id
from pharmacy.prescriptions.rules import PrescriptionNumber

from .support import pharmacist


def _typed(designation: tuple[str, int]) -> str:
    series, number = designation
    return PrescriptionNumber(series[:2], series[2:], number).format()


async def test_the_demo_counter_scenario(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    await seed(session)
    auth = pharmacist(tokens, org_id("pharmacy", "990101"))

    async def at_counter(designation: tuple[str, int]) -> dict[str, Any]:
        answer = await client.get("/dispensing/prescription", params={"q": _typed(designation)}, headers=auth)
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        return body

    ready = await at_counter(scenario.READY)
    assert ready["problems"] == [] and ready["entitlement"]["entitled"] is True and ready["free_here"] >= 2
    for code in scenario.READY_CODES:
        scan = await client.post(
            "/dispensing/scan", json={"code": code, "prescription_id": ready["id"]}, headers=auth
        )
        assert scan.status_code == 200 and scan.json()["usable"] is True, scan.text
    given = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": ready["id"], "codes": list(scenario.READY_CODES)},
        headers=auth,
    )
    assert given.status_code == 201, given.text
    assert given.json()["quantity"] == 2 and given.json()["trace_report_id"] is not None

    last = await at_counter(scenario.LAST_PACKAGE)
    assert last["free_here"] == 1
    once = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": last["id"], "codes": [scenario.LAST_PACKAGE_CODE]},
        headers=auth,
    )
    assert once.status_code == 201, once.text
    rescan = await client.post("/dispensing/scan", json={"code": scenario.LAST_PACKAGE_CODE}, headers=auth)
    assert rescan.json()["usable"] is False
    assert rescan.json()["problems"][0]["code"] == "code_dispensed"
    assert f"по рецепту серия {scenario.SERIES}" in rescan.json()["problems"][0]["message"]

    none = await at_counter(scenario.NO_STOCK)
    assert none["free_here"] == 0 and none["reservations"] == []
    deferred = await client.post("/dispensing/deferred", json={"prescription_id": none["id"]}, headers=auth)
    assert deferred.status_code == 201, deferred.text
    listed = await client.get("/dispensing/deferred", headers=auth)
    assert none["id"] in [i["prescription_id"] for i in listed.json()["items"]]

    strips = await at_counter(scenario.UNMARKED)
    assert strips["problems"] == [] and strips["marked"] is False and strips["quantity"] == 2
    batches = strips["batches"]
    assert [b["free"] for b in batches] == [3, 10]
    assert batches[0]["expiry_date"] < batches[1]["expiry_date"]
    given = await client.post(
        "/dispensing/dispenses",
        json={
            "prescription_id": strips["id"],
            "items": [{"batch_id": batches[0]["batch_id"], "quantity": 2}],
        },
        headers=auth,
    )
    assert given.status_code == 201, given.text
    assert given.json()["trace_report_id"] is None
    assert [b["free"] for b in (await at_counter(scenario.UNMARKED))["batches"]] == [1, 10]
