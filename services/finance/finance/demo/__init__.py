"""Demo data of finance for ``make run`` (contract: ``oms_embedded.seed``): in the seed's one
session, never committed here, once per database. The parts run in order, each a module of
this package with ``async def seed(session, region: DemoRegion) -> dict``:

- ``budget`` — 12 months of income, expenses and payables of the demo MOs, with planted anomalies;
- ``payments`` — the payment orders behind the expenses;
- ``classification`` — the classifier trained on them, the review list;
- ``reports`` — forms 14-Ф and 62 in every workflow state;
- ``deviations`` — the deviation search over the seeded months.

A part not written yet is skipped (its module is absent)."""

from __future__ import annotations

import importlib
import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo.region import demo_region

log = logging.getLogger("finance.demo")

PARTS = ("budget", "payments", "classification", "reports", "deviations")


async def seed(session: AsyncSession) -> dict[str, Any]:
    region = await demo_region(session)
    if region is None:
        log.warning("no MOs in finance's organization copy: finance demo data not seeded")
        return {"seeded": False}
    result: dict[str, Any] = {"mos": len(region.mos)}
    for part in PARTS:
        try:
            module = importlib.import_module(f"finance.demo.{part}")
        except ModuleNotFoundError as exc:
            if exc.name != f"finance.demo.{part}":
                raise
            continue
        result[part] = await module.seed(session, region)
    return result
