"""The RabbitMQ topology of the event bus: names and queue arguments, in one place so the
bus, the tests and the deployment definitions (``deploy/``) agree.

```
<exchange>            topic, durable      every event, routing key = event type;
                                          alternate-exchange = <exchange>.unrouted
<exchange>.unrouted   fanout, durable     what no queue of <exchange> takes
<exchange>.archive    classic, durable    bound to <exchange>.unrouted, capped by length and age
<exchange>.dlx        direct, durable     dead letters, routing key = the consuming queue
<queue>               quorum, durable     one per consuming service, bound per routing key
<queue>.dlq           quorum, durable     bound to <exchange>.dlx with key <queue>
```
Every service declares the exchange with the same arguments (``exchange_arguments``);
RabbitMQ refuses a redeclaration that differs, so ``deploy/`` definitions must match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ARCHIVE_MAX_LENGTH = 100_000
ARCHIVE_TTL_MS = 7 * 24 * 3600 * 1000


def dlx_name(exchange: str) -> str:
    return f"{exchange}.dlx"


def dlq_name(queue: str) -> str:
    return f"{queue}.dlq"


def archive_name(exchange: str) -> str:
    return f"{exchange}.archive"


def unrouted_name(exchange: str) -> str:
    return f"{exchange}.unrouted"


def exchange_arguments(exchange: str, *, archive: bool) -> dict[str, Any]:
    return {"alternate-exchange": unrouted_name(exchange)} if archive else {}


def consumer_queue_arguments(exchange: str, queue: str, *, delivery_limit: int) -> dict[str, Any]:
    """A quorum queue counts every unsuccessful delivery (``x-delivery-count``) and, once a
    message has been returned more than ``delivery_limit`` times, dead-letters it to
    ``<exchange>.dlx`` under the queue's own name, so each service's poison messages land
    in its own ``<queue>.dlq``. ``at-least-once`` dead-lettering keeps the message in the
    source queue until the DLQ has confirmed it (it requires ``x-overflow: reject-publish``,
    harmless here because the queue has no length limit)."""
    return {
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": dlx_name(exchange),
        "x-dead-letter-routing-key": queue,
        "x-dead-letter-strategy": "at-least-once",
        "x-overflow": "reject-publish",
    }


def dead_letter_queue_arguments() -> dict[str, Any]:
    return {"x-queue-type": "quorum"}


@dataclass(frozen=True)
class ArchivePolicy:
    """Why an archive queue exists: the bus publishes with ``mandatory=True`` so that a
    message no queue takes is returned and the relay keeps it in the outbox instead of the
    broker dropping it silently. But an event that no service consumes *yet* (a producer
    deployed before its consumers, or an event nobody needs any more) would then stay
    unsent forever and be retried on every relay pass.

    So the exchange has an *alternate exchange*: whatever none of its queues takes goes to
    ``<exchange>.unrouted`` and into the ``<exchange>.archive`` queue, is confirmed, and
    leaves the outbox. The archive is capped (``x-max-length``, oldest dropped first, and
    ``x-message-ttl``) so it cannot grow without bound; operators can read from it what
    was published before its consumer existed.

    Not a queue bound with ``#``: that would store *every* event a second time, which
    measured at about twice the broker's CPU per event (see docs/benchmarks.md), while every
    sent event is kept in its producer's outbox table anyway. ``archive=False`` leaves the
    exchange without an alternate, so an unroutable event fails the publish (tests prove
    the unroutable case that way)."""

    max_length: int = ARCHIVE_MAX_LENGTH
    ttl_ms: int = ARCHIVE_TTL_MS

    def arguments(self) -> dict[str, Any]:
        return {
            "x-queue-type": "classic",
            "x-max-length": self.max_length,
            "x-message-ttl": self.ttl_ms,
            "x-overflow": "drop-head",
        }
