from typing import Any

import httpx


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in _refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in _refs(v)]
    return []


def _operations(doc: dict) -> list[dict]:
    return [
        op
        for item in doc["paths"].values()
        for m, op in item.items()
        if isinstance(op, dict) and m != "parameters"
    ]


async def test_aggregated_openapi_merges_the_services_under_their_prefix(proxy_client):
    r = await proxy_client.get("/api/openapi.json")  # public
    assert r.status_code == 200
    doc = r.json()
    paths = doc["paths"]
    # the gateway's own API
    assert "/api/auth/login" in paths and "/api/admin/organizations" in paths
    # the service's paths, as a client reaches them through the gateway
    assert {"/api/registry/items", "/api/registry/upload", "/api/registry/echo/{rest}"} <= set(paths)
    assert not any(p.startswith("/items") for p in paths)
    # component names carry the service prefix and every $ref resolves
    schemas = doc["components"]["schemas"]
    assert "RegistryItem" in schemas and "Item" not in schemas
    assert "Problem" in schemas  # the gateway's own
    for ref in _refs(doc):
        section, name = ref.removeprefix("#/components/").split("/")
        assert name in doc["components"][section], ref
    create = paths["/api/registry/items"]["post"]
    assert (
        create["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        == "#/components/schemas/RegistryItem"
    )
    # operationIds stay unique; the service's clash with the gateway's "organization-list" is gone
    ids = [op["operationId"] for op in _operations(doc)]
    assert len(ids) == len(set(ids))
    assert "organization-list" in ids and "registry-organization-list" in ids
    assert paths["/api/registry/items"]["get"]["tags"] == ["registry/items"]
    assert "x-oms-unavailable" not in doc


async def test_the_root_documentation_routes_are_gone(proxy_client):
    assert (await proxy_client.get("/openapi.json")).status_code == 404
    assert (await proxy_client.get("/docs")).status_code == 404
    docs = await proxy_client.get("/api/docs")
    assert docs.status_code == 200 and "/api/openapi.json" in docs.text


async def test_an_unavailable_service_is_left_out_and_named(make_app, open_client):
    failing = httpx.MockTransport(lambda request: httpx.Response(503))
    async with make_app(upstreams={"finance": failing}) as app, open_client(app) as client:
        doc = (await client.get("/api/openapi.json")).json()
    assert doc["x-oms-unavailable"] == ["finance"]
    assert "/api/auth/login" in doc["paths"]


async def test_the_document_is_cached(make_app, open_client, make_upstream, upstream_log):
    calls: list[str] = []
    inner = httpx.ASGITransport(app=make_upstream(upstream_log))

    class Counting(httpx.AsyncBaseTransport):
        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            calls.append(request.url.path)
            return await inner.handle_async_request(request)

    async with (
        make_app(upstreams={"registry": Counting()}, openapi_cache_seconds=300) as app,
        open_client(app) as c,
    ):
        first = (await c.get("/api/openapi.json")).json()
        second = (await c.get("/api/openapi.json")).json()
    assert first == second
    assert calls == ["/openapi.json"]
