"""Query pieces every part of the MO register uses: a page of a select with its total."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.pagination import PageParams


async def page_of(
    session: AsyncSession, stmt: Select[Any], paging: PageParams, *order_by: Any
) -> tuple[Sequence[Any], int]:
    """The rows (scalars) of ``stmt`` on this page and how many there are in all."""
    total = await session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = await session.scalars(stmt.order_by(*order_by).limit(paging.limit).offset(paging.offset))
    return rows.all(), int(total or 0)
