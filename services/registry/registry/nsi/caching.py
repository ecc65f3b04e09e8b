"""HTTP caching of NSI reads. Versions are immutable, so what a read returns is fixed by the
dictionary, the version it resolved to and the query: a strong ETag over those lets clients
(other services, the SPA) revalidate with ``If-None-Match`` and get 304 without a body."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from fastapi import Request, Response

# A client may reuse an answer this long without asking; after that it revalidates (cheap:
# the ETag is computed before any entry is read). A pinned version never changes.
MAX_AGE_CURRENT = 60
MAX_AGE_PINNED = 86400


def etag_of(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _tags(header: str) -> Iterable[str]:
    for raw in header.split(","):
        tag = raw.strip()
        yield tag[2:] if tag.startswith("W/") else tag  # If-None-Match compares weakly


def not_modified(request: Request, etag: str, max_age: int) -> Response | None:
    """A 304 when the client already holds this ETag, else None."""
    header = request.headers.get("if-none-match")
    if header is None:
        return None
    tags = set(_tags(header))
    if "*" in tags or etag in tags:
        return Response(status_code=304, headers=cache_headers(etag, max_age))
    return None


def cache_headers(etag: str, max_age: int) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": f"private, max-age={max_age}", "Vary": "Authorization"}


def set_cache_headers(response: Response, etag: str, max_age: int) -> None:
    response.headers.update(cache_headers(etag, max_age))
