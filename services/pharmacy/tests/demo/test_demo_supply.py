"""The demo's supply: stock with real-shaped marking codes, months of prescriptions and their
dispensing, and the browser test's scenario — consistent with each other and with the rules."""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.demo import DEMO_PATIENT_ID, scenario, seed
from pharmacy.demo.stock import (
    DEMO_DRUGS,
    MO_CODES,
    PHARMACY_CODES,
    REGION_TZ,
    StockBook,
    attachments,
    org_id,
    scan_text,
    stock_the_region,
)
from pharmacy.dispensing.checks import prescription_violations
from pharmacy.marking.gs1 import parse_marking_code
from pharmacy.models import (
    Dispense,
    Drug,
    MarkedPackage,
    PharmacyAttachment,
    Prescription,
    StockBatch,
)
from pharmacy.models.prescription import TraceReport


async def _seeded(session: AsyncSession) -> dict[str, Any]:
    return await seed(session)


# One seed (a few seconds) per test: the invariants are checked on one seeded region each.


async def test_the_region_is_consistent(session: AsyncSession) -> None:
    seeded = await _seeded(session)
    await _seed_fills_the_region(seeded, session)
    await _stock_balances_are_the_sum_of_movements(seeded, session)
    await _dispenses_are_consistent(seeded, session)
    await _numbers_are_consecutive_per_series_and_the_counter_is_at_the_last(seeded, session)
    await _marking_codes_are_real_shaped(seeded, session)
    await _every_dispense_is_published_for_finance(seeded, session)


async def test_the_history_passes_the_checks_and_the_browser_scenario_is_ready(session: AsyncSession) -> None:
    seeded = await _seeded(session)
    await _dispensed_history_passes_the_checks_on_its_day(seeded, session)
    await _the_browser_scenario_is_ready_at_the_demo_pharmacy(seeded, session)


async def _every_dispense_is_published_for_finance(seeded: dict[str, Any], session: AsyncSession) -> None:
    """One ``pharmacy.prescription.dispensed`` per dispense of the history, with its amount and
    prescribing MO, so finance's drug spending has the demo's months."""
    events = await _rows(
        session,
        "SELECT envelope->'data' FROM outbox_event WHERE type = 'pharmacy.prescription.dispensed'",
    )
    assert len(events) == seeded["dispenses"]
    by_prescription = {uuid.UUID(e[0]["prescription_id"]): e[0] for e in events}
    for d in (await session.scalars(select(Dispense))).all():
        payload = by_prescription[d.prescription_id]
        assert Decimal(payload["amount"]) == d.amount and uuid.UUID(payload["mo_id"]) == d.mo_id
        assert payload["funding_source"] == d.funding_source and payload["drug_inn"]


async def _rows(session: AsyncSession, sql: str, **params: Any) -> list[Any]:
    return list((await session.execute(text(sql), params)).all())


async def _seed_fills_the_region(seeded: dict[str, Any], session: AsyncSession) -> None:
    assert seeded["stock_batches"] > 1000 and seeded["marked_packages"] > 10_000
    statuses = seeded["prescriptions_by_status"]
    assert set(statuses) == {"issued", "dispensed", "cancelled", "expired", "deferred"}
    assert statuses["dispensed"] > sum(statuses.values()) / 2
    assert seeded["reservations"] >= 3
    # Counted among the demo's own pharmacies: other tests may have committed stock elsewhere.
    demo_pharmacies = [org_id("pharmacy", code) for code in PHARMACY_CODES]
    pharmacies = await session.scalar(
        select(func.count(func.distinct(StockBatch.pharmacy_id))).where(
            StockBatch.pharmacy_id.in_(demo_pharmacies)
        )
    )
    assert pharmacies == 30
    per_mo = await _rows(
        session,
        "SELECT mo_id, count(*) FROM pharmacy_attachment WHERE mo_id = ANY(:mos) GROUP BY mo_id",
        mos=[org_id("mo", code) for code in MO_CODES],
    )
    assert len(per_mo) == 50 and all(3 <= n <= 6 for _, n in per_mo)
    demo_mo = set(
        await session.scalars(
            select(PharmacyAttachment.pharmacy_id).where(PharmacyAttachment.mo_id == org_id("mo", "990001"))
        )
    )
    assert {org_id("pharmacy", "990101"), org_id("pharmacy", "990102")} <= demo_mo


async def _stock_balances_are_the_sum_of_movements(seeded: dict[str, Any], session: AsyncSession) -> None:
    # the batch's quantity is the sum of its movements, and each movement's balance_after the
    # running sum in time order (the stock card); the receipt comes first
    wrong = await _rows(
        session,
        """
        WITH card AS (
          SELECT m.batch_id, m.kind, m.balance_after,
                 sum(m.quantity) OVER (PARTITION BY m.batch_id ORDER BY m.booked_at, m.id) AS running,
                 row_number() OVER (PARTITION BY m.batch_id ORDER BY m.booked_at, m.id) AS n
          FROM stock_movement m)
        SELECT batch_id FROM card WHERE running <> balance_after OR (n = 1 AND kind <> 'receipt')
        UNION
        SELECT b.id FROM stock_batch b
        LEFT JOIN stock_movement m ON m.batch_id = b.id
        GROUP BY b.id, b.quantity HAVING b.quantity <> coalesce(sum(m.quantity), -1)
        """,
    )
    assert wrong == []
    # packages held (in stock or reserved) and reserved agree with the batch of a marked drug
    # (an unmarked one — the scenario's test strips — has no packages, only its count)
    mismatched = await _rows(
        session,
        """
        SELECT b.id FROM stock_batch b
        JOIN drug g ON g.id = b.drug_id AND g.marked
        LEFT JOIN marked_package p ON p.batch_id = b.id
        GROUP BY b.id, b.quantity, b.reserved
        HAVING b.quantity <> count(*) FILTER (WHERE p.status IN ('in_stock', 'reserved'))
            OR b.reserved <> count(*) FILTER (WHERE p.status = 'reserved')
        """,
    )
    assert mismatched == []
    # a few drugs are low, a few batches expire within 30 days, one or two expired await write-off
    today = date.today()
    low = await session.scalar(
        select(func.count()).where(
            StockBatch.low_threshold.is_not(None), StockBatch.quantity <= StockBatch.low_threshold
        )
    )
    soon = await session.scalar(
        select(func.count()).where(StockBatch.expiry_date.between(today, today + timedelta(days=30)))
    )
    expired = await session.scalar(
        select(func.count()).where(StockBatch.expiry_date < today, StockBatch.quantity > 0)
    )
    assert (low or 0) > 0 and (soon or 0) > 10 and expired in (1, 2)


async def _dispenses_are_consistent(seeded: dict[str, Any], session: AsyncSession) -> None:
    # every dispensed package once, marked dispensed by its dispense, booked out by it
    assert (
        await _rows(
            session,
            """
            SELECT i.sgtin FROM dispense_item i JOIN marked_package p ON p.sgtin = i.sgtin
            WHERE p.status <> 'dispensed' OR p.dispense_id <> i.dispense_id OR p.batch_id <> i.batch_id
            """,
        )
        == []
    )
    dispensed = await session.scalar(select(func.count()).where(MarkedPackage.status == "dispensed"))
    items = await session.scalar(text("SELECT count(DISTINCT sgtin) FROM dispense_item"))
    assert dispensed == items
    # amount = Σ unit prices; quantity as prescribed; the drug of the prescribed МНН/form/dosage;
    # within validity; the prescription says dispensed at that pharmacy
    bad = await _rows(
        session,
        """
        SELECT d.id FROM dispense d
        JOIN prescription p ON p.id = d.prescription_id
        JOIN drug g ON g.id = d.drug_id
        JOIN (SELECT dispense_id, sum(unit_price) AS total, count(*) AS n FROM dispense_item
              GROUP BY dispense_id) i ON i.dispense_id = d.id
        WHERE i.total <> d.amount OR i.n <> d.quantity OR d.quantity <> p.quantity
           OR g.inn <> p.inn OR g.dosage_form <> p.dosage_form OR g.dosage <> p.dosage
           OR (d.dispensed_at AT TIME ZONE 'Europe/Moscow')::date NOT BETWEEN p.issued_on AND p.valid_until
           OR d.dispensed_at < p.created_at
           OR p.status <> 'dispensed' OR p.pharmacy_id <> d.pharmacy_id
           OR d.funding_source <> p.funding_source
        """,
    )
    assert bad == []
    assert (
        await _rows(
            session,
            """
            SELECT d.id FROM dispense d LEFT JOIN trace_report t ON t.dispense_id = d.id
            WHERE t.id IS NULL OR t.status <> 'accepted'
            """,
        )
        == []
    )
    report = await session.scalar(select(TraceReport).limit(1))
    assert report is not None and 'action_id="521"' in report.document


async def _numbers_are_consecutive_per_series_and_the_counter_is_at_the_last(
    seeded: dict[str, Any], session: AsyncSession
) -> None:
    rows = await _rows(
        session,
        """
        SELECT p.series, count(*), min(p.number), max(p.number), c.last_number
        FROM prescription p LEFT JOIN prescription_counter c ON c.series = p.series
        GROUP BY p.series, c.last_number
        """,
    )
    assert len(rows) == 50
    for series, n, low, high, last in rows:
        assert series.startswith("99") and len(series) == 7
        assert (low, high) == (1, n) and last == high, series
    demo_series = next(r for r in rows if r[0] == scenario.SERIES)
    assert demo_series[3] == scenario.LAST_NUMBER


async def _marking_codes_are_real_shaped(seeded: dict[str, Any], session: AsyncSession) -> None:
    packages = (await session.scalars(select(MarkedPackage).order_by(MarkedPackage.sgtin).limit(400))).all()
    assert packages
    for p in packages:
        assert p.crypto_key is not None and p.crypto_code is not None
        code = parse_marking_code(scan_text(p.gtin, p.serial, p.crypto_key, p.crypto_code))
        assert code.sgtin == p.sgtin and len(p.serial) == 13 and len(p.crypto_code) == 44
    gtins = {g for (g,) in await _rows(session, "SELECT DISTINCT gtin FROM marked_package")}
    assert gtins <= {d.gtin for d in DEMO_DRUGS}


async def _dispensed_history_passes_the_checks_on_its_day(
    seeded: dict[str, Any], session: AsyncSession
) -> None:
    """The medico-economic control re-runs the checks: the demo's history is clean."""
    sample = (
        await session.execute(
            select(Prescription, Dispense)
            .join(Dispense, Dispense.prescription_id == Prescription.id)
            .order_by(Prescription.series, Prescription.number)
            .limit(40)
        )
    ).all()
    assert len(sample) == 40
    for p, d in sample:
        drug = await session.get(Drug, d.drug_id)
        day = d.dispensed_at.astimezone(REGION_TZ).date()
        found = await prescription_violations(session, p, on=day, drug=drug, quantity=d.quantity)
        assert found == [], (p.series, p.number, found)


async def _the_browser_scenario_is_ready_at_the_demo_pharmacy(
    seeded: dict[str, Any], session: AsyncSession
) -> None:
    pharmacy = org_id("pharmacy", "990101")
    today = date.today()

    async def prescription(designation: tuple[str, int]) -> Prescription:
        found = await session.scalar(
            select(Prescription).where(
                Prescription.series == designation[0], Prescription.number == designation[1]
            )
        )
        assert found is not None and found.person_id == DEMO_PATIENT_ID and found.status == "issued"
        return found

    ready = await prescription(scenario.READY)
    drug = await session.get(Drug, ready.drug_id)
    assert await prescription_violations(session, ready, on=today, drug=drug, quantity=ready.quantity) == []
    for raw in scenario.READY_CODES:
        code = parse_marking_code(raw)
        package = await session.get(MarkedPackage, code.sgtin)
        assert package is not None and package.status == "in_stock" and package.pharmacy_id == pharmacy
        assert package.crypto_code == code.crypto

    last = await prescription(scenario.LAST_PACKAGE)
    held = await _rows(
        session,
        """
        SELECT p.sgtin FROM marked_package p JOIN stock_batch b ON b.id = p.batch_id
        JOIN drug g ON g.id = b.drug_id
        WHERE b.pharmacy_id = :ph AND g.inn = :inn AND p.status = 'in_stock'
        """,
        ph=pharmacy,
        inn=last.inn,
    )
    assert [s for (s,) in held] == [parse_marking_code(scenario.LAST_PACKAGE_CODE).sgtin]

    none = await prescription(scenario.NO_STOCK)
    assert (
        await _rows(
            session,
            """
            SELECT b.id FROM stock_batch b JOIN drug g ON g.id = b.drug_id
            WHERE b.pharmacy_id = :ph AND g.inn = :inn AND b.quantity > 0
            """,
            ph=pharmacy,
            inn=none.inn,
        )
        == []
    )

    strips = await prescription(scenario.UNMARKED)
    drug = await session.get(Drug, strips.drug_id)
    assert drug is not None and drug.marked is False
    assert await prescription_violations(session, strips, on=today, drug=drug, quantity=strips.quantity) == []
    batches = (
        await session.execute(
            select(StockBatch.quantity, StockBatch.funding_source, StockBatch.expiry_date)
            .where(StockBatch.pharmacy_id == pharmacy, StockBatch.drug_id == drug.id)
            .order_by(StockBatch.expiry_date)
        )
    ).all()
    assert [(q, f) for q, f, _ in batches] == [(3, strips.funding_source), (10, strips.funding_source)]
    assert all(expiry > today for _, _, expiry in batches)


def test_the_stock_is_reproducible() -> None:
    today = date(2026, 11, 24)

    def build() -> StockBook:
        rng = random.Random(1)
        attachments(rng)
        book = StockBook(rng=rng, today=today)
        stock_the_region(book, today - timedelta(days=130))
        return book

    first, second = build(), build()
    assert list(first.packages) == list(second.packages)
    assert [m["balance_after"] for m in first.movements] == [m["balance_after"] for m in second.movements]
    assert len(MO_CODES) == 50
