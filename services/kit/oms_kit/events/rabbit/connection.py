"""The bus's connection and the topology it declares (names and arguments come from
``oms_kit.events.topology``, which ``deploy/`` definitions match)."""

from __future__ import annotations

from collections.abc import Sequence

import aio_pika
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection, AbstractRobustExchange

from oms_kit.events.topology import (
    ArchivePolicy,
    archive_name,
    consumer_queue_arguments,
    dead_letter_queue_arguments,
    dlq_name,
    dlx_name,
    exchange_arguments,
    unrouted_name,
)


async def connect(url: str, *, service: str, reconnect_interval: float) -> AbstractRobustConnection:
    """A robust connection: aio-pika reconnects it, and redeclares what its channels declared."""
    return await aio_pika.connect_robust(
        url,
        reconnect_interval=reconnect_interval,
        client_properties={"connection_name": f"{service} events"},
    )


async def declare_exchanges(
    channel: AbstractRobustChannel, exchange: str, *, archive: ArchivePolicy | None
) -> AbstractRobustExchange:
    """The topic exchange events are published to (returned), its dead-letter exchange and,
    with an ``archive`` policy, the alternate exchange and archive queue of unrouted events."""
    if archive is not None:  # first, so the main exchange's alternate exists
        unrouted = await channel.declare_exchange(
            unrouted_name(exchange), aio_pika.ExchangeType.FANOUT, durable=True
        )
        archived = await channel.declare_queue(
            archive_name(exchange), durable=True, arguments=archive.arguments()
        )
        await archived.bind(unrouted)
    declared = await channel.declare_exchange(
        exchange,
        aio_pika.ExchangeType.TOPIC,
        durable=True,
        arguments=exchange_arguments(exchange, archive=archive is not None),
    )
    await channel.declare_exchange(dlx_name(exchange), aio_pika.ExchangeType.DIRECT, durable=True)
    return declared


async def declare_consumer_queue(
    channel: AbstractRobustChannel,
    exchange: str,
    queue: str,
    routing_keys: Sequence[str],
    *,
    delivery_limit: int,
) -> None:
    """A consuming service's quorum queue bound to its routing keys, and its dead-letter
    queue bound to the exchange's dead-letter exchange."""
    dead_letters = await channel.declare_queue(
        dlq_name(queue), durable=True, arguments=dead_letter_queue_arguments()
    )
    await dead_letters.bind(dlx_name(exchange), routing_key=queue)
    consumer_queue = await channel.declare_queue(
        queue,
        durable=True,
        arguments=consumer_queue_arguments(exchange, queue, delivery_limit=delivery_limit),
    )
    for key in routing_keys:
        await consumer_queue.bind(exchange, routing_key=key)
