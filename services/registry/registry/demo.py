"""Demo data of the registry for the embedded shape (``make run``): the shipped NSI
dictionaries. Idempotent; runs in the caller's transaction and never commits."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.nsi.shipped import load_shipped


async def seed(session: AsyncSession) -> dict[str, Any]:
    return {"nsi": await load_shipped(session)}
