"""``?sort=`` for the gateway's lists, following the kit's convention (``oms_kit.pagination``).

Local because ``oms_kit.pagination.sorting`` builds its ``Query`` annotation under
``from __future__ import annotations`` with a closure variable, which FastAPI cannot resolve
once a client actually sends ``?sort=``; switch back when the kit is fixed. (This module must
not use postponed annotations for the same reason.)"""

from collections.abc import Callable, Mapping
from typing import Annotated, Any

from fastapi import Query

from oms_kit.pagination import parse_sort


def sorting(allowed: Mapping[str, Any], default: str) -> Callable[..., list[Any]]:
    fields = ", ".join(sorted(allowed))
    description = f"Поля сортировки через запятую, «-» — по убыванию. Доступны: {fields}"

    def dependency(sort: Annotated[str | None, Query(description=description)] = None) -> list[Any]:
        return parse_sort(sort, allowed, default)

    return dependency
