"""The sender: delivers queued reports to the track-and-trace system and collects its answers.

One run (``run_once``): (1) the queued reports that are due are claimed (``FOR UPDATE SKIP
LOCKED``) and submitted, each under its own idempotency key — a report whose previous attempt
got lost on the way is sent again with the same key, which the system answers with the same
receipt; a failed attempt waits ``backoff × 2^(attempt−1)`` (at most an hour) and after
``max_attempts`` the report is ``failed``; (2) the sent reports are polled: accepted, rejected
(with the errors of the ticket), or still processing (asked again after ``poll_seconds``).
Runs periodically as a resource of the app (``OMS_PHARMACY_TRACE_SEND_SECONDS``)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.background import Periodic
from oms_kit.db import Database
from pharmacy.config import Settings
from pharmacy.marking.trace import repository
from pharmacy.marking.trace.adapters import TraceSystem, TraceUnavailable, trace_system
from pharmacy.marking.trace.documents import subject_id_of
from pharmacy.marking.trace.simulator import Simulator

log = logging.getLogger("pharmacy.trace")

MAX_PAUSE = timedelta(hours=1)


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 5
    backoff_seconds: float = 30.0
    poll_seconds: float = 10.0
    batch: int = 100

    def pause(self, attempts: int) -> timedelta:
        return min(timedelta(seconds=self.backoff_seconds * 2 ** max(attempts - 1, 0)), MAX_PAUSE)


def policy_of(settings: Settings) -> Policy:
    return Policy(
        max_attempts=settings.trace_max_attempts,
        backoff_seconds=settings.trace_backoff_seconds,
        poll_seconds=max(settings.trace_send_seconds, 1.0),
    )


async def _know_places(session: AsyncSession, system: TraceSystem) -> None:
    """The simulator knows the places of activity registered in this service (as МДЛП knows
    every licensed address); a report from anywhere else is rejected as from an unknown subject."""
    if isinstance(system, Simulator):
        places = await repository.registered_places(session)
        system.register_subjects({subject_id_of(code, org_id) for org_id, code in places})


async def send_queued(
    session: AsyncSession, system: TraceSystem, policy: Policy, now: datetime | None = None
) -> dict[str, int]:
    now = now or datetime.now(UTC)
    counts = {"sent": 0, "retry": 0, "failed": 0}
    reports = await repository.claim(session, "queued", now, policy.batch)
    if reports:
        await _know_places(session, system)
    for report in reports:
        report.attempts += 1
        try:
            receipt = await system.submit(report.document, report.idempotency_key)
        except TraceUnavailable as exc:
            if report.attempts >= policy.max_attempts:
                report.status = "failed"
                report.next_attempt_at = None
                report.error = f"Не отправлено за {report.attempts} попыток: {exc}"[:1000]
                counts["failed"] += 1
            else:
                report.next_attempt_at = now + policy.pause(report.attempts)
                report.error = f"Попытка {report.attempts}: {exc}"[:1000]
                counts["retry"] += 1
            continue
        report.status = "sent"
        report.external_id = receipt.external_id
        report.sent_at = now
        report.error = None
        report.next_attempt_at = None
        counts["sent"] += 1
    await session.flush()
    return counts


async def poll_sent(
    session: AsyncSession, system: TraceSystem, policy: Policy, now: datetime | None = None
) -> dict[str, int]:
    now = now or datetime.now(UTC)
    counts = {"accepted": 0, "rejected": 0, "pending": 0}
    for report in await repository.claim(session, "sent", now, policy.batch):
        try:
            answer = await system.status(report.external_id or report.idempotency_key)
        except TraceUnavailable as exc:
            report.next_attempt_at = now + timedelta(seconds=policy.poll_seconds)
            log.warning(
                "track-and-trace status unavailable", extra={"report": str(report.id), "error": str(exc)}
            )
            counts["pending"] += 1
            continue
        if answer.state == "pending":
            report.next_attempt_at = now + timedelta(seconds=policy.poll_seconds)
            counts["pending"] += 1
            continue
        report.status = answer.state
        report.answered_at = answer.answered_at or now
        report.next_attempt_at = None
        details: dict[str, Any] = dict(report.details or {})
        details["ticket"] = answer.ticket
        details["errors"] = [
            {"code": e.code, "message": e.description, "object_id": e.object_id} for e in answer.errors
        ]
        report.details = details
        report.error = "; ".join(e.description for e in answer.errors)[:1000] or None
        counts[answer.state] += 1
    await session.flush()
    return counts


async def run_once(database: Database, system: TraceSystem, policy: Policy) -> dict[str, int]:
    """Send, then poll — each in its own transaction."""
    async with database.sessions() as session, session.begin():
        sent = await send_queued(session, system, policy)
    async with database.sessions() as session, session.begin():
        answered = await poll_sent(session, system, policy)
    summary = {**sent, **answered}
    if any(summary.values()):
        log.info("track-and-trace reports", extra=summary)
    return summary


def trace_sender(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[object]]:
    """The sender as a resource of the app; ``trace_send_seconds`` 0 — off."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        database = app.state.database
        assert isinstance(database, Database)
        system = trace_system(
            settings.trace_adapter, settings.trace_outbox_dir, settings.trace_inbox_dir, database
        )
        app.state.trace_system = system
        policy = policy_of(settings)
        job = Periodic(
            "pharmacy-trace-sender",
            settings.trace_send_seconds,
            lambda: run_once(database, system, policy),
            failure="track-and-trace sender run failed; will retry",
        )
        if settings.trace_send_seconds > 0:
            job.start()
        try:
            yield
        finally:
            await job.stop()

    return run
