from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import SigningKey

# One advisory lock serializes key creation and rotation across gateway replicas.
_LOCK_SQL = text("SELECT pg_advisory_xact_lock(hashtext('gateway.signing_key'))")


class SigningKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock(self) -> None:
        await self.session.execute(_LOCK_SQL)

    async def published(self, now: datetime) -> Sequence[SigningKey]:
        """Keys still in the JWKS (not retired yet), newest first."""
        stmt = (
            select(SigningKey)
            .where(or_(SigningKey.retired_at.is_(None), SigningKey.retired_at > now))
            .order_by(SigningKey.active_from.desc(), SigningKey.created_at.desc())
        )
        return (await self.session.scalars(stmt)).all()

    async def exists(self, kid: str) -> bool:
        return await self.session.scalar(select(SigningKey.kid).where(SigningKey.kid == kid)) is not None

    async def all(self) -> Sequence[SigningKey]:
        stmt = select(SigningKey).order_by(SigningKey.active_from.desc())
        return (await self.session.scalars(stmt)).all()

    async def add(self, key: SigningKey) -> None:
        self.session.add(key)
        await self.session.flush()

    async def schedule_retirement(self, *, keep_kid: str, retire_at: datetime) -> None:
        """Every other key still in service leaves the JWKS at ``retire_at``."""
        await self.session.execute(
            update(SigningKey)
            .where(SigningKey.kid != keep_kid, SigningKey.retired_at.is_(None))
            .values(retired_at=retire_at)
        )
