"""``/api/admin/roles``: the role catalogue, so clients (the SPA's user and API-key forms)
never keep a copy of which roles exist and where they may be held."""

from gateway.access.roles import CLIENT_ROLES, ROLE_ORG_KINDS, USER_ROLES
from gateway.access.schemas import RoleRead
from oms_kit.app import secure_router
from oms_kit.errors import problem_responses

router = secure_router(prefix="/api/admin/roles", tags=["role"], responses=problem_responses(401))


@router.get("", operation_id="role-list", summary="Роли пользователей и внешних систем")
async def list_roles() -> list[RoleRead]:
    return [
        RoleRead(
            role=role,
            kind="user" if role in USER_ROLES else "client",
            organization_kinds=sorted(ROLE_ORG_KINDS.get(role, frozenset())),
            permissions=sorted(perms),
        )
        for role, perms in [*USER_ROLES.items(), *CLIENT_ROLES.items()]
    ]
