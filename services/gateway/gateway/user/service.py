"""User accounts. The admin API is organization-scoped like every other read: a principal
whose roles are not region-wide sees and manages only its own organization's accounts, and
another organization's account is a 404, not a 403.

Accounts are personal data: creating, changing or opening one writes an audit row, and so
does every patient account that appears in a list (``person_id`` names the patient)."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.access.roles import ROLE_ORG_KINDS, role_fits_organization
from gateway.auth.passwords import hash_password
from gateway.auth.repository import RefreshTokenRepository
from gateway.models import Organization, UserAccount
from gateway.organization.repository import OrganizationRepository
from gateway.user.repository import UserRepository
from gateway.user.schemas import UserCreate, UserRead, UserUpdate
from oms_kit.audit import audit_access
from oms_kit.auth import REGION_WIDE_ROLES, Principal
from oms_kit.errors import Forbidden, InvalidInput, NotFound
from oms_kit.pagination import Page, PageParams


def check_roles(
    principal: Principal, roles: list[str], org: Organization, person_id: uuid.UUID | None
) -> None:
    """Roles must fit the organization's kind; only region-wide principals grant region-wide
    roles; a patient account names its person and only a patient account does."""
    if not principal.region_wide and set(roles) & REGION_WIDE_ROLES:
        raise Forbidden("Роли регионального уровня может назначать только пользователь регионального уровня")
    for role in roles:
        if not role_fits_organization(role, org.kind):
            allowed = ", ".join(sorted(ROLE_ORG_KINDS.get(role, frozenset())))
            raise InvalidInput(
                f"Роль «{role}» недопустима в организации вида «{org.kind}» (допустимо: {allowed})",
                field="body.roles",
            )
    if "patient" in roles and person_id is None:
        raise InvalidInput(
            "Для роли «patient» нужен person_id — идентификатор пациента в регистре", field="body.person_id"
        )
    if "patient" not in roles and person_id is not None:
        raise InvalidInput("person_id указывается только для роли «patient»", field="body.person_id")


async def create_user(session: AsyncSession, principal: Principal, data: UserCreate) -> UserRead:
    org = await OrganizationRepository(session).get_visible(principal, data.org_id)
    if org is None:
        raise NotFound("Организация не найдена")
    check_roles(principal, data.roles, org, data.person_id)
    user = await UserRepository(session).add(
        UserAccount(
            login=data.login,
            password_hash=await hash_password(data.password),
            full_name=data.full_name,
            roles=data.roles,
            org_id=org.id,
            person_id=data.person_id,
            active=True,
        )
    )
    await session.refresh(user)
    await _audit(session, principal, "create", user)
    return UserRead.model_validate(user)


async def _audit(session: AsyncSession, principal: Principal, action: str, user: UserAccount) -> None:
    await audit_access(
        session, principal, action=action, resource=f"gateway.user:{user.id}", person_id=user.person_id
    )


async def list_users(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    org_id: uuid.UUID | None,
    order_by: list[Any],
) -> Page[UserRead]:
    rows, total = await UserRepository(session).page(
        principal, org_id=org_id, order_by=order_by, limit=paging.limit, offset=paging.offset
    )
    for row in rows:
        if row.person_id is not None:
            await _audit(session, principal, "list", row)
    return Page[UserRead](
        items=[UserRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def get_user(session: AsyncSession, principal: Principal, user_id: uuid.UUID) -> UserRead:
    user = await UserRepository(session).get_visible(principal, user_id)
    if user is None:
        raise NotFound("Пользователь не найден")
    await _audit(session, principal, "read", user)
    return UserRead.model_validate(user)


async def update_user(
    session: AsyncSession, principal: Principal, user_id: uuid.UUID, data: UserUpdate
) -> UserRead:
    user = await UserRepository(session).get_visible(principal, user_id, for_update=True)
    if user is None:
        raise NotFound("Пользователь не найден")
    if data.roles is not None:
        org = await OrganizationRepository(session).get(user.org_id)
        assert org is not None  # foreign key
        if not principal.region_wide and set(user.roles) & REGION_WIDE_ROLES:
            raise Forbidden("Роли пользователя регионального уровня меняет пользователь регионального уровня")
        check_roles(principal, data.roles, org, user.person_id)
        user.roles = data.roles
    if data.full_name is not None:
        user.full_name = data.full_name
    # Signing out everywhere: a deactivated account or a new password ends every session
    # at its next refresh (access tokens are short-lived and run out by themselves).
    sign_out = False
    if data.active is not None:
        sign_out = user.active and not data.active
        user.active = data.active
    if data.password is not None:
        user.password_hash = await hash_password(data.password)
        sign_out = True
    if sign_out:
        await RefreshTokenRepository(session).revoke_user(user.id, datetime.now(UTC))
    await session.flush()
    await _audit(session, principal, "update", user)
    return UserRead.model_validate(user)
