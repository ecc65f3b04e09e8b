"""The sender against the simulator and the file drop: queued → sent → accepted; a repeated
send keeps the key and registers nothing twice; a rejection carries the ticket's errors; an
outage retries with backoff and fails after the attempts; resend and scope over the API."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from httpx import AsyncClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.trace.adapters import FileDrop, Receipt
from pharmacy.marking.trace.documents import Ticket, TicketError, render_ticket
from pharmacy.marking.trace.queue import queue_disposal
from pharmacy.marking.trace.sender import Policy, poll_sent, send_queued
from pharmacy.marking.trace.simulator import DatabaseStore, Simulator
from pharmacy.models import Organization
from pharmacy.models.prescription import TraceReport

GTIN = "04607028393045"
POLICY = Policy(max_attempts=3, backoff_seconds=10, poll_seconds=5)


def sgtin(n: int) -> str:
    return f"{GTIN}SER{n:010d}"


async def pharmacy(session: AsyncSession, code: str = "990101") -> uuid.UUID:
    org = uuid.uuid4()
    session.add(Organization(id=org, name=f"Аптека {code}", kind="pharmacy", code=code))
    await session.flush()
    return org


async def write_off(session: AsyncSession, pharmacy_id: uuid.UUID, *codes: str) -> TraceReport:
    return await queue_disposal(session, operation="write_off", pharmacy_id=pharmacy_id, sgtins=list(codes))


async def test_queued_is_sent_then_accepted(session: AsyncSession) -> None:
    sim = Simulator()
    report = await write_off(session, await pharmacy(session), sgtin(1))
    counts = await send_queued(session, sim, POLICY)
    assert counts["sent"] >= 1
    assert report.status == "sent" and report.attempts == 1 and report.external_id
    await poll_sent(session, sim, POLICY)
    assert report.status == "accepted"
    assert report.answered_at is not None and report.error is None
    assert (
        report.details is not None
        and "<operation_result>Accepted</operation_result>" in report.details["ticket"]
    )
    assert await sim.withdrawn(sgtin(1))


async def test_repeated_send_keeps_the_key_and_does_not_duplicate(session: AsyncSession) -> None:
    sim = Simulator()
    report = await write_off(session, await pharmacy(session), sgtin(2))
    key = report.idempotency_key
    await send_queued(session, sim, POLICY)
    first = report.external_id
    # the answer got lost (the transaction that recorded «sent» never committed): queued again
    report.status, report.external_id = "queued", None
    await send_queued(session, sim, POLICY)
    assert report.idempotency_key == key
    assert report.external_id == first  # the same receipt: registered once
    await poll_sent(session, sim, POLICY)
    assert report.status == "accepted"  # not «already withdrawn» by its own first copy
    assert sim.submissions == 2


async def test_a_package_withdrawn_twice_is_rejected_with_the_error(session: AsyncSession) -> None:
    sim = Simulator()
    place = await pharmacy(session)
    # queued in one transaction: the first one queued is sent first (migration 0009)
    first = await write_off(session, place, sgtin(3))
    second = await write_off(session, place, sgtin(3), sgtin(4))
    await send_queued(session, sim, POLICY)
    await poll_sent(session, sim, POLICY)
    assert first.status == "accepted"
    assert second.status == "rejected"
    assert second.error is not None and sgtin(3) in second.error
    assert second.details is not None
    assert second.details["errors"] == [
        {
            "code": "sgtin-withdrawn",
            "message": f"Упаковка {sgtin(3)} уже выведена из оборота",
            "object_id": sgtin(3),
        }
    ]
    assert not await sim.withdrawn(sgtin(4))  # a rejected document registers nothing


class Recording(Simulator):
    """The simulator, remembering the keys of the documents in the order they came."""

    def __init__(self) -> None:
        super().__init__()
        self.keys: list[str] = []

    async def submit(self, document: str, idempotency_key: str) -> Receipt:
        self.keys.append(idempotency_key)
        return await super().submit(document, idempotency_key)


async def test_reports_queued_in_one_transaction_are_sent_in_the_order_queued(session: AsyncSession) -> None:
    place = await pharmacy(session)
    reports = [await write_off(session, place, sgtin(n)) for n in (11, 12, 13)]
    queued = [r.idempotency_key for r in reports]
    # ids falling in the order queued: were the reports' times equal (the transaction's now()),
    # the sender's tie on the id would send them backwards
    for report, new_id in zip(reports, sorted((uuid.uuid4() for _ in reports), reverse=True), strict=True):
        session.expunge(report)
        await session.execute(update(TraceReport).where(TraceReport.id == report.id).values(id=new_id))
    sim = Recording()
    await send_queued(session, sim, POLICY)
    assert [key for key in sim.keys if key in queued] == queued


async def test_an_unknown_place_of_activity_is_rejected(session: AsyncSession) -> None:
    sim = Simulator()
    report = await write_off(session, uuid.uuid4(), sgtin(5))  # not an organization we know
    await send_queued(session, sim, POLICY)
    await poll_sent(session, sim, POLICY)
    assert report.status == "rejected"
    assert report.details is not None and report.details["errors"][0]["code"] == "subject-unknown"


async def test_outage_backs_off_then_fails_after_the_attempts(session: AsyncSession) -> None:
    sim = Simulator()
    sim.available = False
    report = await write_off(session, await pharmacy(session), sgtin(6))
    now = datetime.now(UTC)
    await send_queued(session, sim, POLICY, now)
    assert report.status == "queued" and report.attempts == 1
    assert report.next_attempt_at == now + timedelta(seconds=10)
    await send_queued(session, sim, POLICY, now + timedelta(seconds=5))  # not due yet
    assert report.attempts == 1
    await send_queued(session, sim, POLICY, now + timedelta(seconds=10))
    assert report.attempts == 2 and report.next_attempt_at == now + timedelta(seconds=30)
    await send_queued(session, sim, POLICY, now + timedelta(seconds=30))
    assert report.status == "failed" and report.attempts == 3
    assert report.error is not None and "3 попыток" in report.error
    assert sim.submissions == 0


async def test_file_drop_writes_the_document_and_reads_the_ticket(
    session: AsyncSession, tmp_path: Path
) -> None:
    drop = FileDrop(tmp_path / "out", tmp_path / "in")
    report = await write_off(session, await pharmacy(session), sgtin(7))
    await send_queued(session, drop, POLICY)
    dropped = tmp_path / "out" / f"{report.idempotency_key}.xml"
    assert dropped.read_text(encoding="utf-8") == report.document
    assert report.external_id == report.idempotency_key
    await poll_sent(session, drop, POLICY, datetime.now(UTC) + timedelta(hours=1))
    assert report.status == "sent"  # no answer yet
    (tmp_path / "in").mkdir()
    ticket = Ticket("op-7", "Rejected", datetime.now(UTC), [TicketError("4", "Код не найден", sgtin(7))])
    (tmp_path / "in" / f"{report.idempotency_key}.xml").write_text(
        render_ticket(ticket, "552"), encoding="utf-8"
    )
    await poll_sent(session, drop, POLICY, datetime.now(UTC) + timedelta(hours=2))
    assert report.status == "rejected" and report.error == "Код не найден"


def pharmacist(tokens: TokenFactory, org: uuid.UUID) -> dict[str, str]:
    return tokens.auth(
        org_id=org,
        org_type="pharmacy",
        roles=["pharmacist"],
        perms=["pharmacy.marking:read", "pharmacy.marking:write"],
        subject="pharmacist",
    )


def tfoms(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(
        org_type="tfoms", roles=["tfoms_analyst"], perms=["pharmacy.marking:read", "pharmacy.marking:write"]
    )


async def test_api_lists_shows_and_resends_within_scope(
    client: AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    sim = Simulator()
    mine, other = await pharmacy(session, "990111"), await pharmacy(session, "990112")
    accepted = await write_off(session, mine, sgtin(8))
    rejected = await write_off(session, mine, sgtin(8))
    foreign = await write_off(session, other, sgtin(9))
    await send_queued(session, sim, POLICY)
    await poll_sent(session, sim, POLICY)
    assert (accepted.status, rejected.status, foreign.status) == ("accepted", "rejected", "accepted")

    own = pharmacist(tokens, mine)
    page = (await client.get("/marking/reports", headers=own, params={"operation": "write_off"})).json()
    assert {i["id"] for i in page["items"]} == {str(accepted.id), str(rejected.id)}
    assert page["by_status"] == {"accepted": 1, "rejected": 1}
    only = (await client.get("/marking/reports", headers=own, params={"status": "rejected"})).json()
    assert [i["id"] for i in only["items"]] == [str(rejected.id)] and only["items"][0]["action_id"] == 552

    today, tomorrow = date.today().isoformat(), (date.today() + timedelta(days=1)).isoformat()
    one_day = {"date_from": today, "date_to": today}
    same_day = await client.get("/marking/reports", headers=own, params=one_day)
    assert same_day.json()["total"] == 2
    later = await client.get("/marking/reports", headers=own, params={"date_from": tomorrow})
    assert later.json()["total"] == 0

    one = await client.get(f"/marking/reports/{rejected.id}", headers=own)
    assert one.status_code == 200
    body = one.json()
    assert body["document"].startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert body["errors"][0]["code"] == "sgtin-withdrawn"
    assert "<operation_result>Rejected</operation_result>" in body["ticket"]

    assert (await client.get(f"/marking/reports/{foreign.id}", headers=own)).status_code == 404
    assert (await client.post(f"/marking/reports/{foreign.id}/resend", headers=own)).status_code == 404
    conflict = await client.post(f"/marking/reports/{accepted.id}/resend", headers=own)
    assert conflict.status_code == 409

    again = await client.post(f"/marking/reports/{rejected.id}/resend", headers=own)
    assert again.status_code == 200
    assert again.json()["status"] == "queued" and again.json()["attempts"] == 0
    assert again.json()["idempotency_key"] == rejected.idempotency_key

    region = (await client.get("/marking/reports", headers=tfoms(tokens), params={"sgtin": sgtin(9)})).json()
    assert [i["id"] for i in region["items"]] == [str(foreign.id)]
    nobody = tokens.auth(org_type="pharmacy", perms=["pharmacy.stock:read"])
    assert (await client.get("/marking/reports", headers=nobody)).status_code == 403


async def test_the_simulator_in_the_database_is_one_national_system_for_every_process(
    database_url: str,
) -> None:
    """Two simulators over the same tables (two processes of the service) agree: a receipt of
    one is answered by the other, a package withdrawn through one is refused by the other."""
    from sqlalchemy import delete

    from oms_kit.db import Database
    from pharmacy.marking.trace.documents import DisposalDocument, PackageLine, render
    from pharmacy.models import TraceSimDocument, TraceSimWithdrawn

    database = Database(database_url)
    one, other = Simulator(store=DatabaseStore(database)), Simulator(store=DatabaseStore(database))
    code = f"{GTIN}{uuid.uuid4().hex[:13].upper()}"
    doc = render(DisposalDocument("write_off", "00000000990101", datetime.now(UTC), [PackageLine(code)]))
    keys = [f"write_off-{uuid.uuid4()}", f"write_off-{uuid.uuid4()}"]
    try:
        receipt = await one.submit(doc, keys[0])
        assert (await other.status(receipt.external_id)).state == "accepted"
        assert (await other.submit(doc, keys[0])).external_id == receipt.external_id
        second = await other.submit(doc, keys[1])
        answer = await one.status(second.external_id)
        assert answer.state == "rejected" and answer.errors[0].code == "sgtin-withdrawn"
    finally:
        async with database.sessions() as session, session.begin():
            await session.execute(
                delete(TraceSimWithdrawn).where(TraceSimWithdrawn.idempotency_key.in_(keys))
            )
            await session.execute(delete(TraceSimDocument).where(TraceSimDocument.idempotency_key.in_(keys)))
        await database.dispose()


async def test_run_once_sends_and_collects_in_its_own_transactions(database_url: str) -> None:
    """What the periodic resource runs: committed reports of a known pharmacy and of an unknown
    place end accepted and rejected, through the simulator kept in the database."""
    from sqlalchemy import delete, select

    from oms_kit.db import Database
    from pharmacy.marking.trace.sender import run_once
    from pharmacy.models import TraceSimDocument, TraceSimWithdrawn

    database = Database(database_url)
    place = uuid.uuid4()
    code = f"{uuid.uuid4().int % 10**6:06d}"
    ids: list[uuid.UUID] = []
    try:
        async with database.sessions() as session, session.begin():
            session.add(Organization(id=place, name="Аптека", kind="pharmacy", code=code))
            await session.flush()
            known = await write_off(session, place, f"{GTIN}{uuid.uuid4().hex[:13].upper()}")
            unknown = await write_off(session, uuid.uuid4(), f"{GTIN}{uuid.uuid4().hex[:13].upper()}")
            ids = [known.id, unknown.id]
        summary = await run_once(database, Simulator(store=DatabaseStore(database)), POLICY)
        assert summary["sent"] >= 2 and summary["accepted"] >= 1 and summary["rejected"] >= 1
        async with database.sessions() as session:
            rows = {
                r.id: r for r in await session.scalars(select(TraceReport).where(TraceReport.id.in_(ids)))
            }
        assert rows[ids[0]].status == "accepted" and rows[ids[1]].status == "rejected"
    finally:
        async with database.sessions() as session, session.begin():
            keys = list(
                await session.scalars(select(TraceReport.idempotency_key).where(TraceReport.id.in_(ids)))
            )
            await session.execute(
                delete(TraceSimWithdrawn).where(TraceSimWithdrawn.idempotency_key.in_(keys))
            )
            await session.execute(delete(TraceSimDocument).where(TraceSimDocument.idempotency_key.in_(keys)))
            await session.execute(delete(TraceReport).where(TraceReport.id.in_(ids)))
            await session.execute(delete(Organization).where(Organization.id == place))
        await database.dispose()
