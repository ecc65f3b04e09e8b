import hashlib
import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import RefreshToken, SignIn, UserAccount


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, token: RefreshToken) -> None:
        self.session.add(token)
        await self.session.flush()

    async def by_token(self, token: str) -> RefreshToken | None:
        """Locked, so two concurrent refreshes with one token cannot both succeed."""
        stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash(token)).with_for_update()
        return await self.session.scalar(stmt)

    async def revoke_family(self, family_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def revoke_user(self, user_id: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )

    async def delete_expired(self, before: datetime) -> int:
        result = await self.session.execute(delete(RefreshToken).where(RefreshToken.expires_at < before))
        return int(getattr(result, "rowcount", 0) or 0)


class SignInRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(self, user: UserAccount | None, *, succeeded: bool) -> None:
        """One attempt; ``user`` is None when the login names no account."""
        self.session.add(
            SignIn(
                user_id=user.id if user else None,
                org_id=user.org_id if user else None,
                roles=list(user.roles) if user else [],
                succeeded=succeeded,
            )
        )
        await self.session.flush()

    async def delete_before(self, before: datetime) -> int:
        result = await self.session.execute(delete(SignIn).where(SignIn.at < before))
        return int(getattr(result, "rowcount", 0) or 0)
