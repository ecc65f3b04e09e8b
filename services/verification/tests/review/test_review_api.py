"""The review queue over HTTP on a finished run (deaths and duplicates below certainty go to
review, ``tests.verification_support.THRESHOLDS``): borderline pairs with both records and the
per-field evidence, filters, audit; an operator's decision recorded by pair key, the outcome
decided again with the run's counts, latest decision wins, the person who becomes excluded
announced; a duplicate group decided again; 403/404/409/422 problems."""

from __future__ import annotations

import uuid
from typing import Any

from tests.verification_support import Verified, sql, verified  # noqa: F401  (fixture)

READ = frozenset({"verification.run:read"})


async def _queue(v: Verified, query: str = "") -> dict[str, Any]:
    r = await v.client.get(f"/runs/{v.run_id}/reviews?limit=100{query}", headers=v.auth())
    assert r.status_code == 200, r.text
    page: dict[str, Any] = r.json()
    return page


async def _events(v: Verified, subject_id: str) -> int:
    [(n,)] = await sql(
        v,
        "SELECT count(*) FROM outbox_event WHERE type = 'verification.person.excluded' "
        "AND envelope->'data'->>'subject_id' = :s",
        s=subject_id,
    )
    return int(n)


async def _reinstated(v: Verified, subject_id: str) -> list[dict[str, Any]]:
    rows = await sql(
        v,
        "SELECT envelope->'data' FROM outbox_event WHERE type = 'verification.person.reinstated' "
        "AND envelope->'data'->>'subject_id' = :s ORDER BY id",
        s=subject_id,
    )
    return [r[0] for r in rows]


async def test_the_queue_shows_both_records_with_the_evidence(verified: Verified) -> None:  # noqa: F811
    v = verified
    page = await _queue(v)
    review = v.run["counts"]["review_by_reason"]
    assert review == {"dead": 1, "duplicate": 4}
    assert page["total"] == 3 and {i["reason"] for i in page["items"]} == {"dead", "duplicate"}
    assert all(i["status"] == "review" and i["outcome"] == "review" for i in page["items"])

    [death] = (await _queue(v, "&reason=dead"))["items"]
    assert death["source"] == "zags" and death["reason_title"] == "Умер"
    record = death["source_record"]
    assert record["kind"] == "zags.death" and record["date_from"] is not None
    assert death["other_person"] is None and death["person"]["surname"]
    assert {"surname", "birth_date", "first_name"} <= set(death["evidence"])
    assert {"level", "weight"} <= set(death["evidence"]["surname"])

    duplicates = (await _queue(v, "&source=register"))["items"]
    assert len(duplicates) == 2
    for d in duplicates:
        assert d["reason"] == "duplicate" and d["source_record"] is None
        assert d["other_person"]["row_no"] != d["person"]["row_no"] and d["other_subject_id"]
    assert (await _queue(v, "&source=sfr"))["total"] == 0
    assert (await _queue(v, "&state=decided"))["total"] == 0

    [(audited,)] = await sql(
        v, "SELECT count(*) FROM audit_log WHERE resource = :r", r=f"verification_run:{v.run_id}:reviews"
    )
    assert audited > 0  # one row per register person shown, every time


async def test_a_decision_decides_the_outcome_again_latest_wins(verified: Verified) -> None:  # noqa: F811
    v = verified
    [death] = (await _queue(v, "&reason=dead"))["items"]
    pair, subject = death["pair_id"], death["subject_id"]
    url = f"/runs/{v.run_id}/reviews/{pair}/decision"
    events = await _events(v, subject)

    r = await v.client.post(
        url, json={"decision": "confirm", "comment": "Актовая запись сверена"}, headers=v.auth()
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["recorded"] and body["status"] == "confirmed"
    [outcome] = body["outcomes"]
    assert (
        outcome["subject_id"] == subject and outcome["outcome"] == "exclude" and outcome["reason"] == "dead"
    )
    assert outcome["months_excluded"] > 0 and outcome["decided_by"] != "rule"
    assert await _events(v, subject) == events + 1
    run = (await v.client.get(f"/runs/{v.run_id}", headers=v.auth())).json()
    assert run["counts"]["outcomes"]["review"] == v.run["counts"]["outcomes"]["review"] - 1
    assert run["counts"]["excluded_by_reason"]["dead"] == v.run["counts"]["excluded_by_reason"]["dead"] + 1
    assert (await _queue(v, "&reason=dead"))["total"] == 0
    [decided] = (await _queue(v, "&state=decided"))["items"]
    assert decided["decision"] == "confirm" and decided["comment"] == "Актовая запись сверена"

    # The same answer again records nothing; the other answer is a new record and wins.
    again = (await v.client.post(url, json={"decision": "confirm"}, headers=v.auth())).json()
    assert again["recorded"] is False and again["outcomes"][0]["outcome"] == "exclude"
    # The person as a registry person (a register from ``registry`` keys subjects so), for the
    # event to name it; the key is put back at the end.
    person_id = uuid.uuid4()
    [(key,)] = await sql(v, "SELECT key FROM subject WHERE id = :s", s=uuid.UUID(subject))
    await sql(v, "UPDATE subject SET key = :k WHERE id = :s", k=f"person:{person_id}", s=uuid.UUID(subject))
    r = await v.client.post(url, json={"decision": "reject"}, headers=v.auth())
    assert r.status_code == 200 and r.json()["outcomes"][0]["outcome"] == "keep"
    rows = await sql(
        v, "SELECT decision FROM review_decision WHERE pair_key = :k ORDER BY decided_at", k=death["pair_key"]
    )
    assert [x[0] for x in rows] == ["confirm", "reject"]
    assert await _events(v, subject) == events + 1  # not excluded now: nothing announced
    # The exclusion the confirmation announced is lifted: the registry is told to close it.
    [reinstated] = await _reinstated(v, subject)
    assert reinstated["run_id"] == str(v.run_id) and reinstated["subject_id"] == subject
    assert reinstated["as_of"] == v.run["as_of"] and reinstated["organization_id"] == v.run["organization_id"]
    assert reinstated["person_id"] == str(person_id)
    [(status,)] = await sql(v, "SELECT status FROM linkage_pair WHERE id = :id", id=uuid.UUID(pair))
    assert status == "rejected"
    [(action,)] = await sql(
        v,
        "SELECT count(*) FROM audit_log WHERE resource = :r AND action = 'update'",
        r=f"verification_run:{v.run_id}:pair:{pair}",
    )
    assert action == 2  # the two decisions that changed something

    r = await v.client.post(url, json={"decision": "confirm"}, headers=v.auth())
    assert r.json()["outcomes"][0]["outcome"] == "exclude" and await _events(v, subject) == events + 2
    assert len(await _reinstated(v, subject)) == 1  # excluded again: no reinstatement
    await sql(v, "UPDATE subject SET key = :k WHERE id = :s", k=key, s=uuid.UUID(subject))


async def test_a_duplicate_decision_decides_the_group_again(verified: Verified) -> None:  # noqa: F811
    v = verified
    pairs = (await _queue(v, "&reason=duplicate"))["items"]
    first = pairs[0]
    r = await v.client.post(
        f"/runs/{v.run_id}/reviews/{first['pair_id']}/decision",
        json={"decision": "confirm"},
        headers=v.auth(),
    )
    assert r.status_code == 200, r.text
    outcomes = {o["subject_id"]: o for o in r.json()["outcomes"]}
    assert {first["subject_id"], first["other_subject_id"]} <= set(outcomes)
    excluded = [o for o in outcomes.values() if o["outcome"] == "exclude"]
    assert len(excluded) == 1 and excluded[0]["reason"] == "duplicate"
    kept = excluded[0]["duplicate_of"]
    assert kept in (first["subject_id"], first["other_subject_id"]) and outcomes[kept]["outcome"] != "exclude"
    assert excluded[0]["months_excluded"] == 12


async def test_problems(verified: Verified) -> None:  # noqa: F811
    v = verified
    page = await _queue(v, "&state=decided")
    pair = page["items"][0]["pair_id"]
    url = f"/runs/{v.run_id}/reviews/{pair}/decision"
    r = await v.client.post(url, json={"decision": "confirm"}, headers=v.auth(READ))
    assert r.status_code == 403
    other = v.auth(org_id=uuid.uuid4())
    assert (await v.client.post(url, json={"decision": "confirm"}, headers=other)).status_code == 404
    assert (await v.client.get(f"/runs/{v.run_id}/reviews", headers=other)).status_code == 404
    missing = await v.client.post(
        f"/runs/{v.run_id}/reviews/{uuid.uuid4()}/decision", json={"decision": "confirm"}, headers=v.auth()
    )
    assert missing.status_code == 404 and missing.headers["content-type"].startswith(
        "application/problem+json"
    )
    r = await v.client.post(url, json={"decision": "maybe"}, headers=v.auth())
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["body.decision"]
    ignored = await sql(
        v,
        "UPDATE linkage_pair SET status = 'ignored' WHERE id = (SELECT id FROM linkage_pair "
        "WHERE run_id = :r AND status = 'auto' LIMIT 1) RETURNING id",
        r=uuid.UUID(v.run_id),
    )
    r = await v.client.post(
        f"/runs/{v.run_id}/reviews/{ignored[0][0]}/decision", json={"decision": "reject"}, headers=v.auth()
    )
    assert r.status_code == 409

    # A run that has not finished: 409 with the reason, and nothing recorded.
    await sql(
        v, "UPDATE verification_run SET finished_stage = 'rules' WHERE id = :id", id=uuid.UUID(v.run_id)
    )
    try:
        r = await v.client.post(url, json={"decision": "reject"}, headers=v.auth())
        assert r.status_code == 409 and "не завершена" in r.json()["detail"]
    finally:
        await sql(
            v,
            "UPDATE verification_run SET finished_stage = 'decisions' WHERE id = :id",
            id=uuid.UUID(v.run_id),
        )
        await sql(v, "UPDATE linkage_pair SET status = 'auto' WHERE id = :id", id=ignored[0][0])


async def test_a_source_decision_of_a_record_in_a_duplicate_group(verified: Verified) -> None:  # noqa: F811
    """The person of a source pair who is also in a duplicate group is decided with the group."""
    v = verified
    run = uuid.UUID(v.run_id)
    [(pair_id, subject, pair_key)] = await sql(
        v,
        "SELECT l.id, l.subject_id, l.pair_key FROM linkage_pair l "
        "WHERE l.run_id = :r AND l.source_record_id IS NOT NULL AND l.status = 'auto' "
        "AND NOT EXISTS (SELECT 1 FROM linkage_pair d WHERE d.run_id = l.run_id "
        "AND d.id <> l.id AND l.subject_id IN (d.subject_id, d.other_subject_id)) "
        "ORDER BY l.subject_id LIMIT 1",
        r=run,
    )
    [(other,)] = await sql(
        v,
        "SELECT e.subject_id FROM register_entry e WHERE e.run_id = :r AND e.subject_id <> :s "
        "AND NOT EXISTS (SELECT 1 FROM linkage_pair l WHERE l.run_id = e.run_id "
        "AND e.subject_id IN (l.subject_id, l.other_subject_id)) ORDER BY e.row_no LIMIT 1",
        r=run,
        s=subject,
    )
    low, high = sorted((str(subject), str(other)))
    await sql(
        v,
        "INSERT INTO linkage_pair (run_id, subject_id, other_subject_id, pair_key, match_probability, "
        "match_weight, status) VALUES (:r, :a, :b, :k, 1.0, 20, 'auto')",
        r=run,
        a=uuid.UUID(low),
        b=uuid.UUID(high),
        k=f"{low}|{high}",
    )
    r = await v.client.post(
        f"/runs/{v.run_id}/reviews/{pair_id}/decision", json={"decision": "reject"}, headers=v.auth()
    )
    assert r.status_code == 200, r.text
    outcomes = {o["subject_id"]: o for o in r.json()["outcomes"]}
    assert set(outcomes) == {str(subject), str(other)}
    # Its only fact rejected, the person is decided by the group alone: one record kept.
    [excluded] = [o for o in outcomes.values() if o["outcome"] == "exclude"]
    assert excluded["reason"] == "duplicate" and excluded["duplicate_of"] in outcomes
    [(decision,)] = await sql(v, "SELECT decision FROM review_decision WHERE pair_key = :k", k=pair_key)
    assert decision == "reject"
