from fastapi.routing import APIRoute, iter_route_contexts

from oms_kit.auth import authenticated

HEALTH = {"/healthz", "/readyz", "/metrics"}


def _routes(app) -> list[APIRoute]:
    """Every API route, also those of included routers (FastAPI keeps those nested)."""
    routes = [c.original_route for c in iter_route_contexts(app.router.routes)]
    return [r for r in routes if isinstance(r, APIRoute)]


def test_every_route_is_under_api_and_authenticated_or_deliberately_public(app):
    assert len(_routes(app)) > 20
    public = []
    for route in _routes(app):
        if route.path in HEALTH:
            continue
        assert route.path.startswith("/api/"), route.path
        secured = any(d.dependency is authenticated for d in route.dependencies)
        marked = getattr(route.endpoint, "__oms_public__", False)
        assert secured != marked, route.path  # exactly one of the two
        if marked:
            public.append(route.path)
    assert sorted(public) == [
        "/api/auth/.well-known/jwks.json",
        "/api/auth/login",
        "/api/auth/logout",
        "/api/auth/refresh",
        "/api/docs",
        "/api/openapi.json",
        "/api/{service}/{path:path}",
    ]


async def test_admin_endpoints_need_a_token(client):
    for method, path in [
        ("GET", "/api/admin/organizations"),
        ("POST", "/api/admin/organizations"),
        ("GET", "/api/admin/users"),
        ("GET", "/api/admin/api-keys"),
        ("GET", "/api/admin/signing-keys"),
        ("POST", "/api/admin/signing-keys/rotate"),
    ]:
        r = await client.request(method, path, json={})
        assert r.status_code == 401, (method, path)


def test_operation_ids_are_stable_and_declared(app):
    ids = [r.operation_id for r in _routes(app) if r.include_in_schema]
    assert all(ids) and len(ids) == len(set(ids))
    assert all("-" in i for i in ids)  # "<tag>-<name>"
