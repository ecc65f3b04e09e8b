"""Every operation in every service's OpenAPI has a stable operationId ``<tag>-<name>`` and
declares its error responses, so the generated TypeScript client is fully typed.

Declared errors that follow from the route itself are required: 401 when it needs a token,
403 when it needs a permission, 404 when its path names a resource (not for a PUT marked
``x-upsert``, which creates what it names); and every declared
error is a ``Problem`` (RFC 7807) served as ``application/problem+json``."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Depends, FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from oms_kit.app import secure_router
from oms_kit.auth.dependencies import authenticated, require_permission
from oms_kit.errors import install_problem_handlers, problem_responses

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
TAG = re.compile(r"[a-z][a-z0-9_]*")
NAME = r"[a-z][a-z0-9_]*(?:-[a-z0-9_]+)*"
PROBLEM = "application/problem+json"


def depends_on(dependant: Dependant | None, predicate: Any) -> bool:
    if dependant is None:
        return False
    return any(predicate(sub.call) or depends_on(sub, predicate) for sub in dependant.dependencies)


def needs_token(call: Any) -> bool:
    return call is authenticated


def needs_permission(call: Any) -> bool:
    return getattr(call, "__qualname__", "").startswith(require_permission.__qualname__ + ".")


def is_problem(media: dict[str, Any]) -> bool:
    # ``Problem`` or a problem with extension members named after it (``…Problem``).
    return str(media.get("schema", {}).get("$ref", "")).rsplit("/", 1)[-1].endswith("Problem")


def operation_problems(app: FastAPI, document: dict[str, Any]) -> list[str]:
    routes = {
        (context.path_format, method.lower()): context
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute)
        for method in context.methods or ()
    }
    problems: list[str] = []
    seen: dict[str, str] = {}
    for path, item in document.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            label = f"{method.upper()} {path}"
            operation_id, tags = operation.get("operationId", ""), operation.get("tags") or []
            if not tags or not TAG.fullmatch(str(tags[0])):
                problems.append(f"{label}: needs a tag of lowercase letters, digits and _ (got {tags})")
            elif not re.fullmatch(rf"{re.escape(str(tags[0]))}-{NAME}", operation_id):
                problems.append(f"{label}: operationId {operation_id!r} is not '{tags[0]}-<name>'")
            if operation_id in seen:
                problems.append(f"{label}: operationId {operation_id!r} is also {seen[operation_id]}")
            seen[operation_id] = label

            errors = {str(c): r for c, r in operation.get("responses", {}).items() if str(c)[0] in "45"}
            for code, response in sorted(errors.items()):
                content = response.get("content", {})
                wanted = [content.get(PROBLEM, {})]
                if not any(is_problem(media) for media in wanted):
                    problems.append(f"{label}: {code} is not declared as a Problem in {PROBLEM}")

            route = routes.get((path, method))
            if route is None:
                problems.append(f"{label}: in the document, but no route serves it")
                continue
            required = {
                "401": depends_on(route.dependant, needs_token),
                "403": depends_on(route.dependant, needs_permission),
                # A PUT that creates or replaces what its path names (x-upsert) has nothing to miss.
                "404": "{" in path and not operation.get("x-upsert"),
            }
            for code, needed in required.items():
                if needed and code not in errors:
                    problems.append(f"{label}: does not declare {code}")
    return problems


def test_operations_have_stable_ids_and_declared_errors(
    apps: dict[str, FastAPI], openapi_documents: dict[str, dict[str, Any]]
) -> None:
    problems = [
        f"{name}: {p}" for name, app in apps.items() for p in operation_problems(app, openapi_documents[name])
    ]
    assert not problems, "\n".join(problems)


def test_every_service_documents_some_operations(openapi_documents: dict[str, dict[str, Any]]) -> None:
    for name, document in openapi_documents.items():
        assert document.get("paths"), f"{name}: no operations in its OpenAPI"
        assert "Problem" in document.get("components", {}).get("schemas", {}), name


def test_the_check_catches_unstable_ids_and_undeclared_errors() -> None:
    app = FastAPI(responses={422: {"model": dict}})
    install_problem_handlers(app)
    router = secure_router(prefix="/widgets", tags=["widget"], responses=problem_responses(401))
    reads = Depends(require_permission("widget:read"))

    @router.get("", operation_id="widget-list", dependencies=[reads], responses=problem_responses(403))
    async def fine() -> list[int]:
        return []

    @router.get("/{widget_id}", dependencies=[reads])  # no operationId, no 403, no 404
    async def get_widget(widget_id: int) -> int:
        return widget_id

    @router.delete("/{widget_id}", operation_id="gadget-delete", responses={404: {"description": "gone"}})
    async def delete_widget(widget_id: int) -> None:
        return None

    app.include_router(router)
    found = operation_problems(app, app.openapi())
    assert sorted(found) == sorted(
        [
            "GET /widgets/{widget_id}: operationId 'get_widget_widgets__widget_id__get' "
            "is not 'widget-<name>'",
            "GET /widgets/{widget_id}: does not declare 403",
            "GET /widgets/{widget_id}: does not declare 404",
            "DELETE /widgets/{widget_id}: operationId 'gadget-delete' is not 'widget-<name>'",
            f"DELETE /widgets/{{widget_id}}: 404 is not declared as a Problem in {PROBLEM}",
            "GET /widgets: 422 is not declared as a Problem in application/problem+json",
            "GET /widgets/{widget_id}: 422 is not declared as a Problem in application/problem+json",
            "DELETE /widgets/{widget_id}: 422 is not declared as a Problem in application/problem+json",
        ]
    )
