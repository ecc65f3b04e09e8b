"""The AsyncAPI document of the event contracts."""

import enum
import json
import random
import uuid
from typing import Any

import pytest
import yaml

from oms_kit.events import EventPayload
from oms_kit.events.asyncapi import build_asyncapi


class Cause(enum.StrEnum):
    natural = "natural"
    other = "other"


class PersonDied(EventPayload):
    """A person's death was registered."""

    event_type = "registry.person.died"

    person_id: uuid.UUID
    cause: Cause
    note: str | None = None


class PersonDiedAsPharmacyReadsIt(EventPayload):
    event_type = "registry.person.died"

    person_id: uuid.UUID


class Dispensed(EventPayload):
    event_type = "pharmacy.prescription.dispensed"
    schema_version = 2

    prescription_id: uuid.UUID
    quantity: int


class OrganizationRegistered(EventPayload):
    """Read from the gateway, which is not in this document."""

    event_type = "gateway.organization.registered"

    id: uuid.UUID


PUBLISHED = {"registry": [PersonDied], "pharmacy": [Dispensed], "finance": []}
CONSUMED = {
    "pharmacy": [PersonDiedAsPharmacyReadsIt, OrganizationRegistered],
    "verification": [PersonDied],
    "registry": [Dispensed],
    "finance": [Dispensed, OrganizationRegistered],
}


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build_asyncapi(PUBLISHED, CONSUMED)


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        assert part in node, f"dangling $ref {ref}"
        node = node[part]
    return node


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_channels_by_routing_key_with_publishers_and_consumers(doc):
    assert doc["asyncapi"] == "3.0.0"
    assert sorted(doc["channels"]) == [
        "gateway.organization.registered",
        "pharmacy.prescription.dispensed",
        "registry.person.died",
    ]
    died = doc["channels"]["registry.person.died"]
    assert died["address"] == "registry.person.died"
    assert died["x-publishers"] == ["registry"]
    assert died["x-consumers"] == ["pharmacy", "verification"]
    assert died["bindings"]["amqp"]["exchange"] == {
        "name": "oms.events",
        "type": "topic",
        "durable": True,
        "autoDelete": False,
    }
    assert doc["channels"]["gateway.organization.registered"]["x-publishers"] == []
    ops = doc["operations"]
    assert ops["registry.send.registry.person.died"]["action"] == "send"
    assert ops["pharmacy.receive.registry.person.died"]["action"] == "receive"
    assert (
        ops["verification.receive.registry.person.died"]["x-queue"]["deadLetterQueue"] == "verification.dlq"
    )
    assert "finance.send.pharmacy.prescription.dispensed" not in ops


def test_message_is_the_envelope_with_the_payload_schema_as_data(doc):
    message = doc["components"]["messages"]["registry.person.died"]
    assert message["contentType"] == "application/json"
    assert message["summary"] == "A person's death was registered."
    envelope_ref, specific = message["payload"]["allOf"]
    envelope = _resolve(doc, envelope_ref["$ref"])
    assert {"id", "type", "source", "time", "data", "schema_version"} <= set(envelope["properties"])
    assert specific["properties"]["type"] == {"const": "registry.person.died"}
    data = _resolve(doc, specific["properties"]["data"]["$ref"])
    assert data["properties"]["person_id"]["format"] == "uuid"
    assert sorted(data["required"]) == ["cause", "person_id"]
    cause = _resolve(doc, data["properties"]["cause"]["$ref"])  # nested model hoisted and prefixed
    assert cause["enum"] == ["natural", "other"]
    dispensed = doc["components"]["messages"]["pharmacy.prescription.dispensed"]
    assert dispensed["x-schema-version"] == 2
    assert dispensed["payload"]["allOf"][1]["properties"]["schema_version"] == {"const": 2}


def test_each_reader_keeps_its_own_schema_and_unpublished_events_use_the_readers(doc):
    pharmacy = doc["operations"]["pharmacy.receive.registry.person.died"]
    reader = _resolve(doc, pharmacy["x-reader-schema"]["$ref"])
    assert sorted(reader["properties"]) == ["person_id"]  # a tolerant reader of PersonDied
    gateway_message = doc["components"]["messages"]["gateway.organization.registered"]
    data = _resolve(doc, gateway_message["payload"]["allOf"][1]["properties"]["data"]["$ref"])
    assert sorted(data["properties"]) == ["id"]


def test_every_reference_resolves_and_no_local_defs_remain(doc):
    refs = [node["$ref"] for node in _walk(doc) if "$ref" in node]
    assert refs
    for ref in refs:
        _resolve(doc, ref)
    assert not any("$defs" in node for node in _walk(doc))
    for section in ("schemas", "messages"):
        for key in doc["components"][section]:
            assert all(c.isalnum() or c in "._-" for c in key), key


def test_output_is_deterministic_whatever_the_input_order():
    first = json.dumps(build_asyncapi(PUBLISHED, CONSUMED))
    rng = random.Random(7)
    for _ in range(5):
        published = {k: rng.sample(v, len(v)) for k, v in rng.sample(list(PUBLISHED.items()), len(PUBLISHED))}
        consumed = {k: rng.sample(v, len(v)) for k, v in rng.sample(list(CONSUMED.items()), len(CONSUMED))}
        assert json.dumps(build_asyncapi(published, consumed)) == first


def test_keys_are_sorted_and_yaml_safe(doc):
    for node in _walk(doc):
        assert list(node) == sorted(node)
    assert yaml.safe_load(yaml.safe_dump(doc, sort_keys=True)) == doc


def test_one_event_type_has_one_publishing_model():
    class Impostor(EventPayload):
        event_type = "registry.person.died"

        whatever: int

    with pytest.raises(ValueError, match=r"registry\.person\.died"):
        build_asyncapi({"registry": [PersonDied], "finance": [Impostor]}, {})
    with pytest.raises(ValueError):
        build_asyncapi({"registry": [PersonDied, Impostor]}, {})
