"""API keys: created with a secret shown once, listed by prefix, revoked (kept for the record)."""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.access.roles import CLIENT_ROLES, ROLE_ORG_KINDS, role_fits_organization
from gateway.api_key.repository import ApiKeyRepository
from gateway.api_key.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from gateway.models import ApiKey
from gateway.organization.repository import OrganizationRepository
from oms_kit.auth import Principal
from oms_kit.errors import InvalidInput, NotFound
from oms_kit.pagination import Page, PageParams

KEY_MARK = "oms"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_key() -> tuple[str, str]:
    """``oms_<prefix>_<secret>``: 48 random bits of prefix to recognise it, 256 of secret."""
    prefix = secrets.token_hex(6)
    return prefix, f"{KEY_MARK}_{prefix}_{secrets.token_urlsafe(32)}"


async def create_api_key(session: AsyncSession, principal: Principal, data: ApiKeyCreate) -> ApiKeyCreated:
    org = await OrganizationRepository(session).get_visible(principal, data.org_id)
    if org is None:
        raise NotFound("Организация не найдена")
    if not role_fits_organization(data.client_role, org.kind):
        allowed = ", ".join(sorted(ROLE_ORG_KINDS[data.client_role]))
        raise InvalidInput(
            f"Роль «{data.client_role}» недопустима в организации вида «{org.kind}» (допустимо: {allowed})"
        )
    role_perms = CLIENT_ROLES[data.client_role]
    scopes = sorted(set(data.scopes) if data.scopes is not None else role_perms)
    extra = sorted(set(scopes) - role_perms)
    if extra:
        raise InvalidInput(f"Права вне роли «{data.client_role}»: {', '.join(extra)}")
    if not scopes:
        raise InvalidInput("Ключ без прав бесполезен: укажите хотя бы одно право")
    prefix, key = new_key()
    row = await ApiKeyRepository(session).add(
        ApiKey(
            prefix=prefix,
            key_hash=hash_key(key),
            name=data.name,
            org_id=org.id,
            client_role=data.client_role,
            scopes=scopes,
            rate_per_minute=data.rate_per_minute,
        )
    )
    return ApiKeyCreated(**ApiKeyRead.model_validate(row).model_dump(), key=key)


async def list_api_keys(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    org_id: uuid.UUID | None,
    include_revoked: bool,
) -> Page[ApiKeyRead]:
    rows, total = await ApiKeyRepository(session).page(
        principal, org_id=org_id, include_revoked=include_revoked, limit=paging.limit, offset=paging.offset
    )
    return Page[ApiKeyRead](
        items=[ApiKeyRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def revoke_api_key(session: AsyncSession, principal: Principal, key_id: uuid.UUID) -> ApiKeyRead:
    """Idempotent: revoking a revoked key keeps its first revocation time."""
    key = await ApiKeyRepository(session).get_visible(principal, key_id)
    if key is None:
        raise NotFound("Ключ API не найден")
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        await session.flush()
    return ApiKeyRead.model_validate(key)
