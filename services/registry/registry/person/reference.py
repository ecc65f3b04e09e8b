"""Reference data the register checks codes against (NSI of this service)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry import nsi

DOCUMENT_TYPES = "document_type"  # ФФОМС F011


async def require_document_type(session: AsyncSession, code: str, *, on: date, field: str) -> None:
    """422 naming ``field`` when ``code`` is not a document type valid on ``on``."""
    await nsi.require_code(session, DOCUMENT_TYPES, code, on=on, field=field)
