"""The hand-packed AMQP frames of an event decode, with pamqp, to what aio-pika would send."""

from datetime import UTC, datetime

import pamqp.frame
from pamqp import commands, header
from pamqp.body import ContentBody

from oms_kit.events import EventEnvelope
from oms_kit.events.rabbit import message_properties
from oms_kit.events.wire import EncodedEvent, Framer


def _frames(data: bytes) -> list[tuple[int, object]]:
    frames = []
    while data:
        consumed, channel, frame = pamqp.frame.unmarshal(data)
        frames.append((channel, frame))
        data = data[consumed:]
    return frames


def test_frames_carry_the_same_properties_as_message_properties():
    envelope = EventEnvelope(
        type="registry.person.died",
        source="registry",
        data={"x": "é" * 10},
        request_id="req-7",
        time=datetime(2026, 11, 23, 20, 1, 2, 345678, tzinfo=UTC),
    )
    framer = Framer(channel=3, exchange="oms.events", app_id="registry", max_body_frame=131_064)
    [(c1, publish), (c2, content), (c3, body)] = _frames(framer.message(EncodedEvent.of(envelope)))
    assert c1 == c2 == c3 == 3
    assert isinstance(publish, commands.Basic.Publish)
    assert (publish.exchange, publish.routing_key, publish.mandatory, publish.immediate) == (
        "oms.events",
        "registry.person.died",
        True,
        False,
    )
    assert isinstance(content, header.ContentHeader) and isinstance(body, ContentBody)
    expected = message_properties(envelope, app_id="registry")
    got = content.properties
    for name in ("content_type", "delivery_mode", "message_id", "message_type", "headers", "app_id"):
        assert getattr(got, name) == getattr(expected, name), name
    assert got.timestamp == envelope.time.replace(microsecond=0)
    assert content.body_size == len(body.value)
    assert EventEnvelope.model_validate_json(body.value) == envelope


def test_a_large_body_is_split_into_frames_and_no_request_id_means_no_header():
    envelope = EventEnvelope(type="a.b.c", source="x", data={"blob": "y" * 1000})
    framer = Framer(channel=1, exchange="ex", app_id="app", max_body_frame=100)
    frames = _frames(framer.message(EncodedEvent.of(envelope)))
    content = frames[1][1]
    bodies = [f for _, f in frames[2:]]
    assert all(isinstance(b, ContentBody) and len(b.value) <= 100 for b in bodies)
    assert b"".join(b.value for b in bodies) == envelope.model_dump_json().encode()
    assert content.body_size == len(envelope.model_dump_json().encode())
    assert content.properties.headers == {"schema_version": 1}
