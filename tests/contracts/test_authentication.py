"""Every route of every app requires a token, unless it is a health/metrics route or its
endpoint is deliberately marked ``@oms_kit.auth.public``.

"Requires a token" means the route's dependency tree (router dependencies included, at
any depth) contains ``oms_kit.auth.dependencies.authenticated``."""

from __future__ import annotations

from typing import Any

from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from oms_kit.app import secure_router
from oms_kit.auth import public
from oms_kit.auth.dependencies import authenticated, require_permission

HEALTH_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def depends_on(dependant: Dependant | None, call: Any) -> bool:
    if dependant is None:
        return False
    return any(sub.call is call or depends_on(sub, call) for sub in dependant.dependencies)


def framework_doc_paths(app: FastAPI) -> set[str]:
    """FastAPI's own documentation routes (plain routes serving the API description)."""
    return {
        p for p in (app.openapi_url, app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url) if p
    }


def authentication_problems(app: FastAPI) -> list[str]:
    problems = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        label = f"{','.join(sorted(context.methods or [])) or '*'} {context.path}"
        if not isinstance(route, APIRoute):
            if context.path not in framework_doc_paths(app):
                problems.append(f"{label}: a {type(route).__name__}, whose authentication cannot be checked")
            continue
        required = depends_on(context.dependant, authenticated)
        marked_public = bool(getattr(context.endpoint, "__oms_public__", False))
        if marked_public and required:
            problems.append(f"{label}: marked @public, yet it requires a token")
        elif not required and not marked_public and context.path not in HEALTH_PATHS:
            problems.append(f"{label}: neither authenticated nor marked @public")
    return problems


def public_routes(app: FastAPI) -> list[str]:
    return sorted(
        f"{','.join(sorted(c.methods or []))} {c.path}"
        for c in iter_route_contexts(app.routes)
        if getattr(c.endpoint, "__oms_public__", False) and c.path not in HEALTH_PATHS
    )


def test_every_route_is_authenticated_or_deliberately_public(apps: dict[str, FastAPI]) -> None:
    problems = [f"{name}: {p}" for name, app in apps.items() for p in authentication_problems(app)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_open_and_contradictory_routes() -> None:
    app = FastAPI()
    secured = secure_router(prefix="/things")
    open_router = secure_router(prefix="/confused")

    @secured.get("")
    async def list_things() -> list[str]:
        return []

    @secured.get("/{thing_id}", dependencies=[Depends(require_permission("things:read"))])
    async def get_thing(thing_id: int) -> int:
        return thing_id

    @open_router.get("")
    @public
    async def confused() -> None:
        return None

    @app.get("/forgotten")
    async def forgotten() -> None:
        return None

    @app.get("/login")
    @public
    async def login() -> None:
        return None

    app.include_router(secured)
    app.include_router(open_router)
    assert sorted(authentication_problems(app)) == [
        "GET /confused: marked @public, yet it requires a token",
        "GET /forgotten: neither authenticated nor marked @public",
    ]
    assert public_routes(app) == ["GET /confused", "GET /login"]
