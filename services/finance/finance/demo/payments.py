"""Demo part ``payments``: the payment orders behind the demo budget (runs after ``budget``).

Every expense cell's actual (``budget_entry``, flow ``expense``, КВФО × КОСГУ × month of a demo
MO) is split into the payment orders that paid it — ``finance.classification.synthetic``
writes them the way accountants do (purpose texts with contract and invoice numbers, the
recurring suppliers with valid ИНН/КПП, abbreviations and typos) — summing exactly to the
cell. The income cells likewise become receipts: CMI money (КВФО 7, КОСГУ 132) from the
insurers (СМО) and the territorial fund, the founder's subsidies, paid services.

Every MO has one treasury account (``mo_account``); outgoing orders are numbered in order
through each year, receipts keep the payer's number. The months before the last two carry the
labels people confirmed (``classified_by='user'``): the history the classifier is trained on
and what the budget screens show beside their cells. The last two months are left
unclassified — the ``classification`` part (H2) trains the model on the history and classifies
them, filling the review list; without that part, the rules classify them here.

Deterministic (``RANDOM_SEED``); once per database (skipped when demo payments exist)."""

from __future__ import annotations

import hashlib
import importlib.util
import random
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.synthetic import inn10, kpp, payments_for_cell
from finance.demo.region import RANDOM_SEED, DemoMo, DemoRegion
from finance.exchange.repository import insert_orders
from finance.models import BudgetEntry, PaymentOrder

UNCLASSIFIED_MONTHS = 2  # the newest months, left to the classifier


def mo_account(mo: DemoMo) -> str:
    """The MO's treasury account (казначейский счёт, 20 digits), stable per MO code."""
    digest = int(hashlib.sha256(f"account:{mo.code or mo.id}".encode()).hexdigest(), 16)
    return f"0323464350000000{digest % 10_000:04d}"


def mo_requisites(mo: DemoMo) -> tuple[str, str]:
    """(ИНН, КПП) of the MO, valid check digits, stable per MO code."""
    rng = random.Random(f"mo:{mo.code or mo.id}")  # noqa: S311  (demo data, not secrets)
    inn = inn10(rng)
    return inn, kpp(inn, rng)


async def _cells(session: AsyncSession, region: DemoRegion) -> list[BudgetEntry]:
    rows = await session.scalars(
        select(BudgetEntry)
        .where(
            BudgetEntry.mo_id.in_([mo.id for mo in region.mos]),
            BudgetEntry.flow.in_(("expense", "income")),
            BudgetEntry.actual > 0,
            BudgetEntry.month.in_(region.months),
        )
        .order_by(BudgetEntry.mo_id, BudgetEntry.month, BudgetEntry.flow, BudgetEntry.kvfo, BudgetEntry.kosgu)
    )
    return list(rows)


def payment_rows(region: DemoRegion, cells: list[BudgetEntry]) -> dict[uuid.UUID, list[dict[str, Any]]]:
    """The payment orders of every MO (columns of ``payment_order`` but ids), by MO."""
    by_mo: dict[uuid.UUID, list[BudgetEntry]] = defaultdict(list)
    for cell in cells:
        by_mo[cell.mo_id].append(cell)
    labelled_until = (
        region.months[-UNCLASSIFIED_MONTHS] if len(region.months) > UNCLASSIFIED_MONTHS else date.min
    )
    out: dict[uuid.UUID, list[dict[str, Any]]] = {}
    for mo in region.mos:
        rng = random.Random(f"{RANDOM_SEED}:payments:{mo.code or mo.id}")  # noqa: S311
        inn, mo_kpp = mo_requisites(mo)
        account = mo_account(mo)
        rows: list[dict[str, Any]] = []
        for cell in by_mo.get(mo.id, []):
            for payment in payments_for_cell(cell.kvfo, cell.kosgu, Decimal(cell.actual), cell.month, rng):
                row = payment.order_fields(
                    mo_name=mo.name,
                    mo_inn=inn,
                    mo_kpp=mo_kpp,
                    mo_account=account,
                    autonomous=mo.legal_form == "autonomous",
                )
                labelled = payment.doc_date < labelled_until
                stamp = datetime.combine(payment.doc_date, time(12), tzinfo=UTC)
                row.update(
                    kvfo=payment.kvfo if labelled else None,
                    kosgu=payment.kosgu if labelled else None,
                    classified_by="user" if labelled else None,
                    confidence=1.0 if labelled else None,
                    needs_review=False,
                    classified_at=stamp if labelled else None,
                )
                rows.append(row)
        rows.sort(key=lambda r: (r["doc_date"], r["direction"], r["amount"]))
        numbers: dict[int, int] = defaultdict(int)
        for row in rows:
            if row["direction"] == "out":
                numbers[row["doc_date"].year] += 1
                row["doc_number"] = str(numbers[row["doc_date"].year])
        out[mo.id] = rows
    return out


async def seed(session: AsyncSession, region: DemoRegion) -> dict[str, Any]:
    mo_ids = [mo.id for mo in region.mos]
    already = await session.scalar(
        select(func.count()).select_from(PaymentOrder).where(PaymentOrder.mo_id.in_(mo_ids))
    )
    if already:
        return {"orders": 0, "skipped": "payment orders already present"}
    cells = await _cells(session, region)
    if not cells:
        return {"orders": 0, "skipped": "no demo budget to pay"}
    inserted = 0
    unclassified: list[uuid.UUID] = []
    for mo_id, rows in payment_rows(region, cells).items():
        ids = await insert_orders(session, mo_id, None, rows)
        inserted += len(ids)
        newest = {row["doc_date"] for row in rows if row["classified_by"] is None}
        unclassified.extend(order_id for order_id, day in ids if day in newest)
    result: dict[str, Any] = {"orders": inserted, "unclassified": len(unclassified)}
    if importlib.util.find_spec("finance.demo.classification") is None and unclassified:
        from finance.classification.service import classify_payments

        summary = await classify_payments(session, unclassified)
        result["classified_by_rules"] = summary.as_dict()
    return result
