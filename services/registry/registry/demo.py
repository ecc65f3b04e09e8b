"""Demo data of the registry for the embedded shape (``make run``): the shipped NSI
dictionaries, the MO register (registry.mo_register.demo) and the register of insured persons
of the synthetic region (registry.demo_region; ``OMS_REGISTRY_DEMO_PERSONS`` of them, 200,000
by default) with the demo patient. Idempotent; runs in the caller's transaction and never
commits."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.config import Settings
from registry.demo_region.loading import DEMO_ACTOR, DEMO_REASON, load_region, same_session
from registry.mo_register.demo import publish_mo_snapshots, seed_mo_register
from registry.models import Organization, Person
from registry.nsi.shipped import load_shipped
from registry.person_import.reference import load_reference
from registry.person_import.staging import Actor, write_batch
from registry.person_import.validation import validate_row

# The gateway's demo patient (gateway.demo.DEMO_PATIENT_PERSON_ID: uuid5 of its namespace and
# "person:patient"); the login «patient» sees this person's data.
DEMO_PATIENT_ID = uuid.uuid5(uuid.UUID("6f1c2a5e-3d4b-4c8e-9a7f-0b1d2e3f4a5b"), "person:patient")
DEMO_PATIENT = {
    "surname": "Иванов",
    "first_name": "Иван",
    "patronymic": "Иванович",
    "birth_date": "1980-05-14",
    "sex": "male",
    "birth_place": "г. Приозёрск, Приозёрская обл.",
    "snils": "11223344595",
    "enp": "9999000000000012",
    "document_type": "14",
    "document_series": "99 05",
    "document_number": "123456",
    "document_issue_date": "2005-06-01",
    "registration_address": "Приозёрская обл., г. Приозёрск, ул. Ленина, д. 1, кв. 1",
    "insurer": "99001",
    "policy_type": "3",
    "policy_number": "9999000000000012",
    "insurance_from": "2011-05-01",
    "mo": "990001",
    "area_code": "01",
    "attached_from": "2020-01-15",
    "attachment_method": "application",
    "employment_status": "working",
    "employment_from": "2005-09-01",
}


async def seed(session: AsyncSession) -> dict[str, Any]:
    return {
        "nsi": await load_shipped(session),
        "mo_register": await seed_mo_register(session),
        "persons": await seed_persons(session, Settings().demo_persons),
        # After the persons: each MO's snapshot with its attached persons, for finance.
        "mo_snapshots": await publish_mo_snapshots(session),
    }


async def seed_persons(session: AsyncSession, count: int) -> dict[str, Any]:
    """The demo patient and ``count`` persons of the region, once (nothing if the patient is
    already in the register)."""
    if await session.get(Person, DEMO_PATIENT_ID) is not None:
        return {"already_seeded": True}
    tfoms = await session.scalar(select(Organization.id).where(Organization.kind == "tfoms").limit(1))
    actor_org = tfoms or uuid.uuid5(DEMO_PATIENT_ID, "tfoms")
    ref = await load_reference(session, date.today())
    patient = DEMO_PATIENT | {
        "insurer": DEMO_PATIENT["insurer"] if "99001" in ref.insurers else None,
        "mo": DEMO_PATIENT["mo"] if "990001" in ref.mos else None,
    }
    if patient["insurer"] is None:
        patient |= {"policy_type": None, "policy_number": None, "insurance_from": None}
    if patient["mo"] is None:
        patient |= {"area_code": None, "attached_from": None, "attachment_method": None}
    actor = Actor(DEMO_ACTOR, "user", actor_org, DEMO_REASON)
    await write_batch(session, [validate_row(patient, ref, DEMO_PATIENT_ID, 1)], actor)
    loaded = await load_region(session, same_session(session), count=count, actor_org_id=actor_org)
    return loaded.as_dict()
