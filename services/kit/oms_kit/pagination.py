"""Listing conventions for every endpoint that returns many rows:

- paging: ``?limit=&offset=`` (``Paging``), results as ``Page[T]`` with items/total/limit/offset;
- sorting: ``?sort=name,-created_at`` against an explicit allow-list (``sorting(...)``), so a
  client can never order by an arbitrary column or expression;
- filters: plain, typed query parameters named after the field (``?kind=mo&active=true``),
  and ``?q=`` for a free-text search where a feature offers one.
"""

# No ``from __future__ import annotations`` here: ``sorting`` builds a ``Query`` annotation
# in a closure, which FastAPI can only read when annotations are evaluated eagerly.
from collections.abc import Callable, Mapping
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

from oms_kit.errors import InvalidInput

T = TypeVar("T")

MAX_LIMIT = 500


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0


def _page_params(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Сколько записей вернуть")] = 50,
    offset: Annotated[int, Query(ge=0, description="Сколько записей пропустить")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


Paging = Annotated[PageParams, Depends(_page_params)]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


def parse_sort(value: str | None, allowed: Mapping[str, Any], default: str) -> list[Any]:
    """Turn ``"name,-created_at"`` into ORDER BY clauses over ``allowed`` columns."""
    clauses: list[Any] = []
    for raw in (value or default).split(","):
        key = raw.strip()
        if not key:
            continue
        descending = key.startswith("-")
        name = key.lstrip("-")
        if name not in allowed:
            names = ", ".join(sorted(allowed))
            raise InvalidInput(f"Сортировка по полю «{name}» недоступна; можно: {names}")
        column = allowed[name]
        clauses.append(column.desc() if descending else column.asc())
    return clauses


def sorting(allowed: Mapping[str, Any], default: str) -> Callable[..., list[Any]]:
    """A dependency giving ORDER BY clauses from ``?sort=``; unknown fields are a 422."""
    fields = ", ".join(sorted(allowed))
    description = f"Поля сортировки через запятую, «-» — по убыванию. Доступны: {fields}"

    def dependency(sort: Annotated[str | None, Query(description=description)] = None) -> list[Any]:
        return parse_sort(sort, allowed, default)

    return dependency
