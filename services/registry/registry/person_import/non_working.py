"""The register of non-working insured persons on a date, for the payer's verification
(``GET /persons/non-working``): a keyset page at a time, each person in the columns of the
verification service's register file, from what the register holds now about the person on
the date (the reading of the register export, ``person_import.export``).

Who is in it: persons whose employment fact valid on ``on`` is ``non_working`` — a person with
no employment fact on ``on`` is not (the register does not know them to be non-working) — who
are insured on ``on`` and not dead before it. Region-wide principals only: the register is the
whole region's. Every person returned is audited in the request's transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Forbidden
from registry.person.schemas import EmploymentStatus, NonWorkingPage, NonWorkingPerson
from registry.person_import.export import LOWEST, ExportScope, fact_on, page_with_facts, rows_of

DEFAULT_LIMIT = 5000
MAX_LIMIT = 10_000
AUDIT_REASON = "verification.register"


async def non_working_page(
    session: AsyncSession, principal: Principal, *, on: date, after: uuid.UUID | None, limit: int
) -> NonWorkingPage:
    if not principal.region_wide:
        raise Forbidden("Реестр неработающих застрахованных лиц выдаётся только по всему региону")
    scope = ExportScope(on=on, employment=EmploymentStatus.non_working.value, insured_alive=True)
    ids, facts = await page_with_facts(session, scope, after or LOWEST, limit)
    await audit_access_many(
        session, principal, ids, action="read", resource="person.non_working", reason=AUDIT_REASON
    )
    items = _items(ids, facts, on)
    return NonWorkingPage(items=items, next_after=ids[-1] if len(ids) == limit else None)


def _items(ids: Sequence[uuid.UUID], facts: Sequence[Any], on: date) -> list[NonWorkingPerson]:
    by_person: dict[uuid.UUID, list[Any]] = {i: [] for i in ids}
    for f in facts:
        by_person[f["person_id"]].append(f)
    rows = rows_of(ids, facts, on, {})
    return [_item(i, row, by_person[i], on) for i, row in zip(ids, rows, strict=True)]


def _item(person_id: uuid.UUID, row: dict[str, Any], facts: Sequence[Any], on: date) -> NonWorkingPerson:
    return NonWorkingPerson(
        person_id=person_id,
        surname=row.get("surname"),
        first_name=row.get("first_name"),
        patronymic=row.get("patronymic"),
        birth_date=row.get("birth_date"),
        sex=row.get("sex"),
        snils=row.get("snils"),
        enp=row.get("enp"),
        doc_type=row.get("document_type"),
        doc_series=row.get("document_series"),
        doc_number=row.get("document_number"),
        address=row.get("registration_address"),
        district=_district(facts, on),
    )


def _district(facts: Sequence[Any], on: date) -> str | None:
    """The OKATO of the registration address on ``on``, else the OKTMO of the territory of the
    MO the person is attached to on ``on``."""
    registration = fact_on(facts, "address", on, "registration")
    okato = registration["data"].get("okato") if registration else None
    if okato:
        return str(okato)
    attachment = fact_on(facts, "attachment", on)
    return attachment["territory"] if attachment else None
