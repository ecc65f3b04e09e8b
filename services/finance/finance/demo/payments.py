"""Demo part ``payments``: the payment orders behind the demo budget (runs after ``budget``).

Every expense cell's actual (``budget_entry``, flow ``expense``, КВФО × КОСГУ × month of a demo
MO) is split into the payment orders that paid it — ``finance.classification.synthetic``
writes them the way accountants do (purpose texts with contract and invoice numbers, the
recurring suppliers with valid ИНН/КПП, abbreviations and typos) — summing exactly to the
cell. The income cells likewise become receipts: CMI money (КВФО 7, КОСГУ 132) from the
insurers (СМО) and the territorial fund, the founder's subsidies, paid services.

Every MO has one treasury account (``mo_account``); outgoing orders are numbered in order
through each year, receipts keep the payer's number. Every order carries the КВФО/КОСГУ of the
cell it stands behind as confirmed by the accountant (``classified_by='user'``): the history
the classifier is trained on and what the budget screens show beside their cells. The
``classification`` part (after this one) holds out the last month — its confirmation removed,
as if just imported — trains the model on the rest and classifies it (the review list).

Deterministic (``RANDOM_SEED``); once per database (skipped when demo payments exist)."""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.synthetic import inn10, kpp, payments_for_cell
from finance.demo.region import RANDOM_SEED, DemoMo, DemoRegion
from finance.exchange.repository import insert_orders
from finance.models import BudgetEntry, PaymentOrder


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
                row.update(
                    kvfo=payment.kvfo,
                    kosgu=payment.kosgu,
                    classified_by="user",
                    confidence=1.0,
                    needs_review=False,
                    classified_at=datetime.combine(payment.doc_date, time(12), tzinfo=UTC),
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
    for mo_id, rows in payment_rows(region, cells).items():
        inserted += len(await insert_orders(session, mo_id, None, rows))
    return {"orders": inserted}
