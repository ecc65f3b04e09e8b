"""Organization scope: a user of one organization never sees another's rows."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import Select

from oms_kit.auth.principal import Principal
from oms_kit.errors import NotFound

S = TypeVar("S", bound=Select[Any])


def scope_to_org(stmt: S, org_column: Any, principal: Principal) -> S:
    """Restrict a query to the principal's organization unless its role is region-wide."""
    if principal.region_wide:
        return stmt
    return stmt.where(org_column == principal.org_id)


def ensure_same_org(owner_org_id: uuid.UUID, principal: Principal, what: str = "Объект") -> None:
    """404, not 403, for another organization's resource: existence is not leaked."""
    if not principal.region_wide and owner_org_id != principal.org_id:
        raise NotFound(f"{what} не найден")
