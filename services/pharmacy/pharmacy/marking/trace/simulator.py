"""An in-process stand-in for МДЛП (the demo and the tests; the real system is not reachable from
here). It checks the sender is a place of activity it knows and that no package is withdrawn
twice; a repeated idempotency key gets the same receipt and registers nothing twice; a rejected
document registers nothing (sent again under its key, it is judged again).

What it remembers lives in a store: ``MemoryStore`` (one process — tests) or ``DatabaseStore``
(tables ``trace_sim_document`` / ``trace_sim_withdrawn``: every process of the service and a
restart see the same «national system»; submissions take turns on an advisory lock)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from pharmacy.marking.trace.adapters import Answer, AnswerState, Receipt, TraceUnavailable
from pharmacy.marking.trace.documents import Ticket, TicketError, parse, render_ticket
from pharmacy.models import TraceSimDocument, TraceSimWithdrawn

OPERATION_NAMES = {
    521: "Регистрация сведений об отпуске лекарственного препарата по льготному рецепту",
    552: "Регистрация сведений о выводе из оборота лекарственных препаратов по различным причинам",
    415: "Регистрация сведений об отгрузке лекарственных препаратов со склада отправителя",
}
LOCK = 0x4D444C50  # «MDLP»: the simulator's submissions take turns


@dataclass
class Registered:
    external_id: str
    action_id: int
    state: AnswerState
    errors: list[TicketError]
    ticket: str
    answered_at: datetime

    @property
    def answer(self) -> Answer:
        return Answer(self.state, self.errors, self.ticket, self.answered_at)


class StoreTx(Protocol):
    async def by_key(self, key: str) -> Registered | None: ...

    async def by_id(self, external_id: str) -> Registered | None: ...

    async def withdrawn_by(self, sgtins: list[str]) -> dict[str, str]: ...

    async def save(self, key: str, record: Registered, withdrawn: list[str]) -> None: ...


class Store(Protocol):
    def transaction(self) -> AbstractAsyncContextManager[StoreTx]: ...


@dataclass
class MemoryStore:
    by_key_: dict[str, Registered] = field(default_factory=dict)
    by_id_: dict[str, Registered] = field(default_factory=dict)
    withdrawn: dict[str, str] = field(default_factory=dict)
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def by_key(self, key: str) -> Registered | None:
        return self.by_key_.get(key)

    async def by_id(self, external_id: str) -> Registered | None:
        return self.by_id_.get(external_id)

    async def withdrawn_by(self, sgtins: list[str]) -> dict[str, str]:
        return {s: self.withdrawn[s] for s in sgtins if s in self.withdrawn}

    async def save(self, key: str, record: Registered, withdrawn: list[str]) -> None:
        self.by_key_[key] = record
        self.by_id_[record.external_id] = record
        for sgtin in withdrawn:
            self.withdrawn[sgtin] = key

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[StoreTx]:
        async with self.lock:
            yield self


def _record(row: TraceSimDocument) -> Registered:
    state: AnswerState = "accepted" if row.state == "accepted" else "rejected"
    errors = [TicketError(e["code"], e["message"], e.get("object_id")) for e in row.errors or []]
    return Registered(row.external_id, row.action_id, state, errors, row.ticket, row.answered_at)


class _DatabaseTx:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_key(self, key: str) -> Registered | None:
        row = await self.session.get(TraceSimDocument, key)
        return _record(row) if row is not None else None

    async def by_id(self, external_id: str) -> Registered | None:
        row = await self.session.scalar(
            select(TraceSimDocument).where(TraceSimDocument.external_id == external_id)
        )
        return _record(row) if row is not None else None

    async def withdrawn_by(self, sgtins: list[str]) -> dict[str, str]:
        if not sgtins:
            return {}
        rows = await self.session.execute(
            select(TraceSimWithdrawn.sgtin, TraceSimWithdrawn.idempotency_key).where(
                TraceSimWithdrawn.sgtin.in_(sgtins)
            )
        )
        return {r[0]: r[1] for r in rows}

    async def save(self, key: str, record: Registered, withdrawn: list[str]) -> None:
        values = {
            "idempotency_key": key,
            "external_id": record.external_id,
            "action_id": record.action_id,
            "state": record.state,
            "errors": [
                {"code": e.code, "message": e.description, "object_id": e.object_id} for e in record.errors
            ],
            "ticket": record.ticket,
            "answered_at": record.answered_at,
        }
        statement = insert(TraceSimDocument).values(**values)
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=[TraceSimDocument.idempotency_key],
                set_={k: statement.excluded[k] for k in ("state", "errors", "ticket", "answered_at")},
            )
        )
        if withdrawn:
            await self.session.execute(
                insert(TraceSimWithdrawn)
                .values([{"sgtin": s, "idempotency_key": key} for s in withdrawn])
                .on_conflict_do_nothing()
            )


class DatabaseStore:
    def __init__(self, database: Database) -> None:
        self.database = database

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[StoreTx]:
        async with self.database.sessions() as session, session.begin():
            await session.execute(select(func.pg_advisory_xact_lock(LOCK)))
            yield _DatabaseTx(session)


class Simulator:
    """``subjects``: the places of activity it knows (None — any 14-digit id); ``available``
    False makes every call fail as an outage would."""

    name = "simulator"

    def __init__(self, subjects: set[str] | None = None, store: Store | None = None) -> None:
        self.subjects = subjects
        self.available = True
        self.store: Store = store or MemoryStore()
        self.submissions = 0  # documents received, repeats included

    def register_subjects(self, subjects: set[str]) -> None:
        self.subjects = (self.subjects or set()) | subjects

    async def submit(self, document: str, idempotency_key: str) -> Receipt:
        if not self.available:
            raise TraceUnavailable("ИС МДЛП недоступна (симулятор: отключён)")
        self.submissions += 1
        async with self.store.transaction() as tx:
            known = await tx.by_key(idempotency_key)
            if known is not None and known.state == "accepted":
                return Receipt(known.external_id)  # the same document again: registered once
            external_id = known.external_id if known is not None else str(uuid.uuid4())
            now = datetime.now(UTC)
            errors: list[TicketError] = []
            sgtins: list[str] = []
            action = 0
            try:
                parsed = parse(document)
            except ValueError as exc:
                errors.append(TicketError("xml-invalid", f"Документ не соответствует схеме: {exc}"))
            else:
                action, sgtins = parsed.action_id, parsed.sgtins
                if self.subjects is not None and parsed.subject_id not in self.subjects:
                    errors.append(
                        TicketError(
                            "subject-unknown",
                            f"Место осуществления деятельности {parsed.subject_id} "
                            "не зарегистрировано в ИС МДЛП",
                            parsed.subject_id,
                        )
                    )
                taken = await tx.withdrawn_by(sgtins)
                errors += [
                    TicketError("sgtin-withdrawn", f"Упаковка {s} уже выведена из оборота", s)
                    for s in sgtins
                    if taken.get(s, idempotency_key) != idempotency_key
                ]
            state: AnswerState = "rejected" if errors else "accepted"
            ticket = Ticket(external_id, "Accepted" if not errors else "Rejected", now, errors)
            record = Registered(
                external_id,
                action,
                state,
                errors,
                render_ticket(ticket, OPERATION_NAMES.get(action, "Регистрация сведений")),
                now,
            )
            await tx.save(idempotency_key, record, sgtins if state == "accepted" else [])
            return Receipt(external_id)

    async def status(self, external_id: str) -> Answer:
        if not self.available:
            raise TraceUnavailable("ИС МДЛП недоступна (симулятор: отключён)")
        async with self.store.transaction() as tx:
            record = await tx.by_id(external_id)
        if record is None:
            return Answer("rejected", [TicketError("document-unknown", f"Документ {external_id} не найден")])
        return record.answer

    async def withdrawn(self, sgtin: str) -> bool:
        async with self.store.transaction() as tx:
            return bool(await tx.withdrawn_by([sgtin]))
