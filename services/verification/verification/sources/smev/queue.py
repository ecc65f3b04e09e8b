"""The SMEV-style exchange with a source: persons to check are queued as request messages
(``smev_request``, one message id each), sent within the source's daily quota with retries and
backoff, expired when unanswered too long, and the responses matched to their requests by
message id and loaded as batches. A response that comes twice, or after its request expired,
is stored once (the batch is keyed by the response's message id).

Acknowledgement after commit: ``receive`` stores the responses in the caller's transaction and
only lists them (``ReceiveReport.to_acknowledge``); they are acknowledged to the transport by
``acknowledge`` after that transaction committed (``receive_committed`` and ``exchange`` do it
in this order). A crash between storing and committing leaves the responses at the transport,
to be received again; one received twice is stored once.

Time is always passed in (``now``): the run job passes the clock, the tests pass days."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from verification.linkage.records import PersonRecord
from verification.sources.adapter import SourceAdapter
from verification.sources.catalogue import adapter_for
from verification.sources.service import load_response
from verification.sources.smev.messages import MessageError
from verification.sources.smev.repository import SmevRequestRepository
from verification.sources.smev.transport import SmevTransport, TransportError

log = logging.getLogger(__name__)
MOSCOW = ZoneInfo("Europe/Moscow")
# Opens a transaction: the session inside commits on leaving the block, rolls back on an error.
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


@dataclass(frozen=True)
class SmevPolicy:
    daily_quota: int = 1_000  # requests a source accepts per day (Moscow time), per source
    quotas: dict[str, int] = field(default_factory=dict)  # per-source overrides
    persons_per_request: int = 500
    max_attempts: int = 5
    backoff: timedelta = timedelta(minutes=1)  # first retry; doubled each attempt
    max_backoff: timedelta = timedelta(hours=1)
    answer_within: timedelta = timedelta(days=3)  # a request unanswered this long expires
    receive_limit: int = 100

    def quota(self, source: str) -> int:
        return self.quotas.get(source, self.daily_quota)

    def retry_delay(self, attempts_so_far: int) -> timedelta:
        delay: timedelta = min(self.backoff * (2**attempts_so_far), self.max_backoff)
        return delay


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    """The Moscow calendar day of ``now`` (quotas count per day there)."""
    local = now.astimezone(MOSCOW)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0  # failed sends that will be tried again
    failed: int = 0  # gave up after max_attempts
    postponed: int = 0  # due, but over today's quota: wait for the next day


@dataclass
class ReceiveReport:
    loaded: int = 0  # responses stored as new batches
    repeated: int = 0  # responses received before
    late: int = 0  # responses to expired requests (stored once too)
    unknown: int = 0  # responses naming no request of ours, or unreadable
    records: int = 0  # new records
    # (source, response message id) to acknowledge once the transaction that stored them committed
    to_acknowledge: list[tuple[str, uuid.UUID]] = field(default_factory=list)


async def enqueue(
    session: AsyncSession,
    adapter: SourceAdapter,
    persons: Sequence[PersonRecord],
    *,
    now: datetime,
    run_id: uuid.UUID | None = None,
    policy: SmevPolicy | None = None,
) -> list[uuid.UUID]:
    """Queue requests for ``persons`` (``persons_per_request`` a message); their message ids."""
    policy = policy or SmevPolicy()
    repo = SmevRequestRepository(session)
    ids = []
    for start in range(0, len(persons), policy.persons_per_request):
        chunk = persons[start : start + policy.persons_per_request]
        message_id = uuid.uuid4()
        await repo.add(
            adapter.code, message_id, adapter.request_message(chunk, message_id), len(chunk), now, run_id
        )
        ids.append(message_id)
    return ids


async def send_due(
    session: AsyncSession,
    transport: SmevTransport,
    sources: Sequence[str],
    *,
    now: datetime,
    policy: SmevPolicy | None = None,
) -> SendReport:
    policy = policy or SmevPolicy()
    repo = SmevRequestRepository(session)
    report = SendReport()
    start, end = day_bounds(now)
    for source in sources:
        left = policy.quota(source) - await repo.sent_between(source, start, end)
        for request in await repo.due(source, now, left):
            try:
                await transport.send(source, request.message_id, request.payload)
            except TransportError as exc:
                attempts = request.attempts + 1
                if attempts >= policy.max_attempts:
                    await repo.mark_attempt_failed(request.id, str(exc), None)
                    report.failed += 1
                else:
                    await repo.mark_attempt_failed(
                        request.id, str(exc), now + policy.retry_delay(request.attempts)
                    )
                    report.retried += 1
                continue
            await repo.mark_sent(request.id, now, now + policy.answer_within)
            report.sent += 1
        if await repo.sent_between(source, start, end) >= policy.quota(source):
            report.postponed += await repo.postpone_due(source, now, end)
    return report


async def expire(session: AsyncSession, *, now: datetime) -> int:
    return await SmevRequestRepository(session).expire(now)


async def receive(
    session: AsyncSession,
    transport: SmevTransport,
    sources: Sequence[str],
    *,
    now: datetime,
    policy: SmevPolicy | None = None,
) -> ReceiveReport:
    """Store the responses waiting at the transport in ``session``'s transaction. Nothing is
    acknowledged here: the caller acknowledges ``report.to_acknowledge`` after its commit
    (``acknowledge``), so a response whose storing never committed is received again."""
    policy = policy or SmevPolicy()
    repo = SmevRequestRepository(session)
    report = ReceiveReport()
    for source in sources:
        adapter = adapter_for(source)
        for payload in await transport.receive(source, policy.receive_limit):
            try:
                response = adapter.read_response_message(payload, today=now.date())
            except MessageError as exc:
                log.warning("SMEV response of %s not read: %s", source, exc)
                report.unknown += 1
                continue
            request = await repo.by_message_id(response.reference_message_id)
            if request is None or request["source"] != source:
                report.unknown += 1
                report.to_acknowledge.append((source, response.message_id))
                continue
            result = await load_response(session, adapter, response)
            if result.repeated:
                report.repeated += 1
            else:
                report.loaded += 1
                report.records += result.loaded
                report.late += request["status"] == "expired"
                await repo.mark_answered(request["id"], now, result.batch_id)
            report.to_acknowledge.append((source, response.message_id))
    return report


async def acknowledge(transport: SmevTransport, report: ReceiveReport) -> None:
    """Acknowledge the responses ``receive`` stored; call only after their transaction committed."""
    for source, message_id in report.to_acknowledge:
        await transport.acknowledge(source, message_id)


async def receive_committed(
    transaction: Transaction,
    transport: SmevTransport,
    sources: Sequence[str],
    *,
    now: datetime,
    policy: SmevPolicy | None = None,
) -> ReceiveReport:
    """``receive`` in a transaction of its own, acknowledged once that transaction committed."""
    async with transaction() as session:
        report = await receive(session, transport, sources, now=now, policy=policy)
    await acknowledge(transport, report)
    return report


async def exchange(
    transaction: Transaction,
    transport: SmevTransport,
    sources: Sequence[str],
    *,
    now: datetime,
    policy: SmevPolicy | None = None,
) -> tuple[int, SendReport, ReceiveReport]:
    """One round in one transaction: expire overdue requests, send what is due, take in the
    responses; the responses are acknowledged after the commit. (A send is safe to repeat after
    a crash before the commit: SMEV keys messages by their id.)"""
    async with transaction() as session:
        expired = await expire(session, now=now)
        sent = await send_due(session, transport, sources, now=now, policy=policy)
        received = await receive(session, transport, sources, now=now, policy=policy)
    await acknowledge(transport, received)
    return expired, sent, received
