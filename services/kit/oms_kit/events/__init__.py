"""Events: envelope, transactional outbox, idempotent inbox, RabbitMQ and in-process transports."""

from oms_kit.events.bus import Delivery, EventBus, PublishFailed
from oms_kit.events.envelope import EventEnvelope, EventPayload
from oms_kit.events.handlers import EventHandlers
from oms_kit.events.outbox import add_event, add_events

__all__ = [
    "Delivery",
    "EventBus",
    "EventEnvelope",
    "EventHandlers",
    "EventPayload",
    "PublishFailed",
    "add_event",
    "add_events",
]
