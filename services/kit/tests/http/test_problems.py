"""Errors are problem+json, name the bad field, and never leak internals."""

from typing import Literal

import httpx
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, field_validator

from oms_kit.errors import Conflict, install_problem_handlers
from oms_kit.observability import Metrics, RequestContext


class Thing(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=2)
    count: int
    kind: Literal["a", "b"] = "a"

    @field_validator("name")
    @classmethod
    def not_reserved(cls, value: str) -> str:
        if value == "admin":
            raise ValueError("Имя admin зарезервировано")
        return value


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

    @app.get("/taken")
    async def taken() -> None:
        raise Conflict("Логин уже занят", field="body.login")

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
    r = await call("POST", "/things", json={"name": "xy", "count": "many"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body.count"]


async def test_unknown_field_is_rejected_by_name():
    r = await call("POST", "/things", json={"name": "xy", "count": 1, "admin": True})
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


async def test_field_messages_are_russian_and_keep_the_type():
    r = await call("POST", "/things", json={"name": "x", "kind": "c"})
    errors = {e["field"]: e for e in r.json()["errors"]}
    assert errors["body.name"]["message"] == "Не короче 2 символов"
    assert errors["body.name"]["type"] == "string_too_short"
    assert errors["body.count"]["message"] == "Обязательное поле"
    assert errors["body.kind"]["message"] == "Допустимые значения: 'a' или 'b'"


async def test_own_validator_message_is_shown_without_pydantic_prefix():
    r = await call("POST", "/things", json={"name": "admin", "count": 1})
    assert r.json()["errors"][0]["message"] == "Имя admin зарезервировано"


async def test_domain_error_naming_a_field_lists_it_like_a_validation_error():
    r = await call("GET", "/taken")
    assert r.status_code == 409
    assert r.json()["errors"] == [{"field": "body.login", "message": "Логин уже занят", "type": "conflict"}]
    plain = await call("GET", "/conflict")
    assert "errors" not in plain.json()
