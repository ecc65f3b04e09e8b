"""The demo's drug supply, after the beneficiaries and the catalogue: which pharmacies serve
which MO, the pharmacies' stock with marking codes, ``MONTHS`` months of prescriptions and what
became of them, and the browser test's scenario at the demo pharmacy. Built in memory from
seeded random streams (the same rows for the same day), written in bulk in the caller's
transaction."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import add_events
from pharmacy.demo import prescriptions as rx
from pharmacy.demo import scenario
from pharmacy.demo.people import Identity
from pharmacy.demo.stock import (
    DEMO_MO_CODE,
    MO_CODES,
    REGION_TZ,
    StockBook,
    attachment_rows,
    attachments,
    stock_the_region,
)
from pharmacy.events.published import PrescriptionDispensed
from pharmacy.models import (
    Beneficiary,
    BeneficiaryDiagnosis,
    DeferredService,
    Dispense,
    DispenseItem,
    Drug,
    DrugGtin,
    DrugListItem,
    Entitlement,
    InKindRefusal,
    MarkedPackage,
    PharmacyAttachment,
    Prescription,
    PrescriptionCounter,
    Reservation,
    StockBatch,
    StockMovement,
)
from pharmacy.models.prescription import TraceReport

SEED = 20261124
DEMO_MO_PERSONS = 12  # beneficiaries of the demo doctor's MO besides the demo patient


async def _persons(session: AsyncSession, patient_id: uuid.UUID) -> list[rx.Person]:
    rows = (
        await session.execute(
            select(Beneficiary).where(Beneficiary.source == "demo").order_by(Beneficiary.person_id)
        )
    ).scalars()
    ents: dict[uuid.UUID, list[tuple[str, date, date | None]]] = defaultdict(list)
    for e in (await session.execute(select(Entitlement).where(Entitlement.source == "demo"))).scalars():
        ents[e.beneficiary_id].append((e.category_code, e.valid_from, e.valid_to))
    diagnoses: dict[uuid.UUID, list[str]] = defaultdict(list)
    for b_id, icd in await session.execute(
        select(BeneficiaryDiagnosis.beneficiary_id, BeneficiaryDiagnosis.icd10)
    ):
        diagnoses[b_id].append(icd)
    refusals: dict[uuid.UUID, set[int]] = defaultdict(set)
    for b_id, year in await session.execute(select(InKindRefusal.beneficiary_id, InKindRefusal.year)):
        refusals[b_id].add(year)
    persons = []
    for b in rows:
        if b.person_id is None or b.surname is None or b.birth_date is None:
            continue
        persons.append(
            rx.Person(
                beneficiary_id=b.id,
                person_id=b.person_id,
                identity=Identity(
                    b.surname,
                    b.first_name or "",
                    b.patronymic or "",
                    b.birth_date,
                    b.sex or "",
                    b.snils or "",
                    b.enp or "",
                ),
                entitlements=tuple(sorted(ents[b.id], key=lambda e: (e[1], e[0]))),
                diagnoses=tuple(sorted(diagnoses[b.id])),
                refused_years=frozenset(refusals[b.id]),
                record=f"{random.Random(b.person_id.int).randint(1000, 99999)}/{b.birth_date:%y}",  # noqa: S311
            )
        )
    # the demo patient first
    persons.sort(key=lambda p: (p.person_id != patient_id, str(p.person_id)))
    return persons


def _by_mo(persons: list[rx.Person]) -> dict[str, list[rx.Person]]:
    out: dict[str, list[rx.Person]] = defaultdict(list)
    for i, person in enumerate(persons):
        mo = DEMO_MO_CODE if i <= DEMO_MO_PERSONS else MO_CODES[i % len(MO_CODES)]
        out[mo].append(person)
    return out


async def _insert(session: AsyncSession, model: Any, rows: list[dict[str, Any]], chunk: int = 5000) -> None:
    for i in range(0, len(rows), chunk):
        await session.execute(insert(model), rows[i : i + chunk])


async def _publish_dispenses(
    session: AsyncSession, dispenses: list[dict[str, Any]], prescriptions: dict[uuid.UUID, dict[str, Any]]
) -> None:
    """The history's dispenses go out as ``pharmacy.prescription.dispensed``, as the counter's
    would have, so finance's drug spending by MO and funding source has the demo's months."""
    await add_events(
        session,
        (
            (
                PrescriptionDispensed(
                    prescription_id=d["prescription_id"],
                    pharmacy_id=d["pharmacy_id"],
                    mo_id=d["mo_id"],
                    dispensed_at=d["dispensed_at"],
                    funding_source=d["funding_source"],
                    amount=d["amount"],
                    drug_inn=prescriptions[d["prescription_id"]]["inn"],
                    dispense_id=d["id"],
                    quantity=d["quantity"],
                ),
                str(d["prescription_id"]),
            )
            for d in dispenses
        ),
        source="pharmacy",
    )


async def seed_supply(session: AsyncSession, today: date, *, now: datetime | None = None) -> dict[str, Any]:
    from pharmacy.demo import DEMO_PATIENT_ID

    now = now or datetime.now(REGION_TZ)
    rng = random.Random(SEED)  # noqa: S311 (demo data, reproducible)
    start = today - timedelta(days=rx.MONTHS * 30 + 10)
    attached = attachments(rng)
    book = StockBook(rng=rng, today=today)
    stock_the_region(book, start)

    persons = await _persons(session, DEMO_PATIENT_ID)
    drafts = rx.history(rng, _by_mo(persons), today)
    last_numbers = rx.number(drafts)
    outcomes = rx.live(rng, drafts, book, attached, today, now)

    scenario.stock(book, today)
    patient = next(p for p in persons if p.person_id == DEMO_PATIENT_ID)
    diagnosis = next((d for d in patient.diagnoses if d.startswith("E1")), "E11.9")
    scenario_drafts = scenario.prescriptions(patient, diagnosis, today, now)
    assert last_numbers.get(scenario.SERIES) == rx.DEMO_MO_HISTORY, last_numbers.get(scenario.SERIES)
    last_numbers[scenario.SERIES] = scenario.LAST_NUMBER
    drafts += scenario_drafts

    drug, gtin, listed = scenario.catalogue_rows()
    await _insert(session, Drug, [drug])
    await _insert(session, DrugGtin, [gtin])
    await _insert(session, DrugListItem, [listed])
    await _insert(session, PharmacyAttachment, attachment_rows(attached))
    await _insert(session, StockBatch, book.batch_rows())
    await _insert(session, MarkedPackage, list(book.packages.values()))
    await _insert(session, Prescription, [d.row for d in drafts])
    await _insert(session, StockMovement, book.movements)
    await _insert(session, Reservation, outcomes.reservations)
    await _insert(session, Dispense, outcomes.dispenses)
    await _publish_dispenses(session, outcomes.dispenses, {d.row["id"]: d.row for d in drafts})
    await _insert(session, DispenseItem, outcomes.items)
    await _insert(session, DeferredService, outcomes.deferred)
    await _insert(session, TraceReport, outcomes.reports, chunk=1000)
    await _insert(
        session,
        PrescriptionCounter,
        [{"series": s, "last_number": n} for s, n in sorted(last_numbers.items())],
    )
    statuses: dict[str, int] = defaultdict(int)
    for d in drafts:
        statuses[d.row["status"]] += 1
    return {
        "pharmacy_attachments": sum(len(v) for v in attached.values()),
        "stock_batches": len(book.batches),
        "marked_packages": len(book.packages),
        "prescriptions": len(drafts),
        "prescriptions_by_status": dict(sorted(statuses.items())),
        "dispenses": len(outcomes.dispenses),
        "reservations": len(outcomes.reservations),
        "deferred": len(outcomes.deferred),
    }
