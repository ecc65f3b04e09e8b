"""Pharmacy — the medico-economic control over a month of the region's dispenses:

    .tools/bin/uv run --frozen python benchmarks/bench_pharmacy_control.py [--pharmacies 30]
        [--dispenses 20000] [--chunk N] [--once] [--json FILE]

1. A scratch database with pharmacy's migrations; ``--pharmacies`` pharmacies with a federal
   batch each, a drug of the ОНЛС list and one on no list, a beneficiary of category 082 per
   four dispenses, and ``--dispenses`` dispenses of October 2026 (one marked package each, its
   МДЛП report) written straight into the tables with bulk inserts — as the control judges what
   was recorded. Planted (a fixed seed, so the counts are the same on every run): 2 % dispensed
   after the prescription's term, 1 % of the persons dead mid-month, 1 % merged into another
   person (the prescription names the merged id), 2 % of a drug on no list, 0.5 % a number also
   dispensed in another pharmacy, 1 % an amount ≠ Σ prices, 2 % not reported to МДЛП, 1 %
   rejected.
2. The control run of the month over the whole region, through the job handler
   (``pharmacy.control.jobs.run_job``: a transaction per chunk, progress per chunk) with a
   context that opens real transactions.
3. Checks: one result per dispense, the run's ``checked`` = dispenses, each planted kind found
   at least as often as planted; then (unless ``--once``) a second run gives the same counts
   and still one result per dispense (idempotent).

Prints one JSON document: dispenses/s, wall time, the counts by violation code, the load
average before and after (the machine is shared). No timing assertions."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import random
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name
from pharmacy.control import jobs, service
from pharmacy.models import (
    Beneficiary,
    ControlResult,
    ControlRun,
    Dispense,
    DispenseItem,
    Drug,
    DrugListItem,
    Entitlement,
    Organization,
    PersonDeath,
    PersonMerge,
    Prescription,
    StockBatch,
)
from pharmacy.models.prescription import TraceReport

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "pharmacy"
PRICE = Decimal("187.40")
FROM, TO = date(2026, 10, 1), date(2026, 10, 31)
ROWS = 5000  # rows per INSERT


async def _insert(s: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), ROWS):
        await s.execute(insert(table), rows[start : start + ROWS])


async def fill(engine: AsyncEngine, pharmacies: int, dispenses: int) -> dict[str, int]:
    """The month's dispenses and what they are judged against; returns the planted counts."""
    rnd = random.Random(20261001)
    planted = dict.fromkeys(
        ("expired", "dead", "merged", "off_list", "duplicate", "overcharged", "unreported", "rejected"), 0
    )
    pharmacy_ids = [uuid.uuid4() for _ in range(pharmacies)]
    drug_id, off_list_id = uuid.uuid4(), uuid.uuid4()
    batch_of = {ph: uuid.uuid4() for ph in pharmacy_ids}
    people = max(1, dispenses // 4)
    persons = [(uuid.uuid4(), uuid.uuid4()) for _ in range(people)]  # (beneficiary, person)
    dead = set(rnd.sample(range(people), people // 100))
    merged = {i: uuid.uuid4() for i in rnd.sample(sorted(set(range(people)) - dead), people // 100)}
    async with AsyncSession(engine) as s, s.begin():
        await _insert(
            s,
            Organization,
            [
                {"id": ph, "kind": "pharmacy", "code": f"98{i:04d}", "name": f"Аптека № {i + 1}"}
                for i, ph in enumerate(pharmacy_ids)
            ],
        )
        await _insert(
            s,
            Drug,
            [
                {
                    "id": d,
                    "inn": inn,
                    "trade_name": trade,
                    "dosage_form": "таблетки",
                    "dosage": "500 мг",
                    "package_quantity": 60,
                    "marked": True,
                    "valid_from": date(2020, 1, 1),
                }
                for d, inn, trade in (
                    (drug_id, "Метформин", "Глюкофаж"),
                    (off_list_id, "Контролин", "Контролин вне перечня"),
                )
            ],
        )
        await s.execute(insert(DrugListItem).values(drug_list_code="onls", drug_id=drug_id))
        await _insert(
            s,
            StockBatch,
            [
                {
                    "id": b,
                    "pharmacy_id": ph,
                    "drug_id": drug_id,
                    "series": f"B{i}",
                    "expiry_date": date(2028, 1, 1),
                    "funding_source": "federal",
                    "unit_price": PRICE,
                    "quantity": 0,
                    "reserved": 0,
                }
                for i, (ph, b) in enumerate(batch_of.items())
            ],
        )
        await _insert(
            s,
            Beneficiary,
            [
                {
                    "id": b,
                    "person_id": person,
                    "surname": "Контролев",
                    "first_name": "Иван",
                    "birth_date": date(1950, 1, 1),
                    "sex": "male",
                    "source": "manual",
                }
                for b, person in persons
            ],
        )
        await _insert(
            s,
            Entitlement,
            [
                {
                    "beneficiary_id": b,
                    "category_code": "082",
                    "valid_from": date(2020, 1, 1),
                    "source": "manual",
                }
                for b, _ in persons
            ],
        )
        now = datetime.now(UTC)
        await _insert(
            s,
            PersonDeath,
            [{"person_id": persons[i][1], "death_date": date(2026, 10, 15), "event_time": now} for i in dead],
        )
        # the merged id is the one the prescriptions name; the beneficiary stays the survivor's
        await _insert(
            s,
            PersonMerge,
            [
                {"merge_id": uuid.uuid4(), "survivor_id": persons[i][1], "merged_id": m, "event_time": now}
                for i, m in merged.items()
            ],
        )
        prescriptions: list[dict[str, Any]] = []
        rows: list[dict[str, Any]] = []
        items: list[dict[str, Any]] = []
        reports: list[dict[str, Any]] = []
        series_of: list[str] = []
        copied: set[int] = set()
        for n in range(dispenses):
            k = n % pharmacies
            ph = pharmacy_ids[k]
            i = rnd.randrange(people)
            b_id, person = persons[i]
            if i in merged:
                person = merged[i]
                planted["merged"] += 1
            if i in dead:
                planted["dead"] += 1
            day = FROM + timedelta(days=rnd.randrange(31))
            r = rnd.random()
            issued = day - timedelta(days=rnd.randrange(0, 10))
            valid_until = issued + timedelta(days=30)
            if r < 0.02 and day > date(2026, 10, 2):
                issued, valid_until = date(2026, 9, 1), date(2026, 9, 30)
                planted["expired"] += 1
            series, number = f"77{k:03d}", n + 1
            other = n - 1 - (n % (pharmacies - 1) if pharmacies > 1 else 0)
            if 0.02 <= r < 0.025 and n >= pharmacies and other not in copied and "-" not in series_of[other]:
                # the number of an earlier prescription of another pharmacy (its series printed
                # with a dash), dispensed here too
                copied.add(other)
                series = f"{series_of[other][:2]}-{series_of[other][2:]}"
                number = prescriptions[other]["number"]
                if rows[other]["pharmacy_id"] != ph:
                    planted["duplicate"] += 1
            series_of.append(series)
            off_list = 0.03 <= r < 0.05
            planted["off_list"] += off_list and i not in dead  # the dead: «person_dead» instead
            pid, did = uuid.uuid4(), uuid.uuid4()
            prescriptions.append(
                {
                    "id": pid,
                    "form": "148-1/у-04(л)",
                    "series": series,
                    "number": number,
                    "mo_id": uuid.uuid5(uuid.NAMESPACE_URL, f"bench-mo:{n % 20}"),
                    "mo_code": "12345",
                    "doctor_subject": "doctor",
                    "doctor_name": "Иванов И. И.",
                    "person_id": person,
                    "beneficiary_id": b_id,
                    "category_code": "082",
                    "funding_source": "federal",
                    "diagnosis_code": "E11.9",
                    "inn": "Метформин",
                    "dosage_form": "таблетки",
                    "dosage": "500 мг",
                    "quantity": 1,
                    "signa": "по 1 таблетке 2 раза в день",
                    "issued_on": issued,
                    "validity_basis": "standard",
                    "valid_until": valid_until,
                    "patient_full_name": "Контролев Иван",
                    "patient_birth_date": date(1950, 1, 1),
                    "patient_snils": "11223344595",
                    "patient_policy_number": "7700000000000001",
                    "medical_record_number": "МК-1",
                    "status": "dispensed",
                    "pharmacy_id": ph,
                }
            )
            overcharged = 0.05 <= r < 0.06
            planted["overcharged"] += overcharged
            rows.append(
                {
                    "id": did,
                    "prescription_id": pid,
                    "pharmacy_id": ph,
                    "mo_id": prescriptions[-1]["mo_id"],
                    "pharmacist_subject": "pharmacist",
                    "dispensed_at": datetime(day.year, day.month, day.day, 12, 0, tzinfo=UTC),
                    "quantity": 1,
                    "amount": PRICE + Decimal("10.00") if overcharged else PRICE,
                    "funding_source": "federal",
                    "drug_id": off_list_id if off_list else drug_id,
                }
            )
            sgtin = f"04607000000000{n:013d}"
            items.append(
                {
                    "id": uuid.uuid4(),
                    "dispense_id": did,
                    "batch_id": batch_of[ph],
                    "sgtin": sgtin,
                    "unit_price": PRICE,
                }
            )
            if 0.06 <= r < 0.08:
                planted["unreported"] += 1
                continue
            status = "rejected" if 0.08 <= r < 0.09 else "accepted"
            planted["rejected"] += status == "rejected"
            reports.append(
                {
                    "id": uuid.uuid4(),
                    "idempotency_key": f"dispense_by_prescription-{did}",
                    "operation": "dispense_by_prescription",
                    "pharmacy_id": ph,
                    "dispense_id": did,
                    "sgtins": [sgtin],
                    "document": "<documents/>",
                    "status": status,
                }
            )
        await _insert(s, Prescription, prescriptions)
        await _insert(s, Dispense, rows)
        await _insert(s, DispenseItem, items)
        await _insert(s, TraceReport, reports)
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE"))
    return planted


class Context:
    """What ``run_job`` uses of a ``JobContext``: real transactions, progress recorded."""

    def __init__(self, maker: async_sessionmaker[AsyncSession], run_id: uuid.UUID) -> None:
        self.maker = maker
        self.params: dict[str, Any] = {"run_id": str(run_id)}
        self.created_by = "bench"
        self.principal_org_id = uuid.uuid4()
        self.progressed: list[int] = []

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        async with self.maker() as s, s.begin():
            yield s

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.progressed.append(done)


async def control_run(maker: async_sessionmaker[AsyncSession]) -> tuple[float, dict[str, Any], int]:
    async with maker() as s, s.begin():
        run = ControlRun(
            id=uuid.uuid4(),
            period_from=FROM,
            period_to=TO,
            pharmacy_id=None,
            status="running",
            started_by="bench",
        )
        s.add(run)
    ctx = Context(maker, run.id)
    started = time.perf_counter()
    summary = await jobs.run_job(ctx)  # type: ignore[arg-type]
    wall = time.perf_counter() - started
    async with maker() as s:
        stored = await s.get(ControlRun, run.id)
        assert stored is not None and stored.status == "done"
        summary["by_code"] = dict(sorted((stored.by_code or {}).items()))
    return wall, summary, len(ctx.progressed)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pharmacies", type=int, default=30)
    parser.add_argument("--dispenses", type=int, default=20000, help="in all, over the month")
    parser.add_argument(
        "--chunk", type=int, default=None, help="dispenses per chunk (the service's by default)"
    )
    parser.add_argument("--once", action="store_true", help="no second (idempotency) run")
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    logging.disable(logging.INFO)
    if args.chunk:
        service.CHUNK = args.chunk
    dsn = admin_dsn(REPO)
    name = unique_name("bench_pharmacy_control")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    load_before = os.getloadavg()
    engine = create_async_engine(url, pool_size=2)
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        started = time.perf_counter()
        planted = await fill(engine, args.pharmacies, args.dispenses)
        filled = time.perf_counter() - started
        maker = async_sessionmaker(engine, expire_on_commit=False)
        wall, summary, chunks = await control_run(maker)
        async with maker() as s:
            results = await s.scalar(select(func.count()).select_from(ControlResult))
        assert results == args.dispenses, (results, args.dispenses)
        assert summary["checked"] == args.dispenses
        by_code = summary["by_code"]
        for kind, code in (
            ("expired", "dispensed_after_validity"),
            ("off_list", "not_on_drug_list"),
            ("overcharged", "amount_mismatch"),
            ("unreported", "trace_not_reported"),
            ("rejected", "trace_rejected"),
            ("duplicate", "duplicate_across_pharmacies"),
        ):
            assert by_code.get(code, 0) >= planted[kind], (code, by_code.get(code), planted[kind])
        assert planted["dead"] == 0 or by_code.get("dispensed_after_death", 0) > 0
        again_wall = None
        if not args.once:
            again_wall, again, _ = await control_run(maker)
            async with maker() as s:
                assert await s.scalar(select(func.count()).select_from(ControlResult)) == args.dispenses
            assert again["by_code"] == by_code and again["withheld"] == summary["withheld"]
        return {
            "pharmacies": args.pharmacies,
            "dispenses": args.dispenses,
            "chunk": service.CHUNK,
            "chunks": chunks - 2,
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "fill_s": round(filled, 1),
            "wall_s": round(wall, 2),
            "dispenses_per_s": round(args.dispenses / wall, 1),
            "rerun_wall_s": round(again_wall, 2) if again_wall else None,
            "rerun_dispenses_per_s": round(args.dispenses / again_wall, 1) if again_wall else None,
            "planted": planted,
            "with_violations": summary["with_violations"],
            "withheld": summary["withheld"],
            "by_code": by_code,
            "loadavg_after": [round(x, 2) for x in os.getloadavg()],
        }
    finally:
        await engine.dispose()
        await drop_database(dsn, name)


def main() -> None:
    args = arguments()
    result = asyncio.run(measure(args))
    document = json.dumps(result, ensure_ascii=False, indent=2)
    print(document)
    if args.json:
        args.json.write_text(document + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
