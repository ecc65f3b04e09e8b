"""``StreamingASGITransport``: responses arrive as the app sends them, request bodies as the
client produces them, an early close reaches the app, and the app's errors reach the caller."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import StreamingResponse

from oms_kit.asgi_stream import StreamingASGITransport
from oms_kit.errors import install_problem_handlers


def client_for(app: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=StreamingASGITransport(app), base_url="http://app")


async def test_a_response_streams_before_the_app_has_finished() -> None:
    app = FastAPI()
    release = asyncio.Event()
    finished = asyncio.Event()

    @app.get("/events")
    async def events() -> StreamingResponse:
        async def frames() -> AsyncIterator[str]:
            yield "event: job\ndata: 1\n\n"
            await release.wait()
            yield "event: job\ndata: 2\n\n"
            finished.set()

        return StreamingResponse(
            frames(), media_type="text/event-stream", headers={"X-Accel-Buffering": "no"}
        )

    async with client_for(app) as client, client.stream("GET", "/events") as r:
        assert r.status_code == 200 and r.headers["x-accel-buffering"] == "no"
        chunks = r.aiter_raw()
        first = await asyncio.wait_for(chunks.__anext__(), 5)
        assert first == b"event: job\ndata: 1\n\n"
        assert not finished.is_set()  # the app is still waiting, yet the first event is here
        release.set()
        rest = b"".join([chunk async for chunk in chunks])
    assert rest == b"event: job\ndata: 2\n\n" and finished.is_set()


async def test_closing_the_response_early_disconnects_and_stops_the_app() -> None:
    app = FastAPI()
    sent: list[int] = []
    stopped = asyncio.Event()

    @app.get("/endless")
    async def endless() -> StreamingResponse:
        async def forever() -> AsyncIterator[bytes]:
            try:
                while True:
                    sent.append(len(sent))
                    yield b"x" * 1024
                    await asyncio.sleep(0)
            finally:
                stopped.set()

        return StreamingResponse(forever())

    async with client_for(app) as client:
        async with client.stream("GET", "/endless") as r:
            got = 0
            async for chunk in r.aiter_raw():
                got += len(chunk)
                if got >= 4096:
                    break
        await asyncio.wait_for(stopped.wait(), 5)
    produced = len(sent)
    await asyncio.sleep(0.05)
    assert len(sent) == produced  # nothing runs any more
    assert produced < 100  # the bounded queue held the app back while nobody read


async def test_a_raw_app_sees_http_disconnect_when_the_reader_leaves() -> None:
    seen: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"first", "more_body": True})
        while True:
            message = await receive()
            seen.append(message["type"])
            if message["type"] == "http.disconnect":
                return

    transport = StreamingASGITransport(app)
    response = await transport.handle_async_request(httpx.Request("GET", "http://app/"))
    body = response.stream
    assert isinstance(body, httpx.AsyncByteStream)
    async for chunk in body:
        assert chunk == b"first"
        break
    await body.aclose()
    assert seen[-1] == "http.disconnect"


async def test_the_request_body_reaches_the_app_while_the_client_is_still_sending() -> None:
    app = FastAPI()
    first_chunk_arrived = asyncio.Event()

    @app.post("/upload")
    async def upload(request: Request) -> dict[str, Any]:
        sizes = []
        async for chunk in request.stream():
            if chunk:
                sizes.append(len(chunk))
                first_chunk_arrived.set()
        return {"sizes": sizes}

    async def body() -> AsyncIterator[bytes]:
        yield b"a" * 1000
        # Had the transport collected the whole body first, this would never be set.
        await asyncio.wait_for(first_chunk_arrived.wait(), 5)
        yield b"b" * 500

    async with client_for(app) as client:
        r = await client.post("/upload", content=body())
    assert r.status_code == 200 and r.json() == {"sizes": [1000, 500]}


async def test_an_error_before_the_response_starts_is_raised() -> None:
    async def broken(scope: Any, receive: Any, send: Any) -> None:
        raise LookupError("no such register")

    async with client_for(broken) as client:
        with pytest.raises(LookupError, match="no such register"):
            await client.get("/")

    async def silent(scope: Any, receive: Any, send: Any) -> None:
        return None

    async with client_for(silent) as client:
        with pytest.raises(RuntimeError, match="without sending a response"):
            await client.get("/")


async def test_an_error_in_the_middle_of_the_body_reaches_the_reader() -> None:
    async def half(scope: Any, receive: Any, send: Any) -> None:
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]}
        )
        await send({"type": "http.response.body", "body": b"a;b\n", "more_body": True})
        raise ValueError("the disk went away")

    async with client_for(half) as client, client.stream("GET", "/") as r:
        assert r.status_code == 200
        with pytest.raises(ValueError, match="the disk went away"):
            await r.aread()


async def test_json_endpoints_and_head_requests_work_as_with_asgi_transport() -> None:
    app = FastAPI()

    @app.get("/thing")
    async def thing(q: str) -> dict[str, str]:
        return {"name": "Поликлиника № 7", "q": q}

    async with client_for(app) as client:
        r = await client.get("/thing", params={"q": "a b"})
        assert r.status_code == 200 and r.json() == {"name": "Поликлиника № 7", "q": "a b"}
        assert (await client.get("/nothing")).status_code == 404

    async def with_body(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]})
        await send({"type": "http.response.body", "body": b"body"})

    async with client_for(with_body) as client:
        head = await client.head("/")
        assert head.status_code == 200 and head.content == b""
        assert (await client.get("/")).content == b"body"


async def test_an_unhandled_error_is_the_apps_own_500_answer() -> None:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/broken")
    async def broken() -> None:
        raise RuntimeError("internal detail")

    async with client_for(app) as client:
        r = await client.get("/broken")
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert "internal detail" not in r.text
