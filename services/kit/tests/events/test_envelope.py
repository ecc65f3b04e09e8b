"""The envelope on the wire, and topic routing as the in-process bus does it."""

import uuid
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from oms_kit.events import EventEnvelope, EventPayload
from oms_kit.events.inprocess import topic_matches
from oms_kit.events.rabbit import message_properties


class PersonDied(EventPayload):
    event_type = "registry.person.died"
    schema_version = 2

    person_id: uuid.UUID
    died_on: str


def test_envelope_survives_a_json_round_trip_unchanged():
    envelope = EventEnvelope(
        type="registry.person.died",
        source="registry",
        subject="person/42",
        data={"person_id": str(uuid.uuid4()), "died_on": "2026-11-01", "nested": {"a": [1, 2]}},
        schema_version=2,
        request_id="req-1",
        time=datetime(2026, 11, 23, 10, 0, tzinfo=UTC),
    )
    back = EventEnvelope.model_validate_json(envelope.model_dump_json())
    assert back == envelope
    assert back.routing_key == "registry.person.died"
    assert back.time.tzinfo is not None


def test_envelope_rejects_unknown_fields_but_payloads_tolerate_them():
    with pytest.raises(ValidationError):
        EventEnvelope.model_validate({"type": "a.b.c", "source": "x", "data": {}, "surprise": 1})
    # A consumer reading an older payload model ignores what a newer producer added.
    payload = PersonDied.model_validate({"person_id": str(uuid.uuid4()), "died_on": "2026-11-01", "extra": 1})
    assert not hasattr(payload, "extra")


def test_amqp_properties_carry_id_type_persistence_and_request_id():
    envelope = EventEnvelope(type="registry.person.died", source="registry", data={}, request_id="req-7")
    props = message_properties(envelope, app_id="registry")
    assert props.delivery_mode == 2  # persistent
    assert props.message_id == str(envelope.id)
    assert props.message_type == "registry.person.died"
    assert props.content_type == "application/json"
    assert props.headers == {"schema_version": 1, "x-request-id": "req-7"}
    assert props.timestamp == envelope.time


@pytest.mark.parametrize(
    ("pattern", "key", "expected"),
    [
        ("registry.person.died", "registry.person.died", True),
        ("registry.person.died", "registry.person.born", False),
        ("registry.*.died", "registry.person.died", True),
        ("registry.*.died", "registry.person.record.died", False),
        ("registry.#", "registry.person.died", True),
        ("registry.#", "registry", True),  # '#' matches zero words
        ("#", "finance.bill_registry.accepted", True),
        ("#.accepted", "finance.bill_registry.accepted", True),
        ("*.person.*", "registry.person", False),
        ("registry.#.died", "registry.died", True),
        ("registry.#.died", "registry.a.b.died", True),
        ("pharmacy.#", "registry.person.died", False),
    ],
)
def test_topic_matching(pattern, key, expected):
    assert topic_matches(pattern, key) is expected
