"""Errors are problem+json, name the bad field, and never leak internals."""

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

from oms_kit.errors import Conflict, install_problem_handlers
from oms_kit.observability import Metrics, RequestContext


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str
    count: int


def make_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    app.add_middleware(RequestContext, metrics=Metrics("test"))

    @app.post("/things")
    async def create(thing: Thing) -> Thing:
        return thing

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("SELECT secret FROM table -- internal detail")

    @app.get("/conflict")
    async def conflict() -> None:
        raise Conflict("Запись уже существует")

    return app


async def call(method: str, url: str, **kw) -> httpx.Response:
    transport = httpx.ASGITransport(app=make_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        return await c.request(method, url, **kw)


async def test_malformed_json_is_422_problem():
    r = await call("POST", "/things", content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["field"].startswith("body")


async def test_wrong_type_names_the_field():
    r = await call("POST", "/things", json={"name": "x", "count": "many"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.count"]


async def test_unknown_field_is_rejected_by_name():
    r = await call("POST", "/things", json={"name": "x", "count": 1, "admin": True})
    assert r.status_code == 422
    assert "body.admin" in r.json()["detail"]


async def test_domain_error_has_its_status_and_type():
    r = await call("GET", "/conflict")
    assert r.status_code == 409
    body = r.json()
    assert body["type"] == "urn:oms:problem:conflict"
    assert body["detail"] == "Запись уже существует"


async def test_unexpected_error_hides_internals_but_keeps_request_id():
    r = await call("GET", "/boom", headers={"X-Request-ID": "abc-123"})
    assert r.status_code == 500
    assert "SELECT" not in r.text and "RuntimeError" not in r.text
    assert r.json()["request_id"] == "abc-123"
    assert r.headers["X-Request-ID"] == "abc-123"


async def test_request_id_is_echoed_or_replaced_and_metrics_use_the_route():
    metrics = Metrics("test")
    app = FastAPI()
    app.add_middleware(RequestContext, metrics=metrics)

    @app.get("/items/{item_id}")
    async def item(item_id: int) -> dict[str, int]:
        return {"id": item_id}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        kept = await c.get("/items/1", headers={"X-Request-ID": "abc-123"})
        replaced = await c.get("/items/2", headers={"X-Request-ID": "bad id\r\nx: y"})
    assert kept.headers["X-Request-ID"] == "abc-123"
    assert len(replaced.headers["X-Request-ID"]) == 32
    assert replaced.headers.get_list("X-Request-ID") == [replaced.headers["X-Request-ID"]]
    count = metrics.registry.get_sample_value(
        "http_requests_total",
        {"service": "test", "method": "GET", "route": "/items/{item_id}", "status": "200"},
    )
    assert count == 2
