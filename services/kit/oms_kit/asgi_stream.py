"""``StreamingASGITransport``: httpx to an in-process ASGI app, streaming both ways.

``httpx.ASGITransport`` runs the app to the end and collects the whole response body before
it returns: a server-sent event stream arrives only once it is over, and a 1 GiB download is
held in memory. This transport runs the app in a task and returns the response as soon as
``http.response.start`` arrives; body chunks follow through a bounded queue (a slow reader
slows the app down instead of filling memory). The request body is passed in chunk by chunk.
Closing the response before its end tells the app ``http.disconnect`` and cancels it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
from starlette.types import ASGIApp, Message

log = logging.getLogger("oms.asgi")
_END = object()


class _ResponseBody(httpx.AsyncByteStream):
    def __init__(
        self,
        task: asyncio.Task[None],
        queue: asyncio.Queue[object],
        disconnected: asyncio.Event,
        raise_app_exceptions: bool,
        grace: float,
    ) -> None:
        self._task = task
        self._grace = grace
        self._queue = queue
        self._disconnected = disconnected
        self._raise = raise_app_exceptions
        self._complete = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while not self._complete:
            if self._queue.empty() and self._task.done():
                self._app_ended_early()
            getting = asyncio.ensure_future(self._queue.get())
            try:
                await asyncio.wait({getting, self._task}, return_when=asyncio.FIRST_COMPLETED)
            finally:
                if not getting.done():
                    getting.cancel()
            if not getting.done() or getting.cancelled():
                continue  # the app ended: anything it queued is taken above, then its error
            item = getting.result()
            if item is _END:
                self._complete = True
                return
            assert isinstance(item, bytes)
            yield item

    def _app_ended_early(self) -> None:
        """The app is done, without the final body message."""
        self._complete = True
        if self._task.cancelled():
            raise httpx.ReadError("the ASGI app was cancelled in the middle of its response")
        error = self._task.exception()
        if error is not None and self._raise:
            raise error
        raise httpx.ReadError("the ASGI app ended in the middle of its response")

    async def aclose(self) -> None:
        if self._complete:
            # Read to the end: let the app finish (background tasks after the response). The
            # response is delivered by now, so a late failure is only noted: Starlette re-raises
            # an error it has already answered with a 500 (and the app has logged it).
            try:
                await asyncio.shield(self._task)
            except Exception as exc:
                log.warning("the ASGI app raised after its response: %r", exc)
            return
        # Closed before the end: the app hears ``http.disconnect`` and gets a moment to stop
        # by itself (Starlette's streaming responses do), then it is cancelled.
        self._disconnected.set()
        while not self._queue.empty():  # unblock an app waiting for room in the queue
            self._queue.get_nowait()
        try:
            await asyncio.wait({self._task}, timeout=self._grace)
        finally:
            if not self._task.done():
                self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task


class StreamingASGITransport(httpx.AsyncBaseTransport):
    """Like ``httpx.ASGITransport(app=...)`` (same scope), but streaming; see the module
    docstring. ``buffer_chunks`` bounds how many body chunks wait for the reader;
    ``disconnect_grace`` is how long an app told ``http.disconnect`` may take to stop before
    it is cancelled."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        raise_app_exceptions: bool = True,
        root_path: str = "",
        client: tuple[str, int] = ("127.0.0.1", 123),
        buffer_chunks: int = 8,
        disconnect_grace: float = 1.0,
    ) -> None:
        self.app = app
        self.raise_app_exceptions = raise_app_exceptions
        self.root_path = root_path
        self.client = client
        self.buffer_chunks = buffer_chunks
        self.disconnect_grace = disconnect_grace

    def _scope(self, request: httpx.Request) -> dict[str, Any]:
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for (k, v) in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": self.client,
            "root_path": self.root_path,
        }

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        assert isinstance(request.stream, httpx.AsyncByteStream)
        body_chunks = request.stream.__aiter__()
        request_complete = False
        disconnected = asyncio.Event()
        started: asyncio.Future[tuple[int, list[tuple[bytes, bytes]]]] = (
            asyncio.get_running_loop().create_future()
        )
        queue: asyncio.Queue[object] = asyncio.Queue(maxsize=self.buffer_chunks)
        head_request = request.method == "HEAD"

        async def receive() -> Message:
            nonlocal request_complete
            if request_complete or disconnected.is_set():
                await disconnected.wait()
                return {"type": "http.disconnect"}
            try:
                chunk = await body_chunks.__anext__()
            except StopAsyncIteration:
                request_complete = True
                return {"type": "http.request", "body": b"", "more_body": False}
            return {"type": "http.request", "body": bytes(chunk), "more_body": True}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                if not started.done():
                    started.set_result((message["status"], list(message.get("headers", []))))
            elif message["type"] == "http.response.body":
                if disconnected.is_set():
                    return  # the reader went away: nobody wants the rest
                body = message.get("body", b"")
                if body and not head_request:
                    await queue.put(bytes(body))
                if not message.get("more_body", False):
                    await queue.put(_END)
                    disconnected.set()  # the exchange is over, as ASGITransport says after it

        async def run() -> None:
            await self.app(self._scope(request), receive, send)

        task = asyncio.create_task(run(), name=f"asgi {request.method} {request.url.path}")
        try:
            waiting: set[asyncio.Future[Any]] = {started, task}
            await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
        except asyncio.CancelledError:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
            raise
        if not started.done():
            return self._no_response(task)
        status, headers = started.result()
        body = _ResponseBody(task, queue, disconnected, self.raise_app_exceptions, self.disconnect_grace)
        return httpx.Response(status, headers=headers, stream=body)

    def _no_response(self, task: asyncio.Task[None]) -> httpx.Response:
        """The app ended before starting a response."""
        error = None if task.cancelled() else task.exception()
        if self.raise_app_exceptions:
            if error is not None:
                raise error
            raise RuntimeError("the ASGI app returned without sending a response")
        return httpx.Response(500, headers=[], stream=httpx.ByteStream(b""))
