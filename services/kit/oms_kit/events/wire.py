"""AMQP 0-9-1 frames of an event message, encoded by hand.

The relay publishes hundreds of events per pass; building each message's three frames
through pamqp's generic marshalling (a ``Basic.Properties`` object, per-field type
dispatch) cost more CPU than everything else the relay does. The frames of an event are
always the same shape, so they are packed here directly, and a whole batch goes to the
socket as one write. ``tests/events/test_wire.py`` decodes them with pamqp and compares
them with ``message_properties``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from oms_kit.events.envelope import EventEnvelope

FRAME_END = b"\xce"
_BASIC_PUBLISH = struct.pack(">HHH", 60, 40, 0)  # class, method, reserved (ticket)
_CONTENT_TYPE = b"\x10application/json"
_PERSISTENT = b"\x02"
# Property flags (AMQP 0-9-1, bit 15 first): content-type, headers, delivery-mode,
# message-id, timestamp, type, app-id.
_FLAGS = 0x8000 | 0x2000 | 0x1000 | 0x0080 | 0x0040 | 0x0020 | 0x0008
_SCHEMA_VERSION = b"\x0eschema_versionI"
_REQUEST_ID = b"\x0cx-request-idS"
_frame_head = struct.Struct(">BHI").pack
_header_head = struct.Struct(">HHQH").pack  # class 60, weight 0, body size, property flags
_u32 = struct.Struct(">I").pack
_i32 = struct.Struct(">i").pack
_u64 = struct.Struct(">Q").pack


@dataclass(frozen=True, slots=True)
class EncodedEvent:
    """What goes on the wire for one event: the envelope JSON as it is, and what its AMQP
    properties are made of (``EventEnvelope`` fields, or the outbox row's)."""

    id: str
    type: str
    body: bytes
    timestamp: int  # seconds since the epoch, as AMQP timestamps are
    schema_version: int
    request_id: str | None

    @classmethod
    def of(cls, envelope: EventEnvelope) -> EncodedEvent:
        return cls(
            str(envelope.id),
            envelope.type,
            envelope.model_dump_json().encode(),
            int(envelope.time.timestamp()),
            envelope.schema_version,
            envelope.request_id,
        )


def _shortstr(value: str) -> bytes:
    raw = value.encode()
    if len(raw) > 255:
        raise ValueError(f"longer than an AMQP short string: {value[:40]!r}…")
    return bytes((len(raw),)) + raw


class Framer:
    """Frames for one channel, exchange and app id: ``framer.message(event)`` is the
    ``Basic.Publish`` (persistent, ``mandatory``), content header and body frames."""

    def __init__(self, channel: int, exchange: str, app_id: str, max_body_frame: int) -> None:
        self.channel = channel
        self.max_body_frame = max_body_frame
        self._publish_prefix = _BASIC_PUBLISH + _shortstr(exchange)
        self._app_id = _shortstr(app_id)

    def message(self, event: EncodedEvent) -> bytes:
        channel = self.channel
        method = self._publish_prefix + _shortstr(event.type) + b"\x01"  # mandatory, not immediate
        headers = _SCHEMA_VERSION + _i32(event.schema_version)
        if event.request_id:
            request_id = event.request_id.encode()
            headers += _REQUEST_ID + _u32(len(request_id)) + request_id
        body = event.body
        properties = (
            _header_head(60, 0, len(body), _FLAGS)
            + _CONTENT_TYPE
            + _u32(len(headers))
            + headers
            + _PERSISTENT
            + _shortstr(event.id)
            + _u64(event.timestamp)
            + _shortstr(event.type)
            + self._app_id
        )
        parts = [
            _frame_head(1, channel, len(method)),
            method,
            FRAME_END,
            _frame_head(2, channel, len(properties)),
            properties,
            FRAME_END,
        ]
        step = self.max_body_frame
        for start in range(0, len(body), step):
            chunk = body[start : start + step]
            parts += (_frame_head(3, channel, len(chunk)), chunk, FRAME_END)
        return b"".join(parts)
