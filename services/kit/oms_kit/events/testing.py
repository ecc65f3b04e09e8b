"""Test support for events against the real broker: a TCP proxy to cut RabbitMQ off and
bring it back, polling until something is true, removing a test's broker topology.

Nothing here is used in production code paths."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import Awaitable, Callable, Iterable

import aio_pika
from aio_pika.connection import make_url

from oms_kit.events.topology import archive_name, dlq_name, dlx_name, unrouted_name


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 10.0, every: float = 0.05, what: str = ""
) -> None:
    """Poll ``check`` until it returns true; ``AssertionError`` after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {within}s: {what or check}")
        await asyncio.sleep(every)


async def delete_topology(url: str, *, exchange: str, queues: Iterable[str] = ()) -> None:
    """Delete ``exchange`` with its DLX, alternate exchange and archive queue, and each
    queue with its DLQ.
    Deleting what does not exist is not an error."""
    connection = await aio_pika.connect(url)
    async with connection:
        for queue in [archive_name(exchange)] + [q for name in queues for q in (name, dlq_name(name))]:
            async with connection.channel() as channel:
                await channel.queue_delete(queue)
        for name in (exchange, dlx_name(exchange), unrouted_name(exchange)):
            async with connection.channel() as channel:
                await channel.exchange_delete(name)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class TcpProxy:
    """``127.0.0.1:<port>`` forwarding to ``target``. ``cut()`` drops every open connection
    and refuses new ones (the listening socket is closed, so connects get ECONNREFUSED);
    ``restore()`` listens again on the same port. Use ``url_for`` to point a client at it."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._server: asyncio.Server | None = None
        self._links: set[tuple[asyncio.StreamWriter, asyncio.StreamWriter]] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def for_url(cls, url: str) -> TcpProxy:
        parsed = make_url(url)
        return cls(parsed.host or "127.0.0.1", parsed.port or 5672)

    def url_for(self, url: str) -> str:
        return str(make_url(url).with_host("127.0.0.1").with_port(self.port))

    @property
    def listening(self) -> bool:
        return self._server is not None

    @property
    def connections(self) -> int:
        return len(self._links)

    async def start(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )

    async def restore(self) -> None:
        await self.start()

    async def cut(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for link in list(self._links):
            for writer in link:
                writer.transport.abort()

    async def close(self) -> None:
        await self.cut()
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _accept(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            try:
                broker_r, broker_w = await asyncio.open_connection(*self.target)
            except OSError:
                client_w.transport.abort()
                return
            link = (client_w, broker_w)
            self._links.add(link)
            pumps = [
                asyncio.create_task(self._pump(client_r, broker_w)),
                asyncio.create_task(self._pump(broker_r, client_w)),
            ]
            try:
                await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for writer in link:
                    writer.transport.abort()
                self._links.discard(link)
                for pump in pumps:
                    pump.cancel()
                await asyncio.gather(*pumps, return_exceptions=True)
        finally:
            if task is not None:
                self._tasks.discard(task)

    @staticmethod
    async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
