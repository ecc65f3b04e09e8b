"""One OpenAPI document for the whole API: the gateway's own paths plus each service's,
as a client sees them through the gateway.

For a service: paths get the ``/api/<service>`` prefix, every component gets a prefix
(``registry`` + ``OrganizationRead`` → ``RegistryOrganizationRead``) with all ``$ref``s and
security requirements rewritten, operationIds get ``<service>-`` in front (and a numeric
suffix should a clash remain), tags get ``<service>/``. The result is cached; a service that
does not answer is left out, listed under ``x-oms-unavailable``, and retried sooner."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

log = logging.getLogger("gateway.openapi")

HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
RETRY_UNAVAILABLE_SECONDS = 10.0


def _component_prefix(service: str) -> str:
    return "".join(part.capitalize() for part in service.replace("-", "_").split("_"))


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    """Rewrite ``#/components/<section>/<name>`` in ``$ref`` values and discriminator mappings."""
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                out[key] = renames.get(value, value)
            elif key == "mapping" and isinstance(value, dict):
                out[key] = {k: renames.get(v, v) if isinstance(v, str) else v for k, v in value.items()}
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _rename_security(requirements: Any, schemes: Mapping[str, str]) -> Any:
    if not isinstance(requirements, list):
        return requirements
    return [{schemes.get(name, name): scopes for name, scopes in req.items()} for req in requirements]


def merge_documents(own: dict[str, Any], services: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """The gateway's document ``own`` with every service document merged in."""
    merged = copy.deepcopy(own)
    paths: dict[str, Any] = merged.setdefault("paths", {})
    components: dict[str, Any] = merged.setdefault("components", {})
    tags: list[dict[str, Any]] = merged.setdefault("tags", [])
    operation_ids = {
        op["operationId"]
        for item in paths.values()
        for method, op in item.items()
        if method in HTTP_METHODS and isinstance(op, dict) and "operationId" in op
    }

    for service, document in sorted(services.items()):
        prefix = _component_prefix(service)
        renames: dict[str, str] = {}
        scheme_names: dict[str, str] = {}
        for section, entries in (document.get("components") or {}).items():
            for name in entries or {}:
                renames[f"#/components/{section}/{name}"] = f"#/components/{section}/{prefix}{name}"
                if section == "securitySchemes":
                    scheme_names[name] = f"{prefix}{name}"
        doc = _rewrite_refs(document, renames)
        for section, entries in (doc.get("components") or {}).items():
            target = components.setdefault(section, {})
            for name, value in (entries or {}).items():
                target[f"{prefix}{name}"] = value
        service_security = _rename_security(doc.get("security"), scheme_names)
        for path, item in (doc.get("paths") or {}).items():
            new_item: dict[str, Any] = {}
            for method, op in item.items():
                if method in HTTP_METHODS and isinstance(op, dict):
                    op = dict(op)
                    op["operationId"] = _unique(
                        f"{service}-{op.get('operationId', method + path)}", operation_ids
                    )
                    op["tags"] = [f"{service}/{t}" for t in op.get("tags", [])] or [service]
                    if "security" in op:
                        op["security"] = _rename_security(op["security"], scheme_names)
                    elif service_security is not None:
                        op["security"] = service_security
                new_item[method] = op
            paths[f"/api/{service}{path}"] = new_item
        for tag in doc.get("tags") or []:
            tags.append({**tag, "name": f"{service}/{tag['name']}"})
    if not tags:
        merged.pop("tags")
    return merged


def _unique(candidate: str, taken: set[str]) -> str:
    name, n = candidate, 2
    while name in taken:
        name, n = f"{candidate}-{n}", n + 1
    taken.add(name)
    return name


class AggregatedOpenApi:
    """The merged document, cached for ``ttl_seconds``."""

    def __init__(
        self,
        own: Callable[[], dict[str, Any]],
        clients: Callable[[], Mapping[str, httpx.AsyncClient]],
        *,
        ttl_seconds: float,
        fetch_timeout_seconds: float = 10.0,
    ) -> None:
        self._own = own
        self._clients = clients
        self._ttl = ttl_seconds
        self._fetch_timeout = fetch_timeout_seconds
        self._cached: dict[str, Any] | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        self._cached = None

    async def document(self) -> dict[str, Any]:
        if self._cached is not None and time.monotonic() < self._expires:
            return self._cached
        async with self._lock:
            if self._cached is not None and time.monotonic() < self._expires:
                return self._cached
            clients = dict(self._clients())
            names = sorted(clients)
            results = await asyncio.gather(*(self._fetch(n, clients[n]) for n in names))
            documents = {n: d for n, d in zip(names, results, strict=True) if d is not None}
            merged = merge_documents(self._own(), documents)
            missing = [n for n, d in zip(names, results, strict=True) if d is None]
            if missing:
                merged["x-oms-unavailable"] = missing
            self._cached = merged
            ttl = min(self._ttl, RETRY_UNAVAILABLE_SECONDS) if missing else self._ttl
            self._expires = time.monotonic() + ttl
            return merged

    async def _fetch(self, service: str, client: httpx.AsyncClient) -> dict[str, Any] | None:
        try:
            async with asyncio.timeout(self._fetch_timeout):
                response = await client.get("/openapi.json")
            response.raise_for_status()
            document: dict[str, Any] = response.json()
            return document
        except Exception:
            log.warning("OpenAPI of a service is unavailable", extra={"upstream": service}, exc_info=True)
            return None
