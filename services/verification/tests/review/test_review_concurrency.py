"""Two operators deciding one pair at once, on real PostgreSQL with a session per request:
exactly one decision is recorded and audited, the other operator gets a 409 problem saying so
— whether the pair is still being decided (its row locked) or was decided meanwhile (the status
the operator saw has changed)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.verification_support import PERMISSIONS, Verified, sql, verified  # noqa: F401  (fixture)


def operator(v: Verified, name: str) -> dict[str, str]:
    return v.tokens.auth(
        roles=["verification_operator"],
        perms=sorted(PERMISSIONS),
        org_id=v.world.organization_id,
        org_type="payer",
        subject=name,
    )


async def pending(v: Verified) -> list[dict[str, Any]]:
    r = await v.client.get(f"/runs/{v.run_id}/reviews?limit=100", headers=operator(v, "reader"))
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def recorded(v: Verified, item: dict[str, Any]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The pair's decisions (who, what) and the audit rows of deciding it (who)."""
    decisions = await sql(
        v, "SELECT decided_by, decision FROM review_decision WHERE pair_key = :k", k=item["pair_key"]
    )
    audit = await sql(
        v,
        "SELECT actor FROM audit_log WHERE action = 'update' AND resource = :r",
        r=f"verification_run:{v.run_id}:pair:{item['pair_id']}",
    )
    return [tuple(d) for d in decisions], [tuple(a) for a in audit]


def assert_conflict(r: httpx.Response) -> str:
    assert r.status_code == 409, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    detail: str = r.json()["detail"]
    assert "другой оператор" in detail
    return detail


async def test_two_operators_at_once_one_decision_is_recorded(verified: Verified) -> None:  # noqa: F811
    v = verified
    items = [i for i in await pending(v) if i["status"] == "review"][:2]
    assert len(items) == 2
    for item in items:
        url = f"/runs/{v.run_id}/reviews/{item['pair_id']}/decision"
        answers = await asyncio.gather(
            v.client.post(
                url, json={"decision": "confirm", "expected_status": "review"}, headers=operator(v, "anna")
            ),
            v.client.post(
                url, json={"decision": "reject", "expected_status": "review"}, headers=operator(v, "boris")
            ),
        )
        assert sorted(r.status_code for r in answers) == [200, 409], [r.text for r in answers]
        [won] = [r for r in answers if r.status_code == 200]
        [lost] = [r for r in answers if r.status_code == 409]
        assert_conflict(lost)
        winner, decision = ("anna", "confirm") if answers[0] is won else ("boris", "reject")
        assert won.json()["decision"] == decision and won.json()["recorded"]
        decisions, audit = await recorded(v, item)
        assert decisions == [(winner, decision)]
        assert audit and {a[0] for a in audit} == {winner}
        [(status,)] = await sql(
            v, "SELECT status FROM linkage_pair WHERE id = :id", id=uuid.UUID(item["pair_id"])
        )
        assert status == ("confirmed" if decision == "confirm" else "rejected")


async def test_a_pair_being_decided_is_409_at_once_and_nothing_recorded(verified: Verified) -> None:  # noqa: F811
    """The first operator's transaction holds the pair (its row locked, not yet committed): the
    second is answered at once, without waiting for it, and records nothing."""
    v = verified
    item = (await pending(v))[0]
    engine = create_async_engine(v.url)
    try:
        async with engine.connect() as first:
            await first.execute(
                text("SELECT 1 FROM linkage_pair WHERE id = :id FOR UPDATE"),
                {"id": uuid.UUID(item["pair_id"])},
            )
            r = await asyncio.wait_for(
                v.client.post(
                    f"/runs/{v.run_id}/reviews/{item['pair_id']}/decision",
                    json={"decision": "confirm"},
                    headers=operator(v, "boris"),
                ),
                timeout=10,
            )
            assert "сейчас принимает решение" in assert_conflict(r)
            await first.rollback()
    finally:
        await engine.dispose()
    assert await recorded(v, item) == ([], [])


async def test_a_pair_decided_meanwhile_is_409_for_who_saw_it_undecided(verified: Verified) -> None:  # noqa: F811
    v = verified
    item = (await pending(v))[0]
    url = f"/runs/{v.run_id}/reviews/{item['pair_id']}/decision"
    first = await v.client.post(
        url, json={"decision": "reject", "expected_status": item["status"]}, headers=operator(v, "anna")
    )
    assert first.status_code == 200, first.text
    late = await v.client.post(
        url, json={"decision": "confirm", "expected_status": item["status"]}, headers=operator(v, "boris")
    )
    assert "отклонена" in assert_conflict(late)
    decisions, audit = await recorded(v, item)
    assert decisions == [("anna", "reject")] and audit and set(audit) == {("anna",)}
    # Who saw the decision may change it (the latest wins).
    again = await v.client.post(
        url, json={"decision": "confirm", "expected_status": "rejected"}, headers=operator(v, "boris")
    )
    assert again.status_code == 200 and again.json()["recorded"]
    decisions, _ = await recorded(v, item)
    assert sorted(decisions) == [("anna", "reject"), ("boris", "confirm")]
