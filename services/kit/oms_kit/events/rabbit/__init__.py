"""RabbitMQ transport (the distributed shape), on aio-pika's robust connection.

Guarantees, matching ``EventBus``:

- ``publish`` returns only after the broker's publisher confirm. A nack, an unroutable
  return (``mandatory=True``), a lost connection or a confirm that does not come within
  ``publish_timeout`` raise ``PublishFailed``; the relay then leaves the outbox row unsent.
  A lost confirm does not mean the broker lost the message, so a retry may duplicate it;
  consumers' inboxes absorb duplicates.
- Messages are persistent (aio-pika's default is not), published to a durable topic
  exchange with the event type as routing key and the envelope JSON as body.
- ``subscribe`` consumes one durable quorum queue per consuming service with manual acks
  and a bounded prefetch; handlers run concurrently (up to the prefetch). A handler that
  raises gets its message ``nack``-ed with requeue, so the quorum queue counts the
  delivery (``x-delivery-count``, surfaced as ``Delivery.attempt``) and dead-letters it to
  ``<queue>.dlq`` once it has been returned more than ``delivery_limit`` times. aio-pika's
  ``message.process()`` is deliberately not used: it rejects *without* requeue.
- For CPU per event (docs/benchmarks.md, "Events"): the relay's batches go out as one
  write of hand-packed frames (``wire``) with confirms tracked on aiormq's channel, and the
  consumer runs on aiormq's channel directly, acknowledging settled deliveries together
  (``Acker``: ``multiple=True``); connection, channel and topology stay aio-pika's robust ones.

The modules:

- ``bus`` — ``RabbitBus``: lifecycle, the publishing channel, subscriptions;
- ``connection`` — the robust connection and the declarations of the topology
  (names and arguments: ``oms_kit.events.topology``, also for the archive queue decision);
- ``publisher`` — a batch of events as one write, its publisher confirms; AMQP properties;
- ``consumer`` — a subscription's consumer on aiormq's channel and its coalesced acks.
"""

from oms_kit.events.rabbit.bus import RabbitBus
from oms_kit.events.rabbit.consumer import DELIVERY_COUNT_HEADER, delivery_attempt
from oms_kit.events.rabbit.publisher import REQUEST_ID_HEADER, message_properties

__all__ = [
    "DELIVERY_COUNT_HEADER",
    "REQUEST_ID_HEADER",
    "RabbitBus",
    "delivery_attempt",
    "message_properties",
]
