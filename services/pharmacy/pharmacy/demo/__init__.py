"""Demo data of the pharmacy for the embedded shape (``make run``): a few hundred beneficiaries
over the registry's demo persons (contract: ``oms_embedded.seed``; runs in the caller's
transaction, never commits, once per database), and the drug catalogue (``demo/catalogue.py``).

How the pharmacy knows the registry's demo persons without importing the registry: the
registry's demo gives them fixed ids — the demo patient ``uuid5(<gateway namespace>,
"person:patient")`` (the gateway's ``DEMO_PATIENT_PERSON_ID``) and the synthetic region's
persons the UUIDv7-shaped ids of its import (``registry.person_import.ids``: a prefix of the
fixed import time 2026-01-01 and the seed 20261123, then the row number from 2; the first 299
rows, so a small demo region of a few hundred persons has them all). Those ids are
the contract reproduced here (``demo_person_id``); the persons' data is the registry's
(``registry.person.registered`` is not published by the bulk import, and carries no more than
the id), so the names, birth dates, SNILS and policies written here as the federal register
would send them are synthetic (``demo/people.py``; the demo patient's are the registry's).

Then the supply (``demo/supply.py``): 30 pharmacies attached to the MOs, their stock with
marking codes, four months of prescriptions and dispensing, and the browser test's scenario
(``demo/scenario.py``)."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.demo.catalogue import seed_catalogue
from pharmacy.demo.people import DEMO_PATIENT_IDENTITY, identity
from pharmacy.demo.supply import seed_supply
from pharmacy.models import Beneficiary, BeneficiaryDiagnosis, Entitlement, InKindRefusal

DEMO_PATIENT_ID = uuid.uuid5(uuid.UUID("6f1c2a5e-3d4b-4c8e-9a7f-0b1d2e3f4a5b"), "person:patient")
REGION_SEED = 20261123
REGION_EPOCH_MS = int(datetime(2026, 1, 1).timestamp() * 1000)  # as the registry computes it
FIRST_ROW = 2
BENEFICIARIES = 300

# (category, share, diagnoses to pick from)
_MIX: list[tuple[str, int, tuple[str, ...]]] = [
    ("081", 6, ()),
    ("082", 14, ()),
    ("083", 14, ()),
    ("084", 4, ()),
    ("010", 2, ()),
    ("020", 2, ()),
    ("030", 6, ()),
    ("091", 2, ()),
    ("vzn-01", 1, ("D66",)),
    ("vzn-05", 2, ("C90.0", "C92.1")),
    ("vzn-06", 2, ("G35",)),
    ("vzn-07", 1, ("Z94.0",)),
    ("r-diabetes", 18, ("E10.9", "E11.9", "E11.6")),
    ("r-asthma", 8, ("J45.0", "J45.9")),
    ("r-oncology", 6, ("C50.9", "C34.1", "C18.7")),
    ("r-parkinson", 2, ("G20",)),
    ("r-epilepsy", 2, ("G40.9",)),
    ("r-child-3", 4, ()),
    ("r-home-front", 3, ()),
]


def demo_person_id(row_no: int) -> uuid.UUID:
    """The registry's id of the synthetic region's person of import row ``row_no``."""
    prefix = ((REGION_EPOCH_MS & 0xFFFF_FFFF_FFFF) << 16) | (0x7 << 12) | (REGION_SEED & 0xFFF)
    return uuid.UUID(int=(prefix << 64) | (0b10 << 62) | row_no)


def _document(rng: random.Random, category: str, start: date) -> dict[str, Any]:
    if category.startswith("08"):
        kind, issuer = "Справка МСЭ", "Бюро МСЭ № 3 по Приозёрской области"
    elif category.startswith(("0", "r-home")):
        kind, issuer = "Удостоверение", "Департамент социальной защиты Приозёрской области"
    else:
        kind, issuer = "Заключение врачебной комиссии", "ГБУЗ «Приозёрская ЦРБ»"
    return {
        "document_kind": kind,
        "document_series": None if category.startswith("r-") else "МСЭ-2019",
        "document_number": str(rng.randint(100000, 9999999)),
        "document_date": start - timedelta(days=rng.randint(1, 20)),
        "document_issuer": issuer,
    }


async def seed(session: AsyncSession) -> dict[str, Any]:
    rng = random.Random(REGION_SEED)  # noqa: S311 (demo data, reproducible)
    today = date.today()
    weights = [w for _, w, _ in _MIX]
    beneficiaries: list[dict[str, Any]] = []
    entitlements: list[dict[str, Any]] = []
    diagnoses: list[dict[str, Any]] = []
    refusals: list[dict[str, Any]] = []
    persons = [(DEMO_PATIENT_ID, ("r-diabetes", "082"))] + [
        (demo_person_id(FIRST_ROW + i), ()) for i in range(BENEFICIARIES - 1)
    ]
    for n, (person_id, fixed) in enumerate(persons):
        bid = uuid.uuid5(person_id, "pharmacy.beneficiary")
        patient = person_id == DEMO_PATIENT_ID
        other_region = not patient and rng.random() < 0.03
        beneficiaries.append(
            {
                "id": bid,
                "person_id": person_id,
                "surname": "Иванов" if patient else None,
                "first_name": "Иван" if patient else None,
                "patronymic": "Иванович" if patient else None,
                "birth_date": date(1980, 5, 14) if patient else None,
                "sex": "male" if patient else None,
                "home_region": "77" if other_region else None,
                "temporary_until": today + timedelta(days=90) if other_region else None,
                "source": "demo",
            }
        )
        codes = list(fixed) or [rng.choices([c for c, _, _ in _MIX], weights)[0]]
        if not fixed and rng.random() < 0.15:  # a second benefit
            codes.append(rng.choice(["r-diabetes", "083", "r-asthma"]))
        who = DEMO_PATIENT_IDENTITY if patient else identity(person_id, n, tuple(codes), today)
        beneficiaries[-1].update(
            surname=who.surname,
            first_name=who.first_name,
            patronymic=who.patronymic,
            birth_date=who.birth_date,
            sex=who.sex,
            snils=who.snils,
            enp=who.policy_number,
        )
        for code in dict.fromkeys(codes):
            start = today - timedelta(days=rng.randint(30, 2500))
            ended = not patient and rng.random() < 0.08
            entitlements.append(
                {
                    "id": uuid.uuid5(bid, code),
                    "beneficiary_id": bid,
                    "category_code": code,
                    "valid_from": start,
                    "valid_to": today - timedelta(days=rng.randint(1, 25)) if ended else None,
                    "source": "demo",
                    **_document(rng, code, start),
                }
            )
            icd = next((d for c, _, d in _MIX if c == code), ())
            if icd:
                diagnoses.append({"beneficiary_id": bid, "icd10": rng.choice(icd), "since": start})
            if code[0].isdigit() and not patient and rng.random() < 0.2 and n % 2:
                refusals.append({"beneficiary_id": bid, "year": today.year, "source": "demo"})
    await session.execute(insert(Beneficiary), beneficiaries)
    await session.execute(insert(Entitlement), entitlements)
    unique_diagnoses = list({(d["beneficiary_id"], d["icd10"]): d for d in diagnoses}.values())
    if unique_diagnoses:
        await session.execute(insert(BeneficiaryDiagnosis), unique_diagnoses)
    unique_refusals = list({r["beneficiary_id"]: r for r in refusals}.values())
    if unique_refusals:
        await session.execute(insert(InKindRefusal), unique_refusals)
    drugs = await seed_catalogue(session)
    supply = await seed_supply(session, today)
    return {
        "drugs": drugs,
        **supply,
        "beneficiaries": len(beneficiaries),
        "entitlements": len(entitlements),
        "diagnoses": len(unique_diagnoses),
        "in_kind_refusals": len(unique_refusals),
    }
