"""Authentication and authorization shared by every service."""

from oms_kit.auth.dependencies import (
    authenticated,
    current_principal,
    public,
    require_permission,
)
from oms_kit.auth.principal import REGION_WIDE_ROLES, Principal
from oms_kit.auth.scoping import ensure_same_org, scope_to_org
from oms_kit.auth.tokens import JwksSource, TokenVerifier

__all__ = [
    "REGION_WIDE_ROLES",
    "JwksSource",
    "Principal",
    "TokenVerifier",
    "authenticated",
    "current_principal",
    "ensure_same_org",
    "public",
    "require_permission",
    "scope_to_org",
]
