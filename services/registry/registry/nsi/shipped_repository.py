"""The one statement of the shipped-dictionary loader that is not the import path's own."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Replicas (or an init step racing a second one) load the shipped dictionaries one at a time:
# the second finds every version stored and loads nothing.
_LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtext('registry.nsi.load_shipped'))")


async def lock_shipped_load(session: AsyncSession) -> None:
    """Held until the caller's transaction ends."""
    await session.execute(_LOCK_SQL)
