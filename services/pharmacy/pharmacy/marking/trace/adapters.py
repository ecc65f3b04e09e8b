"""Outbound adapters to the national track-and-trace system (МДЛП).

``TraceSystem`` is what the sender needs: ``submit`` a document under its idempotency key (the
``request_id`` of МДЛП's «отправка документа») and get a receipt with the system's id for it;
``status`` of that id — still processing, accepted, or rejected with the errors of the 200
``result`` ticket. Two implementations:

- ``FileDrop`` — each document is written to an outbound directory as ``<key>.xml`` (written to
  a temporary name and renamed, so a collecting agent never sees half a file); answers are
  200-result tickets the agent puts into the inbound directory as ``<key>.xml``;
- ``Simulator`` (``simulator.py``) — an in-process fake of the national system for the demo and
  the tests (the real one is not reachable from here): it checks the sender is a known subject
  and that no package is withdrawn twice, and answers a repeated key with the same receipt (the
  document is not registered twice).

Chosen by ``OMS_PHARMACY_TRACE_ADAPTER`` (``simulator`` | ``file``)."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from oms_kit.db import Database
from pharmacy.marking.trace.documents import TicketError, parse_ticket

AnswerState = Literal["pending", "accepted", "rejected"]


class TraceUnavailable(Exception):
    """The system could not be reached (or the drop could not be written): try again later."""


@dataclass(frozen=True)
class Receipt:
    external_id: str


@dataclass(frozen=True)
class Answer:
    state: AnswerState
    errors: list[TicketError] = field(default_factory=list)
    ticket: str | None = None  # the 200 result document as received
    answered_at: datetime | None = None


class TraceSystem(Protocol):
    name: str

    async def submit(self, document: str, idempotency_key: str) -> Receipt: ...

    async def status(self, external_id: str) -> Answer: ...


def _answer_of(ticket_text: str) -> Answer:
    ticket = parse_ticket(ticket_text)
    state: AnswerState = "accepted" if ticket.result == "Accepted" else "rejected"
    return Answer(state, ticket.errors, ticket_text, ticket.accept_time or datetime.now(UTC))


def _safe_name(key: str) -> str:
    if not key or any(c in key for c in "/\\\0") or key.startswith("."):
        raise ValueError(f"ключ {key!r} нельзя использовать как имя файла")
    return key


class FileDrop:
    """Documents into ``outbox``, answers from ``inbox`` (both ``<idempotency key>.xml``)."""

    name = "file"

    def __init__(self, outbox: Path, inbox: Path) -> None:
        self.outbox = outbox
        self.inbox = inbox

    async def submit(self, document: str, idempotency_key: str) -> Receipt:
        name = _safe_name(idempotency_key)
        target = self.outbox / f"{name}.xml"
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
            if not target.exists():  # a resend of the same key leaves the dropped file as it is
                temporary = self.outbox / f".{name}.{uuid.uuid4().hex}.tmp"
                temporary.write_text(document, encoding="utf-8")
                os.replace(temporary, target)
        except OSError as exc:
            raise TraceUnavailable(f"не удалось записать {target}: {exc.strerror or exc}") from exc
        return Receipt(name)

    async def status(self, external_id: str) -> Answer:
        answer = self.inbox / f"{_safe_name(external_id)}.xml"
        try:
            text = answer.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Answer("pending")
        except OSError as exc:
            raise TraceUnavailable(f"не удалось прочитать {answer}: {exc.strerror or exc}") from exc
        try:
            return _answer_of(text)
        except ValueError as exc:
            return Answer("rejected", [TicketError("bad-ticket", f"Квитанция не разобрана: {exc}")], text)


def trace_system(adapter: str, outbox: str, inbox: str, database: Database | None = None) -> TraceSystem:
    """The adapter by name; the simulator keeps its memory in ``database`` when given."""
    if adapter == "file":
        return FileDrop(Path(outbox), Path(inbox))
    if adapter == "simulator":
        from pharmacy.marking.trace.simulator import DatabaseStore, MemoryStore, Simulator

        return Simulator(store=DatabaseStore(database) if database is not None else MemoryStore())
    raise ValueError(f"неизвестный адаптер МДЛП {adapter!r} (допустимы: simulator, file)")
