"""Login, rotating refresh tokens with reuse detection, logout."""

from __future__ import annotations

import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.access.roles import permissions_for
from gateway.auth.issuer import TokenIssuer
from gateway.auth.passwords import hash_password, needs_rehash, verify_password
from gateway.auth.repository import RefreshTokenRepository, SignInRepository, token_hash
from gateway.auth.schemas import LoginRequest, Me, TokenPair
from gateway.config import Settings
from gateway.models import RefreshToken, UserAccount
from gateway.organization.repository import OrganizationRepository
from gateway.organization.schemas import OrganizationRead
from gateway.user.repository import UserRepository
from oms_kit.auth import Principal
from oms_kit.errors import NotFound

log = logging.getLogger("gateway.auth")

# One message for an unknown login, a wrong password and a blocked account.
BAD_CREDENTIALS = "Неверный логин или пароль"


@dataclass(frozen=True)
class Rejected:
    """A refresh that failed but whose effects (a revoked family) must still be committed."""

    detail: str


async def _issue(
    session: AsyncSession, issuer: TokenIssuer, settings: Settings, user: UserAccount, family_id: uuid.UUID
) -> TokenPair:
    org = await OrganizationRepository(session).get(user.org_id)
    assert org is not None  # foreign key
    access = await issuer.access_token(
        subject=str(user.id),
        org_id=org.id,
        org_type=org.kind,
        roles=user.roles,
        person_id=user.person_id,
        ttl_seconds=settings.access_token_ttl_seconds,
    )
    raw = secrets.token_urlsafe(32)
    await RefreshTokenRepository(session).add(
        RefreshToken(
            token_hash=token_hash(raw),
            user_id=user.id,
            family_id=family_id,
            expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds),
        )
    )
    return TokenPair(
        access_token=access.token,
        expires_in=settings.access_token_ttl_seconds,
        refresh_token=raw,
        refresh_expires_in=settings.refresh_token_ttl_seconds,
    )


async def login(
    session: AsyncSession, issuer: TokenIssuer, settings: Settings, data: LoginRequest
) -> TokenPair | Rejected:
    """A refused login is returned, not raised, so that its sign-in record is committed."""
    user = await UserRepository(session).by_login(data.login)
    # Verify even for an unknown login (against a dummy hash): same answer, same time.
    ok = await verify_password(user.password_hash if user else None, data.password)
    if user is None or not ok or not user.active:
        reason = "unknown login" if user is None else "wrong password" if not ok else "blocked account"
        log.warning("login failed", extra={"login": data.login[:100], "reason": reason})
        await SignInRepository(session).record(user, succeeded=False)
        return Rejected(BAD_CREDENTIALS)
    log.info("login", extra={"user_id": str(user.id), "org_id": str(user.org_id)})
    await SignInRepository(session).record(user, succeeded=True)
    if needs_rehash(user.password_hash):
        user.password_hash = await hash_password(data.password)
    return await _issue(session, issuer, settings, user, family_id=uuid.uuid4())


async def refresh(
    session: AsyncSession, issuer: TokenIssuer, settings: Settings, raw_token: str
) -> TokenPair | Rejected:
    tokens = RefreshTokenRepository(session)
    token = await tokens.by_token(raw_token)
    now = datetime.now(UTC)
    if token is None:
        return Rejected("Токен обновления недействителен")
    if token.revoked_at is not None:
        return Rejected("Сеанс завершён; войдите заново")
    if token.used_at is not None:
        # A used token presented again: someone holds a copy. End the whole login session.
        log.warning(
            "refresh token reused; family revoked",
            extra={"user_id": str(token.user_id), "family_id": str(token.family_id)},
        )
        await tokens.revoke_family(token.family_id, now)
        return Rejected("Токен обновления уже использован; сеанс завершён, войдите заново")
    if token.expires_at <= now:
        return Rejected("Срок действия токена обновления истёк; войдите заново")
    user = await UserRepository(session).get(token.user_id)
    if user is None or not user.active:
        await tokens.revoke_family(token.family_id, now)
        return Rejected("Учётная запись заблокирована")
    token.used_at = now
    return await _issue(session, issuer, settings, user, family_id=token.family_id)


async def logout(session: AsyncSession, raw_token: str) -> None:
    """Ends the login session of ``raw_token``; an unknown token is not an error (nothing to end)."""
    tokens = RefreshTokenRepository(session)
    token = await tokens.by_token(raw_token)
    if token is not None:
        await tokens.revoke_family(token.family_id, datetime.now(UTC))


async def me(session: AsyncSession, principal: Principal) -> Me:
    user_id = _uuid_or_none(principal.subject) if principal.kind == "user" else None
    user = await UserRepository(session).get(user_id) if user_id else None
    if user is None:
        raise NotFound("Пользователь не найден")
    org = await OrganizationRepository(session).get(user.org_id)
    assert org is not None
    return Me(
        id=user.id,
        login=user.login,
        full_name=user.full_name,
        roles=sorted(user.roles),
        permissions=sorted(permissions_for(user.roles)),
        organization=OrganizationRead.model_validate(org),
        person_id=user.person_id,
    )


def _uuid_or_none(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
