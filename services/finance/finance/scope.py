"""Whose figures a caller sees (issue 6, «Role scoping»):

- an MO economist or an MO's accounting system — its own MO;
- the health authority — the MOs it founds (``mo_profile.founder_id``, from registry);
- the territorial fund (and the platform's region-wide roles) — every MO;
- FOMS — the region's consolidated figures only, never one MO's.

Every query over MO data goes through ``MoScope``: ``scope.filter(stmt, Model.mo_id)`` for
lists, ``scope.ensure(mo_id)`` for one MO (404 for an MO outside it: existence is not leaked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, false, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import MoProfile, Organization
from oms_kit.auth.principal import Principal
from oms_kit.errors import Forbidden, NotFound

S = TypeVar("S", bound=Select[Any])

FOMS_ROLES = frozenset({"foms_viewer", "foms_exchange"})
FOUNDER_ROLES = frozenset({"health_authority"})
REGION_ROLES = frozenset({"admin", "tfoms_analyst", "tfoms_exchange"})
MO_NOT_FOUND = "Медицинская организация не найдена"


@dataclass(frozen=True)
class MoScope:
    mo_ids: frozenset[uuid.UUID] | None  # None: every MO of the region
    consolidated_only: bool = False  # FOMS: totals over the region, no MO on its own

    @property
    def whole_region(self) -> bool:
        return self.mo_ids is None

    def sees(self, mo_id: uuid.UUID) -> bool:
        return not self.consolidated_only and (self.mo_ids is None or mo_id in self.mo_ids)

    def ensure(self, mo_id: uuid.UUID) -> None:
        if not self.sees(mo_id):
            raise NotFound(MO_NOT_FOUND)

    def ensure_per_mo(self) -> None:
        """Figures of single MOs: refused to a caller who sees the consolidated data only."""
        if self.consolidated_only:
            raise Forbidden("Вам доступны только сводные данные по региону, без разбивки по МО")

    def filter(self, stmt: S, mo_column: Any) -> S:
        """Rows of the MOs in scope (consolidated callers: every MO — the caller then sums)."""
        condition = self.condition(mo_column)
        return stmt if condition is None else stmt.where(condition)

    def condition(self, mo_column: Any) -> Any | None:
        """The WHERE term of ``filter`` (None: every MO), for queries built from terms."""
        if self.mo_ids is None:
            return None
        return mo_column.in_(self.mo_ids) if self.mo_ids else false()


async def ensure_mo(session: AsyncSession, scope: MoScope, mo_id: uuid.UUID) -> None:
    """404 for an MO outside ``scope`` and for an id that is no MO at all (a region-wide
    caller sees every MO, so the scope alone does not tell)."""
    scope.ensure(mo_id)
    found = await session.scalar(
        select(Organization.id).where(Organization.id == mo_id, Organization.kind == "mo")
    )
    if found is None:
        raise NotFound(MO_NOT_FOUND)


async def mo_scope(session: AsyncSession, principal: Principal) -> MoScope:
    roles = principal.roles
    if roles & REGION_ROLES:
        return MoScope(None)
    if roles & FOUNDER_ROLES:
        # A private MO has no founder among health authorities, whatever a passport says.
        founded = await session.scalars(
            select(MoProfile.mo_id).where(
                MoProfile.founder_id == principal.org_id, MoProfile.legal_form.is_distinct_from("private")
            )
        )
        return MoScope(frozenset(founded))
    if roles & FOMS_ROLES:
        return MoScope(None, consolidated_only=True)
    return MoScope(frozenset({principal.org_id}))
