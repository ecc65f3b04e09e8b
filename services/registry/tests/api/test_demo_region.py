"""The synthetic region: deterministic, valid identifiers, realistic names; the demo seed loads
it through the import path with its duplicate labels, once."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.identifiers import enp_is_valid, snils_is_valid
from registry.demo import DEMO_PATIENT_ID, seed_persons
from registry.demo_region import planted, region_rows
from registry.demo_region.names import patronymic, surname_form
from registry.demo_region.people import Organizations
from registry.models import Organization, Person, PersonFact, PersonSearch
from registry.models.person_import import DemoPlantedDuplicate
from registry.nsi.shipped import load_shipped

ORGS = Organizations(insurers=["99001"], mos=["990001", "990002"], areas={})


def test_same_seed_same_region_and_the_first_persons_do_not_depend_on_its_size() -> None:
    small = list(region_rows(1000, 42, ORGS))
    again = list(region_rows(1000, 42, ORGS))
    larger = list(region_rows(5000, 42, ORGS))
    assert small == again
    assert small[:100] == larger[:100]
    assert list(region_rows(1000, 43, ORGS))[:10] != small[:10]


def test_rows_carry_valid_unique_identifiers_and_plausible_people() -> None:
    rows = [row for _, row in region_rows(3000, 1, ORGS)]
    snils = [r["snils"] for r in rows if r.get("snils")]
    enps = [r["enp"] for r in rows]
    assert all(snils_is_valid(s) for s in snils) and len(set(snils)) == len(snils)
    assert all(enp_is_valid(e) for e in enps) and len(set(enps)) == len(enps)
    documents = [
        (r["document_type"], r["document_series"], r["document_number"]) for r in rows if "document_type" in r
    ]
    assert len(set(documents)) == len(documents)
    children = [r for r in rows if "snils" in r and date.fromisoformat(r["birth_date"]) > date(2013, 1, 1)]
    assert children and all(r["document_type"] == "3" for r in children)  # birth certificates
    women = [r for r in rows if r["sex"] == "female" and "snils" in r]
    assert all(r["patronymic"].endswith(("вна", "чна")) for r in women)
    assert any("previous_surname" in r for r in women) and any("death_date" in r for r in rows)
    assert all(r["registration_address"].startswith("Приозёрская обл.") for r in rows)
    assert len(planted(3000, 1)) == 45


def test_name_forms() -> None:
    assert (
        surname_form("Покровский", "female") == "Покровская" and surname_form("Черных", "female") == "Черных"
    )
    assert surname_form("Соловьёв", "female") == "Соловьёва"
    assert patronymic("Сергей", "male") == "Сергеевич" and patronymic("Илья", "female") == "Ильинична"
    assert patronymic("Игорь", "female") == "Игоревна" and patronymic("Василий", "male") == "Васильевич"


async def test_demo_seed_loads_persons_with_labels_once(session: AsyncSession) -> None:
    await load_shipped(session)
    for kind, code in (("insurer", "99001"), ("mo", "990001"), ("mo", "990002"), ("tfoms", "99")):
        session.add(Organization(id=uuid.uuid4(), kind=kind, code=code, name=f"Демо {code}"))
    await session.flush()
    first = await seed_persons(session, 400)
    assert first["imported"] == 400 and first["rejected"] == 0 and first["planted_duplicates"] == 6
    persons = await session.scalar(select(func.count()).select_from(Person))
    assert persons == 401  # and the demo patient
    patient = await session.get(PersonSearch, DEMO_PATIENT_ID)
    assert patient is not None and patient.surname == "Иванов"
    attached = await session.scalar(
        select(func.count()).where(PersonFact.person_id == DEMO_PATIENT_ID, PersonFact.kind == "attachment")
    )
    assert attached == 1
    labels = (await session.execute(select(DemoPlantedDuplicate))).scalars().all()
    assert len(labels) == 6 and {label.distortion for label in labels} <= {
        "typo",
        "swapped_date",
        "transliterated",
        "maiden_name",
        "no_snils",
    }
    assert await seed_persons(session, 400) == {"already_seeded": True}
    assert await session.scalar(select(func.count()).select_from(Person)) == 401
