"""The event contracts as an AsyncAPI 3.0 document (``contracts/asyncapi.yaml``).

- one channel per routing key (= event type) on the topic exchange, with the services that
  publish it (``x-publishers``) and consume it (``x-consumers``);
- one message per event type: the envelope's JSON schema with ``type`` fixed to the event
  type and ``data`` the payload's schema (pydantic ``model_json_schema``, serialization
  mode: what the producer puts on the wire). When no service publishes an event, the
  consumers' model stands in for it;
- per service, a ``send`` operation for what it publishes and a ``receive`` operation for
  what it consumes; a receive operation carries the consumer's own reader model
  (``x-reader-schema``, validation mode), so a contract test can check that what is sent
  satisfies every reader.

Output is deterministic: every mapping has its keys sorted, lists are sorted where order
carries no meaning, and nothing depends on time or on the order of the arguments."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from oms_kit.events.envelope import EventEnvelope, EventPayload

ASYNCAPI_VERSION = "3.0.0"
SCHEMAS = "#/components/schemas/"
_NOT_ID = re.compile(r"[^\w.\-]")

Mode = Literal["validation", "serialization"]


def _id(*parts: str) -> str:
    """A component / operation key: AsyncAPI allows ``[A-Za-z0-9_.-]`` only."""
    return _NOT_ID.sub("_", ".".join(parts))


def _model_schema(
    model: type[EventPayload], name: str, mode: Mode, schemas: dict[str, Any]
) -> dict[str, Any]:
    """Put ``model``'s schema (and its nested definitions, prefixed with ``name`` so that
    two services' ``Kind`` enums never collide) into ``schemas``; return a ``$ref`` to it."""
    schema = model.model_json_schema(mode=mode, ref_template=f"{SCHEMAS}{name}.{{model}}")
    for def_name, definition in schema.pop("$defs", {}).items():
        schemas[f"{name}.{def_name}"] = definition
    schemas[name] = schema
    return {"$ref": f"{SCHEMAS}{name}"}


def _envelope_schema() -> dict[str, Any]:
    schema = EventEnvelope.model_json_schema(mode="serialization")
    schema.pop("$defs", None)
    schema["description"] = (
        "CloudEvents-like envelope of every event: the AMQP body (application/json). "
        "message_id = id, type = routing key = event type, header x-request-id = request_id."
    )
    return schema


def _message_payload(event_type: str, version: int, data_ref: dict[str, Any]) -> dict[str, Any]:
    return {
        "allOf": [
            {"$ref": f"{SCHEMAS}EventEnvelope"},
            {
                "type": "object",
                "properties": {
                    "type": {"const": event_type},
                    "schema_version": {"const": version},
                    "data": data_ref,
                },
            },
        ]
    }


def _by_type(models: Sequence[type[EventPayload]], service: str) -> dict[str, type[EventPayload]]:
    found: dict[str, type[EventPayload]] = {}
    for model in models:
        event_type = model.event_type
        if event_type in found and found[event_type] is not model:
            raise ValueError(f"{service}: two payload models for {event_type!r}")
        found[event_type] = model
    return found


def build_asyncapi(
    published: Mapping[str, Sequence[type[EventPayload]]],
    consumed: Mapping[str, Sequence[type[EventPayload]]],
    *,
    exchange: str = "oms.events",
    title: str = "OMS Region events",
    version: str = "1.0.0",
) -> dict[str, Any]:
    """``published`` / ``consumed``: service name → the payload models it publishes /
    handles. Raises ``ValueError`` when two services publish one event type with
    different models or schema versions (one event type has one owner)."""
    publishers: dict[str, dict[str, type[EventPayload]]] = {
        service: _by_type(models, service) for service, models in published.items()
    }
    readers: dict[str, dict[str, type[EventPayload]]] = {
        service: _by_type(models, service) for service, models in consumed.items()
    }
    schemas: dict[str, Any] = {"EventEnvelope": _envelope_schema()}
    messages: dict[str, Any] = {}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}

    event_types = sorted({t for by_type in (*publishers.values(), *readers.values()) for t in by_type})
    for event_type in event_types:
        senders = sorted(s for s, by_type in publishers.items() if event_type in by_type)
        receivers = sorted(s for s, by_type in readers.items() if event_type in by_type)
        owner_models = {publishers[s][event_type] for s in senders}
        if len(owner_models) > 1:
            raise ValueError(f"{event_type!r} is published by {senders} with different models")
        canonical = next(iter(owner_models)) if owner_models else readers[receivers[0]][event_type]
        key = _id(event_type)
        data_ref = _model_schema(
            canonical, _id(event_type, f"v{canonical.schema_version}"), "serialization", schemas
        )
        messages[key] = {
            "name": event_type,
            "title": event_type,
            "contentType": "application/json",
            "payload": _message_payload(event_type, canonical.schema_version, data_ref),
            "bindings": {"amqp": {"messageType": event_type, "bindingVersion": "0.3.0"}},
            "x-schema-version": canonical.schema_version,
            **({"summary": summary} if (summary := _summary(canonical)) else {}),
        }
        channels[key] = {
            "address": event_type,
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
            "bindings": {
                "amqp": {
                    "is": "routingKey",
                    "exchange": {"name": exchange, "type": "topic", "durable": True, "autoDelete": False},
                    "bindingVersion": "0.3.0",
                }
            },
            "x-publishers": senders,
            "x-consumers": receivers,
        }
        message_ref = [{"$ref": f"#/channels/{key}/messages/{key}"}]
        for service in senders:
            operations[_id(service, "send", event_type)] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{key}"},
                "messages": message_ref,
                "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": "0.3.0"}},
                "x-service": service,
            }
        for service in receivers:
            reader = readers[service][event_type]
            reader_ref = _model_schema(
                reader, _id(service, "reads", event_type, f"v{reader.schema_version}"), "validation", schemas
            )
            operations[_id(service, "receive", event_type)] = {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{key}"},
                "messages": message_ref,
                "bindings": {"amqp": {"ack": True, "bindingVersion": "0.3.0"}},
                "x-service": service,
                "x-queue": {"name": service, "type": "quorum", "deadLetterQueue": f"{service}.dlq"},
                "x-reader-schema": reader_ref,
            }

    document = {
        "asyncapi": ASYNCAPI_VERSION,
        "info": {
            "title": title,
            "version": version,
            "description": (
                f"Events between the OMS Region services on the RabbitMQ topic exchange {exchange!r}: "
                "routing key = event type <service>.<aggregate>.<event>. Published through a "
                "transactional outbox with publisher confirms; consumed idempotently (inbox) from "
                "one durable quorum queue per consuming service, with a delivery limit and a "
                "dead-letter queue."
            ),
        },
        "defaultContentType": "application/json",
        "servers": {
            "rabbitmq": {
                "host": "rabbitmq:5672",
                "protocol": "amqp",
                "protocolVersion": "0.9.1",
                "description": "OMS_BROKER_URL; absent, the embedded shape uses the in-process bus.",
            }
        },
        "channels": channels,
        "operations": operations,
        "components": {"schemas": schemas, "messages": messages},
    }
    sorted_document: dict[str, Any] = _sorted(document)
    return sorted_document


def _summary(model: type[EventPayload]) -> str:
    doc = (model.__doc__ or "").strip()
    return doc.splitlines()[0] if doc else ""


def _sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _sorted(value[k]) for k in sorted(value)}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value
