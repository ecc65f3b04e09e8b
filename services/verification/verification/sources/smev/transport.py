"""The port to SMEV: what a production SMEV 3 client implements (``SendRequest`` of a signed
request message; ``GetResponse`` pulling the answers queued for us; ``Ack`` of a received
answer). The queue (``smev.queue``) only talks to this interface; the simulator
(``smev.simulator``) implements it without a network for the demo and the tests."""

from __future__ import annotations

import uuid
from typing import Protocol


class TransportError(Exception):
    """A send that did not go through (network, SMEV refused the message for now): the request
    stays queued and is retried with backoff."""


class SmevTransport(Protocol):
    async def send(self, source: str, message_id: uuid.UUID, payload: bytes) -> None:
        """Hand one request message to SMEV; raises ``TransportError`` when it was not accepted.
        Sending the same ``message_id`` again must be harmless (SMEV keys messages by it)."""
        ...

    async def receive(self, source: str, limit: int) -> list[bytes]:
        """Up to ``limit`` response messages of ``source`` waiting for us (each names the request
        it answers); the same response may come again until it is acknowledged."""
        ...

    async def acknowledge(self, source: str, message_id: uuid.UUID) -> None:
        """Tell SMEV the response ``message_id`` was received and stored."""
        ...
