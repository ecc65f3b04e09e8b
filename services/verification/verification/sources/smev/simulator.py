"""A SMEV transport without a network: each source answers from what it "knows" (a list of
its records — see ``synthetic.source_answers``), after a delay, with a fresh response message id.
Tests steer it: fail the next sends, deliver a response twice."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from verification.linkage.records import PersonRecord
from verification.sources.catalogue import adapter_for
from verification.sources.records import SourceRecord
from verification.sources.smev.transport import TransportError


def _name_key(
    surname: str | None, first_name: str | None, birth: date | None
) -> tuple[str, str, date | None]:
    def norm(value: str | None) -> str:
        return (value or "").lower().replace("ё", "е").strip()

    return norm(surname), norm(first_name), birth


class SourceKnowledge:
    """What one source holds, found by SNILS, document or name with birth date (as the real
    services search by the установочные данные of the request)."""

    def __init__(self, records: Iterable[SourceRecord]) -> None:
        self.by_snils: dict[str, list[SourceRecord]] = {}
        self.by_doc: dict[tuple[str, str], list[SourceRecord]] = {}
        self.by_name: dict[tuple[str, str, date | None], list[SourceRecord]] = {}
        for record in records:
            if record.snils:
                self.by_snils.setdefault(record.snils, []).append(record)
            if record.doc_number:
                self.by_doc.setdefault((record.doc_series or "", record.doc_number), []).append(record)
            self.by_name.setdefault(
                _name_key(record.surname, record.first_name, record.birth_date), []
            ).append(record)

    def answer(self, persons: Iterable[PersonRecord], kinds: Iterable[str]) -> list[SourceRecord]:
        wanted = set(kinds)
        found: dict[bytes, SourceRecord] = {}
        for person in persons:
            candidates = []
            if person.snils:
                candidates += self.by_snils.get(person.snils, [])
            if person.doc_number:
                candidates += self.by_doc.get((person.doc_series or "", person.doc_number), [])
            candidates += self.by_name.get(
                _name_key(person.surname, person.first_name, person.birth_date), []
            )
            for record in candidates:
                if not wanted or record.kind in wanted:
                    found.setdefault(record.fingerprint(), record)
        return list(found.values())


@dataclass
class _Pending:
    ready_at: datetime
    message_id: uuid.UUID
    payload: bytes


@dataclass
class SimulatorTransport:
    knowledge: dict[str, SourceKnowledge]
    clock: Callable[[], datetime]
    delay: timedelta = timedelta(hours=2)
    fail_sends: dict[str, int] = field(default_factory=dict)  # source → how many next sends fail
    sent: list[uuid.UUID] = field(default_factory=list)
    pending: dict[str, list[_Pending]] = field(default_factory=dict)
    delivered: dict[uuid.UUID, bytes] = field(default_factory=dict)

    async def send(self, source: str, message_id: uuid.UUID, payload: bytes) -> None:
        if self.fail_sends.get(source, 0) > 0:
            self.fail_sends[source] -= 1
            raise TransportError("СМЭВ не принял сообщение: сервис временно недоступен (симулятор)")
        if message_id in self.sent:
            return  # SMEV keys messages by id: a repeated send is one message
        self.sent.append(message_id)
        adapter = adapter_for(source)
        request = adapter.read_request_message(payload)
        known = self.knowledge.get(source)
        records = known.answer(request.persons, request.kinds) if known else []
        response_id = uuid.uuid4()
        answer = adapter.response_message(response_id, request.message_id, records)
        self.pending.setdefault(source, []).append(_Pending(self.clock() + self.delay, response_id, answer))

    async def receive(self, source: str, limit: int) -> list[bytes]:
        now = self.clock()
        return [p.payload for p in self.pending.get(source, []) if p.ready_at <= now][:limit]

    async def acknowledge(self, source: str, message_id: uuid.UUID) -> None:
        for p in self.pending.get(source, []):
            if p.message_id == message_id:
                self.delivered[message_id] = p.payload
        self.pending[source] = [p for p in self.pending.get(source, []) if p.message_id != message_id]

    def redeliver(self, source: str, message_id: uuid.UUID) -> None:
        """Queue an acknowledged response again (SMEV delivering it twice)."""
        self.pending.setdefault(source, []).append(
            _Pending(self.clock(), message_id, self.delivered[message_id])
        )

    def deliver(self, source: str, payload: bytes) -> None:
        """Queue a response of someone else's making (a stray or forged message)."""
        self.pending.setdefault(source, []).append(_Pending(self.clock(), uuid.uuid4(), payload))

    def response_ids(self, source: str) -> list[uuid.UUID]:
        return [p.message_id for p in self.pending.get(source, [])]
