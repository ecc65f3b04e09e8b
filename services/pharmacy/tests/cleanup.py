"""Removing what a test committed on its own connections (concurrency tests, consumers run
through the real inbox): every row reachable from the organizations, drugs and beneficiaries
the test created — prescriptions, stock, dispenses, reservations, deferred entries, trace
reports, control results, outbox events, the series counters it moved. Other tests count across
the whole database (the demo's invariants), so nothing of a committing test may stay behind."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

_STATEMENTS = [
    "DELETE FROM control_violation WHERE dispense_id = ANY(:dispenses)",
    "DELETE FROM control_result WHERE dispense_id = ANY(:dispenses) OR pharmacy_id = ANY(:orgs)",
    "DELETE FROM control_run WHERE pharmacy_id = ANY(:orgs)",
    "DELETE FROM control_act WHERE pharmacy_id = ANY(:orgs)",
    "DELETE FROM trace_report WHERE dispense_id = ANY(:dispenses) OR pharmacy_id = ANY(:orgs)",
    """DELETE FROM outbox_event
        WHERE envelope->'data'->>'prescription_id' = ANY(:prescription_texts)
           OR envelope->'data'->>'pharmacy_id' = ANY(:org_texts)
           OR envelope->'data'->>'drug_id' = ANY(:drug_texts)
           OR envelope->'data'->>'person_id' = ANY(:person_texts)""",
    "DELETE FROM dispense_item WHERE dispense_id = ANY(:dispenses) OR batch_id = ANY(:batches)",
    "DELETE FROM deferred_service WHERE prescription_id = ANY(:prescriptions) OR pharmacy_id = ANY(:orgs)",
    "DELETE FROM reservation WHERE prescription_id = ANY(:prescriptions) OR batch_id = ANY(:batches)",
    "DELETE FROM marked_package WHERE batch_id = ANY(:batches) OR pharmacy_id = ANY(:orgs)",
    "DELETE FROM dispense WHERE id = ANY(:dispenses)",
    """DELETE FROM inventory_line WHERE batch_id = ANY(:batches)
        OR document_id IN (SELECT id FROM stock_document WHERE pharmacy_id = ANY(:orgs))""",
    """DELETE FROM stock_movement WHERE batch_id = ANY(:batches) OR drug_id = ANY(:drugs)
        OR document_id IN (SELECT id FROM stock_document WHERE pharmacy_id = ANY(:orgs))""",
    "DELETE FROM stock_document WHERE pharmacy_id = ANY(:orgs)",
    "DELETE FROM stock_batch WHERE id = ANY(:batches)",
    "DELETE FROM prescription WHERE id = ANY(:prescriptions)",
    """DELETE FROM prescription_counter c WHERE c.series = ANY(:series)
        AND NOT EXISTS (SELECT 1 FROM prescription p WHERE p.series = c.series)""",
    "DELETE FROM drug_list_item WHERE drug_id = ANY(:drugs)",
    "DELETE FROM drug_gtin WHERE drug_id = ANY(:drugs)",
    "DELETE FROM drug WHERE id = ANY(:drugs)",
    "DELETE FROM entitlement WHERE beneficiary_id = ANY(:beneficiaries)",
    "DELETE FROM beneficiary_diagnosis WHERE beneficiary_id = ANY(:beneficiaries)",
    "DELETE FROM in_kind_refusal WHERE beneficiary_id = ANY(:beneficiaries)",
    "DELETE FROM beneficiary WHERE id = ANY(:beneficiaries)",
    "DELETE FROM audit_log WHERE person_id = ANY(:persons)",
    "DELETE FROM person_death WHERE person_id = ANY(:persons)",
    "DELETE FROM person_merge WHERE survivor_id = ANY(:persons) OR merged_id = ANY(:persons)",
    "DELETE FROM pharmacy_attachment WHERE mo_id = ANY(:orgs) OR pharmacy_id = ANY(:orgs)",
    "DELETE FROM organization WHERE id = ANY(:orgs)",
]


async def purge_in(
    session: AsyncSession,
    *,
    organizations: Iterable[uuid.UUID] = (),
    drugs: Iterable[uuid.UUID] = (),
    beneficiaries: Iterable[uuid.UUID] = (),
) -> None:
    orgs, drug_ids, beneficiary_ids = list(organizations), list(drugs), list(beneficiaries)
    persons = list(
        await session.scalars(
            text("SELECT person_id FROM beneficiary WHERE id = ANY(:b)"), {"b": beneficiary_ids}
        )
    )
    prescriptions = (
        await session.execute(
            text(
                """SELECT id, series FROM prescription
                    WHERE mo_id = ANY(:orgs) OR pharmacy_id = ANY(:orgs) OR drug_id = ANY(:drugs)
                       OR beneficiary_id = ANY(:beneficiaries) OR person_id = ANY(:persons)"""
            ),
            {"orgs": orgs, "drugs": drug_ids, "beneficiaries": beneficiary_ids, "persons": persons},
        )
    ).all()
    prescription_ids = [p.id for p in prescriptions]
    batches = list(
        await session.scalars(
            text("SELECT id FROM stock_batch WHERE pharmacy_id = ANY(:orgs) OR drug_id = ANY(:drugs)"),
            {"orgs": orgs, "drugs": drug_ids},
        )
    )
    dispenses = list(
        await session.scalars(
            text("SELECT id FROM dispense WHERE prescription_id = ANY(:p) OR pharmacy_id = ANY(:orgs)"),
            {"p": prescription_ids, "orgs": orgs},
        )
    )
    params = {
        "orgs": orgs,
        "drugs": drug_ids,
        "beneficiaries": beneficiary_ids,
        "persons": persons,
        "prescriptions": prescription_ids,
        "series": list({p.series for p in prescriptions}),
        "batches": batches,
        "dispenses": dispenses,
        "prescription_texts": [str(i) for i in prescription_ids],
        "org_texts": [str(i) for i in orgs],
        "drug_texts": [str(i) for i in drug_ids],
        "person_texts": [str(i) for i in persons],
    }
    for statement in _STATEMENTS:
        clause = text(statement)
        await session.execute(clause, {k: v for k, v in params.items() if f":{k}" in statement})


async def purge(
    database_url: str,
    *,
    organizations: Iterable[uuid.UUID] = (),
    drugs: Iterable[uuid.UUID] = (),
    beneficiaries: Iterable[uuid.UUID] = (),
) -> None:
    """Delete, in one committed transaction of its own, everything the test's roots reach."""
    engine = create_async_engine(database_url)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            await purge_in(session, organizations=organizations, drugs=drugs, beneficiaries=beneficiaries)
    finally:
        await engine.dispose()


@dataclass
class Committed:
    """The roots a committing test created, purged after it (the ``committed`` fixture)."""

    organizations: list[uuid.UUID] = field(default_factory=list)
    drugs: list[uuid.UUID] = field(default_factory=list)
    beneficiaries: list[uuid.UUID] = field(default_factory=list)

    async def purge(self, database_url: str) -> None:
        await purge(
            database_url,
            organizations=self.organizations,
            drugs=self.drugs,
            beneficiaries=self.beneficiaries,
        )
