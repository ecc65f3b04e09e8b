"""The demo seed: a few hundred beneficiaries over the registry's demo persons, the demo patient
among them with the diabetes benefit; every federal category row refers to a real category."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from pharmacy.beneficiaries import service
from pharmacy.demo import DEMO_PATIENT_ID, demo_person_id, seed
from pharmacy.models import Beneficiary, InKindRefusal


async def test_the_demo_seeds_beneficiaries_over_the_registry_persons(session: AsyncSession) -> None:
    result = await seed(session)
    assert result["beneficiaries"] == 300
    assert await session.scalar(select(func.count()).select_from(Beneficiary)) >= 300
    assert (
        await session.scalar(select(func.count()).select_from(InKindRefusal))
        == result["in_kind_refusals"]
        > 0
    )
    # The registry's first demo person (import row 2): a UUIDv7-shaped id of the fixed import.
    first = demo_person_id(2)
    assert first.version == 7
    assert await session.scalar(select(Beneficiary.id).where(Beneficiary.person_id == first)) is not None

    reader = Principal(subject="pharmacist", org_id=uuid.uuid4(), roles=frozenset({"pharmacist"}))
    answer = await service.entitlement(session, reader, DEMO_PATIENT_ID, date.today(), diagnosis="E11.9")
    assert answer.entitled
    assert {c.code for c in answer.categories} == {"082", "r-diabetes"}
