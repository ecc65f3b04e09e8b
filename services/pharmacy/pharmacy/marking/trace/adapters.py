"""Outbound adapters to the national track-and-trace system (МДЛП).

``TraceSystem`` is what the sender needs: ``submit`` a document under its idempotency key (the
``request_id`` of МДЛП's «отправка документа») and get a receipt with the system's id for it;
``status`` of that id — still processing, accepted, or rejected with the errors of the 200
``result`` ticket. Two implementations:

- ``FileDrop`` — each document is written to an outbound directory as ``<key>.xml`` (written to
  a temporary name and renamed, so a collecting agent never sees half a file); answers are
  200-result tickets the agent puts into the inbound directory as ``<key>.xml``;
- ``Simulator`` — an in-process fake of the national system for the demo and the tests (the
  real one is not reachable from here): it checks the sender is a known subject and that no
  package is withdrawn twice, and answers a repeated key with the same receipt (the document is
  not registered twice).

Chosen by ``OMS_PHARMACY_TRACE_ADAPTER`` (``simulator`` | ``file``)."""

from __future__ import annotations

import os
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, Protocol

from pharmacy.marking.trace.documents import Ticket, TicketError, parse, parse_ticket, render_ticket

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
        raise ValueError(f"not a usable file name: {key!r}")
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


OPERATION_NAMES = {
    521: "Регистрация сведений об отпуске лекарственного препарата по льготному рецепту",
    552: "Регистрация сведений о выводе из оборота лекарственных препаратов по различным причинам",
    415: "Регистрация сведений об отгрузке лекарственных препаратов со склада отправителя",
}


def _action_of(document: str) -> int:
    try:
        return parse(document).action_id
    except ValueError:
        return 0


@dataclass
class _Registered:
    external_id: str
    document: str
    answer: Answer


class Simulator:
    """An in-process stand-in for МДЛП. ``subjects``: the places of activity it knows (None —
    any 14-digit id); ``available`` False makes every call fail as an outage would."""

    name = "simulator"

    def __init__(self, subjects: set[str] | None = None) -> None:
        self.subjects = subjects
        self.available = True
        self._by_key: dict[str, _Registered] = {}
        self._by_id: dict[str, _Registered] = {}
        self._withdrawn: dict[str, str] = {}  # sgtin → the key of the document that withdrew it
        self._lock = threading.Lock()
        self.submissions = 0  # documents received, repeats included

    def register_subjects(self, subjects: set[str]) -> None:
        with self._lock:
            self.subjects = (self.subjects or set()) | subjects

    def _check(self, document: str, key: str) -> tuple[Answer, list[str]]:
        now = datetime.now(UTC)
        try:
            parsed = parse(document)
        except ValueError as exc:
            return Answer(
                "rejected", [TicketError("xml-invalid", f"Документ не соответствует схеме: {exc}")]
            ), []
        errors: list[TicketError] = []
        if self.subjects is not None and parsed.subject_id not in self.subjects:
            errors.append(
                TicketError(
                    "subject-unknown",
                    f"Место осуществления деятельности {parsed.subject_id} не зарегистрировано в ИС МДЛП",
                    parsed.subject_id,
                )
            )
        for sgtin in parsed.sgtins:
            other = self._withdrawn.get(sgtin)
            if other is not None and other != key:
                errors.append(
                    TicketError("sgtin-withdrawn", f"Упаковка {sgtin} уже выведена из оборота", sgtin)
                )
        state: AnswerState = "rejected" if errors else "accepted"
        return Answer(state, errors, answered_at=now), parsed.sgtins

    async def submit(self, document: str, idempotency_key: str) -> Receipt:
        if not self.available:
            raise TraceUnavailable("ИС МДЛП недоступна (симулятор: отключён)")
        with self._lock:
            self.submissions += 1
            known = self._by_key.get(idempotency_key)
            if known is not None and known.answer.state == "accepted":
                return Receipt(known.external_id)  # the same document again: registered once
            answer, sgtins = self._check(document, idempotency_key)
            external_id = known.external_id if known is not None else str(uuid.uuid4())
            action = _action_of(document)
            ticket = Ticket(
                operation_id=external_id,
                result="Accepted" if answer.state == "accepted" else "Rejected",
                accept_time=answer.answered_at,
                errors=answer.errors,
            )
            answer = Answer(
                answer.state,
                answer.errors,
                render_ticket(ticket, OPERATION_NAMES.get(action, "Регистрация сведений")),
                answer.answered_at,
            )
            record = _Registered(external_id, document, answer)
            self._by_key[idempotency_key] = record
            self._by_id[external_id] = record
            if answer.state == "accepted":
                for sgtin in sgtins:
                    self._withdrawn[sgtin] = idempotency_key
            return Receipt(external_id)

    async def status(self, external_id: str) -> Answer:
        if not self.available:
            raise TraceUnavailable("ИС МДЛП недоступна (симулятор: отключён)")
        record = self._by_id.get(external_id)
        if record is None:
            return Answer("rejected", [TicketError("document-unknown", f"Документ {external_id} не найден")])
        return record.answer

    def withdrawn(self, sgtin: str) -> bool:
        return sgtin in self._withdrawn


_SIMULATOR = Simulator()


def shared_simulator() -> Simulator:
    """The process's simulator (its memory is the «national system» of this process)."""
    return _SIMULATOR


def trace_system(adapter: str, outbox: str, inbox: str) -> TraceSystem:
    if adapter == "file":
        return FileDrop(Path(outbox), Path(inbox))
    if adapter == "simulator":
        return shared_simulator()
    raise ValueError(f"unknown track-and-trace adapter {adapter!r} (simulator | file)")
