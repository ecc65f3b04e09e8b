"""Whose prescriptions and stock a caller sees (issue 7; DESIGN «a pharmacist sees only their
pharmacy»):

- a doctor (an MO's user or its MIS key) — their MO's prescriptions; the stock of the pharmacies
  attached to their MO (read only, for choosing a drug);
- a pharmacist — their pharmacy's stock and dispenses; a prescription presented to them is
  found by its series and number (or the person), whichever MO issued it;
- the territorial fund, the health authority and the platform's region-wide roles — everything.

Lists filter with ``scope.mo_condition(col)`` / ``scope.pharmacy_condition(col)``; one object
with ``ensure_mo`` / ``ensure_pharmacy`` (404 outside the scope: existence is not leaked)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import false, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth.principal import Principal
from oms_kit.errors import NotFound
from pharmacy.models import PharmacyAttachment

REGION_ORG_TYPES = frozenset({"tfoms", "health_authority", "foms"})
PRESCRIPTION_NOT_FOUND = "Рецепт не найден"
PHARMACY_NOT_FOUND = "Аптека не найдена"


@dataclass(frozen=True)
class PharmacyScope:
    mo_ids: frozenset[uuid.UUID] | None  # prescriptions of these MOs; None — every MO
    pharmacy_ids: frozenset[uuid.UUID] | None  # stock and dispenses of these; None — every pharmacy
    pharmacy_writable: frozenset[uuid.UUID]  # where the caller may move stock / dispense
    own_org: uuid.UUID | None

    @property
    def whole_region(self) -> bool:
        return self.mo_ids is None and self.pharmacy_ids is None

    def sees_mo(self, mo_id: uuid.UUID) -> bool:
        return self.mo_ids is None or mo_id in self.mo_ids

    def sees_pharmacy(self, pharmacy_id: uuid.UUID) -> bool:
        return self.pharmacy_ids is None or pharmacy_id in self.pharmacy_ids

    def ensure_mo(self, mo_id: uuid.UUID, message: str = PRESCRIPTION_NOT_FOUND) -> None:
        if not self.sees_mo(mo_id):
            raise NotFound(message)

    def ensure_pharmacy(self, pharmacy_id: uuid.UUID, message: str = PHARMACY_NOT_FOUND) -> None:
        if not self.sees_pharmacy(pharmacy_id):
            raise NotFound(message)

    def ensure_pharmacy_writable(self, pharmacy_id: uuid.UUID) -> None:
        """Stock moves and dispenses only in the caller's own pharmacy (or warehouse)."""
        if pharmacy_id not in self.pharmacy_writable:
            raise NotFound(PHARMACY_NOT_FOUND)

    def mo_condition(self, column: Any) -> Any | None:
        if self.mo_ids is None:
            return None
        return column.in_(self.mo_ids) if self.mo_ids else false()

    def pharmacy_condition(self, column: Any) -> Any | None:
        if self.pharmacy_ids is None:
            return None
        return column.in_(self.pharmacy_ids) if self.pharmacy_ids else false()


async def scope_of(session: AsyncSession, principal: Principal) -> PharmacyScope:
    org = principal.org_id
    kind = principal.org_type
    if kind in REGION_ORG_TYPES or principal.region_wide:
        return PharmacyScope(None, None, frozenset(), org)
    if kind == "mo" and org is not None:
        attached = await session.scalars(
            select(PharmacyAttachment.pharmacy_id).where(PharmacyAttachment.mo_id == org)
        )
        return PharmacyScope(frozenset({org}), frozenset(attached), frozenset(), org)
    if kind in {"pharmacy", "warehouse"} and org is not None:
        return PharmacyScope(frozenset(), frozenset({org}), frozenset({org}), org)
    return PharmacyScope(frozenset(), frozenset(), frozenset(), org)
