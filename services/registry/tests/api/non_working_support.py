"""Persons written into the rolled-back test session the way the import writes them (rows of
the import format), for the tests of the non-working extract and of the exclusions."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.person_import_support import INSURER_CODE, MO_CODE
from tests.person_support import seed_document_types, seed_policy_types

from registry.models import Organization
from registry.models.mo_register import MoPassport, Territory
from registry.person_import.reference import load_reference
from registry.person_import.staging import Actor, write_batch
from registry.person_import.validation import validate_row

DISTRICT_OKTMO = "99610000"


async def seed_organizations(session: AsyncSession) -> uuid.UUID:
    """The insurer and the MO of ``person_row``; the MO lies in a territory. The MO's id."""
    await seed_document_types(session)
    await seed_policy_types(session)
    mo, territory = uuid.uuid4(), uuid.uuid4()
    session.add(Organization(id=uuid.uuid4(), name="СМО «Приозёрье-Мед»", kind="insurer", code=INSURER_CODE))
    session.add(Organization(id=mo, name="Поликлиника № 2", kind="mo", code=MO_CODE))
    session.add(
        Territory(
            id=territory, oktmo=DISTRICT_OKTMO, name="Заречный муниципальный район", kind="municipal_district"
        )
    )
    await session.flush()
    session.add(MoPassport(mo_id=mo, territory_id=territory, updated_by="test"))
    await session.flush()
    return mo


async def write_persons(session: AsyncSession, rows: list[dict[str, Any]]) -> list[uuid.UUID]:
    """The rows written as the import writes them (in the session's transaction); their ids."""
    ref = await load_reference(session, date.today())
    ids = [uuid.uuid4() for _ in rows]
    staged = [validate_row(row, ref, pid, n) for n, (row, pid) in enumerate(zip(rows, ids, strict=True), 1)]
    outcome = await write_batch(session, staged, Actor("test", "user", uuid.uuid4(), "test"))
    assert outcome.imported == len(rows), outcome
    return ids
