"""Demo part ``budget``: 12 months of what every demo MO received, spent and owed, by КВФО ×
КОСГУ, with the plan (ПФХД) beside the actual — the collected data every other part and screen
builds on (payment orders behind the expenses, forms 14-Ф and 62, dashboards, deviations).

How the figures are made (all deterministic: ``random.Random(f"{RANDOM_SEED}:{mo code}")``
per MO, so an MO's figures do not depend on which other MOs exist):

- **Size.** The MO's beds and attached persons come from its profile (``mo_profile``); when
  the registry has not told them, from its name (``mo_shape``): a regional hospital 550–950
  beds, a central district hospital 120–260 beds and 25–60 thousand attached, a polyclinic
  30–65 thousand attached and no beds, a dental polyclinic or a private clinic small. The
  monthly CMI receipts follow (≈ 210 000 ₽ a bed + 850 ₽ an attached person + a base by kind);
  the profile gaps are filled in ``mo_profile`` (never overwriting what registry gave), the
  state MOs founded by the region's health authority when its organization is known.
- **Income** (state MOs, share of the month's receipts): КВФО 7 КОСГУ 132 CMI ≈ 65 %, КВФО 4
  131 state-assignment subsidy ≈ 18 %, КВФО 5 152 other subsidies ≈ 6 %, КВФО 2 131 paid
  services ≈ 5 % (+ 121 rent, 189 other), КВФО 6 162 investments for every fifth state MO in
  four months of the year. Private MOs: КВФО 7 132 and КВФО 2 131 only. December is higher
  (year-end settlement), January lower.
- **Expenses** by КВФО: spending ≈ 96–102 % of the КВФО's receipts. КВФО 7: wages 211 ≈ 52 %,
  contributions 213 = 30.2 % of 211, utilities 223 by beds and attached persons with the
  season (winter ×1.45, summer ×0.55), medicines 341 ≈ 11 %, 221, 222, 224–227, 266, 291, 310
  (lumpy), 342 (MOs with beds), 343, 345, 346, 349; КВФО 4 similar with property tax 291;
  КВФО 5 equipment and repairs; КВФО 6 310/228/347; КВФО 2 wages, services, medicines.
  December wages ×1.15 (annual bonuses).
- **Plan**: the actual ± up to 6 %, drawn before any anomaly is planted (so a planted anomaly
  is also a plan/actual deviation); payables and the planted fine have no plan.
- **Payables** (flow ``payable``, balance at the month's end): КВФО 7 223, 341, 226, 213 and
  КВФО 4 223 for state MOs; КВФО 7 341 for private ones.

PLANTED ANOMALIES (``PLANTED_ANOMALIES``; ``month_index`` indexes ``region.months``, -1 is the
last seeded month; ``planted_anomalies(region)`` gives them with the MO and month resolved —
the preferred MO codes are the gateway's demo MOs, another eligible MO stands in when a region
lacks one):

1. ``cmi_not_allowed`` — Заречная ЦРБ (990003) paid a fine for breaching a contract from CMI
   funds: expense КВФО 7 КОСГУ 293, 187 450,00 ₽, in the fourth month from the end.
2. ``wages_share`` — Городская поликлиника № 5 (990007): in the last three months wages and
   contributions (211 + 213) are ≈ 88 % of its КВФО 7 spending (threshold 85 %; other MOs
   ≈ 70 %), the other items cut to a third.
3. ``mom_spike`` — онкологический диспансер (990018): medicines 341 КВФО 7 in the second month
   from the end are 3.2 × the month before.
4. ``peer_outlier`` — Городская больница № 2 (990013): utilities 223 (every КВФО, every month)
   per bed ≈ 5 × the median of the other MOs with beds.
5. ``payables_growth`` — Лесогорская ЦРБ (990029): every payable of the last three months ×1.6,
   ×2.5, ×3.8 — the MO's payables grow month on month through the last quarter.
"""

from __future__ import annotations

import random
import uuid
import zlib
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo.region import RANDOM_SEED, DemoMo, DemoRegion
from finance.models import BudgetEntry, MoProfile, Organization

SOURCE = "demo"
UPDATED_BY = "Демо-данные"
CONTRIBUTIONS_RATE = 0.302  # 213 = 30.2 % of 211
_NAMESPACE = uuid.UUID("0c7a8d3e-58a1-4f0e-9d52-6b1f0c2e7a11")

# winter heating: January … December
UTILITY_SEASON = (1.45, 1.4, 1.2, 1.0, 0.75, 0.6, 0.55, 0.6, 0.8, 1.05, 1.25, 1.45)
INCOME_SEASON = (0.9, 0.97, 1.0, 1.0, 0.98, 1.0, 0.97, 0.96, 1.0, 1.02, 1.03, 1.17)


# ---------------------------------------------------------------- the MO's size


@dataclass(frozen=True)
class MoShape:
    """What the demo assumes about an MO: its kind, legal form, beds, attached persons and the
    month's CMI receipts (roubles) its other figures scale from."""

    kind: str  # regional_hospital, hospital, crh, dispensary, polyclinic, dental, ambulance, private
    legal_form: str  # budget, autonomous, private
    beds: int
    attached_persons: int
    cmi_month: float

    @property
    def state(self) -> bool:
        return self.legal_form != "private"


def _fraction(text: str, salt: str) -> float:
    """A number in [0, 1) fixed by the text: the MO's place within its kind's range."""
    return zlib.crc32(f"{salt}:{text}".encode()) / 2**32


def _kind(name: str, private: bool) -> str:
    n = name.lower()
    if private:
        return "private"
    if "скорой" in n:
        return "ambulance"
    if "стоматолог" in n:
        return "dental"
    if "центральная районная" in n:
        return "crh"
    if "областн" in n and ("больниц" in n or "госпитал" in n):
        return "regional_hospital"
    if "больниц" in n or "госпитал" in n or "родильный" in n or "перинатальн" in n:
        return "hospital"
    if "диспансер" in n or "центр" in n:
        return "dispensary"
    return "polyclinic"


_BEDS = {
    "regional_hospital": (550, 950),
    "hospital": (180, 420),
    "crh": (120, 260),
    "dispensary": (60, 220),
}
_ATTACHED = {"crh": (25_000, 60_000), "polyclinic": (30_000, 65_000)}
_BASE = {
    "regional_hospital": 12e6,
    "hospital": 4e6,
    "crh": 3e6,
    "dispensary": 5e6,
    "polyclinic": 2e6,
    "dental": 6e6,
    "ambulance": 45e6,
    "private": 2e6,
}


def mo_shape(mo: DemoMo) -> MoShape:
    name = mo.name
    private = (mo.legal_form == "private") or name.startswith(("ООО", "АО", "ЗАО", "ПАО", "ИП"))
    kind = _kind(name, private)
    if mo.legal_form in ("budget", "autonomous", "private"):
        legal_form = mo.legal_form
    elif private:
        legal_form = "private"
    elif name.startswith("ГАУЗ"):
        legal_form = "autonomous"
    else:
        legal_form = "budget"
    low, high = _BEDS.get(kind, (0, 0))
    beds = mo.beds if mo.beds is not None else round(low + (high - low) * _fraction(name, "beds"))
    low, high = _ATTACHED.get(kind, (0, 0))
    if kind == "polyclinic" and "детск" in name.lower():
        low, high = 15_000, 30_000
    attached = (
        mo.attached_persons
        if mo.attached_persons is not None
        else round((low + (high - low) * _fraction(name, "attached")) / 10) * 10
    )
    base = _BASE[kind] * (1 + 3.5 * _fraction(name, "base") if kind == "private" else 1)
    return MoShape(kind, legal_form, beds, attached, beds * 210_000 + attached * 850 + base)


# ---------------------------------------------------------------- planted anomalies


@dataclass(frozen=True)
class PlantedAnomaly:
    """One planted anomaly: the cell (flow, КВФО, КОСГУ) of an MO and a month where a detector
    should see it. ``month_index`` indexes ``region.months`` (-1: the last seeded month);
    ``months`` is how many months up to it carry the anomaly (1: that month only, 12: all)."""

    mo_code: str
    month_index: int
    flow: str
    kvfo: int
    kosgu: str
    kind: str  # cmi_not_allowed, wages_share, mom_spike, peer_outlier, payables_growth
    what: str
    months: int = 1
    month: date | None = None  # set by planted_anomalies(region)

    def affected_months(self, months: tuple[date, ...]) -> tuple[date, ...]:
        """The seeded months carrying the anomaly (``region.months`` in, oldest first)."""
        end = len(months) + self.month_index + 1 if self.month_index < 0 else self.month_index + 1
        return months[max(0, end - self.months) : end]


FINE_AMOUNT = Decimal("187450.00")
WAGES_SHARE = 0.88
SPIKE = 3.2
UTILITIES_FACTOR = 5.0
PAYABLES_GROWTH = (1.6, 2.5, 3.8)

PLANTED_ANOMALIES: tuple[PlantedAnomaly, ...] = (
    PlantedAnomaly(
        "990003",
        -4,
        "expense",
        7,
        "293",
        "cmi_not_allowed",
        "Штраф за нарушение условий контракта (КОСГУ 293) оплачен из средств ОМС (КВФО 7): 187 450,00 ₽",
    ),
    PlantedAnomaly(
        "990007",
        -1,
        "expense",
        7,
        "211",
        "wages_share",
        "Доля оплаты труда с начислениями (211 + 213) в расходах средств ОМС ≈ 88 % (порог 85 %) "
        "в последние три месяца",
        months=3,
    ),
    PlantedAnomaly(
        "990018",
        -2,
        "expense",
        7,
        "341",
        "mom_spike",
        "Расходы на лекарственные препараты (КОСГУ 341) из средств ОМС выросли в 3,2 раза к прошлому месяцу",
    ),
    PlantedAnomaly(
        "990013",
        -1,
        "expense",
        7,
        "223",
        "peer_outlier",
        "Коммунальные услуги (КОСГУ 223) на одну койку ≈ в 5 раз выше медианы МО с койками",
        months=12,
    ),
    PlantedAnomaly(
        "990029",
        -1,
        "payable",
        7,
        "341",
        "payables_growth",
        "Кредиторская задолженность растёт каждый месяц последнего квартала (×1,6, ×2,5, ×3,8)",
        months=3,
    ),
)


def _eligible(kind: str, shape: MoShape) -> bool:
    if not shape.state:
        return False
    if kind == "peer_outlier":
        return shape.beds > 0
    return True


def planted_anomalies(region: DemoRegion) -> list[PlantedAnomaly]:
    """``PLANTED_ANOMALIES`` for this region: the MO code (the preferred one when the region has
    it and it fits, else the first fitting MO not used yet, by code) and the month resolved.
    An anomaly no MO of the region fits is left out."""
    shapes = {mo.code: mo_shape(mo) for mo in region.mos}
    used: set[str] = set()
    resolved = []
    for anomaly in PLANTED_ANOMALIES:
        if len(region.months) < anomaly.months + 1 and anomaly.kind != "peer_outlier":
            continue
        code = anomaly.mo_code
        if code not in shapes or code in used or not _eligible(anomaly.kind, shapes[code]):
            preferred = {a.mo_code for a in PLANTED_ANOMALIES}
            candidates = [
                c
                for c in sorted(shapes)
                if c not in used and c not in preferred and _eligible(anomaly.kind, shapes[c])
            ] or [c for c in sorted(shapes) if c not in used and _eligible(anomaly.kind, shapes[c])]
            if not candidates:
                continue
            code = candidates[0]
        used.add(code)
        months = anomaly.affected_months(region.months)
        resolved.append(replace(anomaly, mo_code=code, month=months[-1]))
    return resolved


# ---------------------------------------------------------------- the figures

_K7 = {
    "211": 0.52, "212": 0.002, "221": 0.004, "222": 0.002, "224": 0.003, "225": 0.02,
    "226": 0.032, "227": 0.001, "266": 0.004, "291": 0.003, "310": 0.004, "341": 0.115,
    "342": 0.012, "343": 0.003, "345": 0.003, "346": 0.012, "349": 0.002,
}  # fmt: skip
_K7_PRIVATE = {
    "211": 0.52, "221": 0.006, "224": 0.05, "225": 0.015, "226": 0.04, "291": 0.01,
    "310": 0.005, "341": 0.12, "346": 0.015,
}  # fmt: skip
_K4 = {
    "211": 0.50, "221": 0.005, "225": 0.03, "226": 0.05, "266": 0.005, "291": 0.05,
    "296": 0.002, "341": 0.08, "342": 0.02, "346": 0.02,
}  # fmt: skip
_K5 = {"310": 0.45, "225": 0.25, "226": 0.15, "296": 0.05, "266": 0.05, "341": 0.05}
_K6 = {"310": 0.6, "228": 0.3, "347": 0.1}
_K2 = {
    "211": 0.35, "221": 0.02, "225": 0.05, "226": 0.15, "291": 0.06, "310": 0.06,
    "341": 0.12, "343": 0.01, "346": 0.08,
}  # fmt: skip
_UTILITY_SHARE = {7: 0.7, 4: 0.3}
_PAYABLES = {(7, "223"): 0.35, (7, "341"): 0.25, (7, "226"): 0.2, (7, "213"): 0.1, (4, "223"): 0.3}

Cell = tuple[str, int, str]  # flow, kvfo, kosgu


def _money(value: float) -> Decimal:
    return (Decimal(round(value * 100)) / 100).quantize(Decimal("0.01"))


def _with_contributions(weights: dict[str, float]) -> dict[str, float]:
    out = dict(weights)
    if "211" in out:
        out["213"] = out["211"] * CONTRIBUTIONS_RATE
    total = sum(out.values())
    return {k: v / total for k, v in out.items()}


def _utilities(shape: MoShape, calendar_month: int) -> float:
    # mostly by beds (the buildings that are heated day and night), so utilities per bed are
    # comparable between MOs and the planted outlier stands out
    return (shape.beds * 5_000 + shape.attached_persons * 2 + 10_000) * UTILITY_SEASON[calendar_month - 1]


def _investor(mo: DemoMo, shape: MoShape) -> bool:
    return shape.state and shape.kind != "dental" and _fraction(mo.name, "invest") < 0.2


def _mo_figures(mo: DemoMo, shape: MoShape, months: tuple[date, ...]) -> list[dict[Cell, float]]:
    """Per month: cell → actual (roubles, unrounded). Plan and anomalies are applied later."""
    rnd = random.Random(f"{RANDOM_SEED}:{mo.code or mo.name}")  # noqa: S311  (reproducible by design)
    invest_months = set(rnd.sample(range(len(months)), k=min(4, len(months))))
    lumpy_phase = rnd.randrange(4)
    out: list[dict[Cell, float]] = []
    for i, month in enumerate(months):
        cal = month.month
        season = INCOME_SEASON[cal - 1] * rnd.uniform(0.96, 1.04)
        cmi = shape.cmi_month * season
        income: dict[tuple[int, str], float] = {(7, "132"): cmi}
        if shape.state:
            total = cmi / 0.65
            income[(4, "131")] = total * 0.18 * rnd.uniform(0.95, 1.05)
            income[(5, "152")] = total * 0.06 * rnd.uniform(0.7, 1.3)
            income[(2, "131")] = total * 0.05 * rnd.uniform(0.9, 1.1)
            income[(2, "121")] = total * 0.003 * rnd.uniform(0.9, 1.1)
            income[(2, "189")] = total * 0.002 * rnd.uniform(0.5, 1.5)
            if _investor(mo, shape) and i in invest_months:
                income[(6, "162")] = total * 0.12 * rnd.uniform(0.8, 1.2)
        else:
            income[(2, "131")] = cmi * 0.45 * rnd.uniform(0.9, 1.1)
        cells: dict[Cell, float] = {("income", kvfo, kosgu): v for (kvfo, kosgu), v in income.items()}

        receipts_by_kvfo: dict[int, float] = {}
        for (kvfo, _), v in income.items():
            receipts_by_kvfo[kvfo] = receipts_by_kvfo.get(kvfo, 0.0) + v
        utilities = _utilities(shape, cal) * rnd.uniform(0.93, 1.07)
        for kvfo, receipts in receipts_by_kvfo.items():
            spending = receipts * rnd.uniform(0.96, 1.02)
            if kvfo == 7:
                weights = _K7 if shape.state else _K7_PRIVATE
            else:
                weights = {4: _K4, 5: _K5, 6: _K6, 2: _K2}[kvfo]
            weights = dict(weights)
            if shape.beds == 0:
                weights.pop("342", None)
            share = _with_contributions(weights)
            fixed = 0.0
            if kvfo in _UTILITY_SHARE and shape.state:
                fixed = min(utilities * _UTILITY_SHARE[kvfo], spending * 0.2)
                cells[("expense", kvfo, "223")] = fixed
            elif kvfo == 7:  # a private MO pays its utilities from CMI money
                fixed = min(utilities, spending * 0.2)
                cells[("expense", kvfo, "223")] = fixed
            rest = spending - fixed
            for kosgu, w in share.items():
                value = rest * w * rnd.uniform(0.92, 1.08)
                if kosgu in ("211", "213") and cal == 12:  # annual bonuses
                    value *= 1.15
                if kosgu == "310" and kvfo in (7, 2, 4) and (i + lumpy_phase) % 4 != 0:
                    continue  # equipment bought a few times a year
                if kosgu == "310" and kvfo in (7, 2, 4):
                    value *= 3.0
                cells[("expense", kvfo, kosgu)] = value
            if ("expense", kvfo, "211") in cells:  # contributions exactly 30.2 % of the wages
                cells[("expense", kvfo, "213")] = cells[("expense", kvfo, "211")] * CONTRIBUTIONS_RATE
        for (kvfo, kosgu), ratio in _PAYABLES.items():
            if not shape.state and (kvfo, kosgu) != (7, "341"):
                continue
            spent = cells.get(("expense", kvfo, kosgu))
            if spent:
                cells[("payable", kvfo, kosgu)] = spent * ratio * rnd.uniform(0.7, 1.3)
        out.append(cells)
    return out


def _plant(
    kind: str, figures: list[dict[Cell, float]], months: tuple[date, ...], anomaly: PlantedAnomaly
) -> None:
    affected = anomaly.affected_months(months)
    indexes = [months.index(m) for m in affected]
    if kind == "cmi_not_allowed":
        figures[indexes[-1]][("expense", 7, "293")] = float(FINE_AMOUNT)
    elif kind == "wages_share":
        for i in indexes:
            cells = figures[i]
            wages = cells[("expense", 7, "211")] + cells[("expense", 7, "213")]
            others = [c for c in cells if c[0] == "expense" and c[1] == 7 and c[2] not in ("211", "213")]
            other_total = sum(cells[c] for c in others)
            wanted_other = wages * (1 - WAGES_SHARE) / WAGES_SHARE
            for c in others:
                cells[c] *= wanted_other / other_total
    elif kind == "mom_spike":
        i = indexes[-1]
        before = figures[i - 1][("expense", 7, "341")]
        figures[i][("expense", 7, "341")] = before * SPIKE
    elif kind == "peer_outlier":
        for i in indexes:
            for cell in [c for c in figures[i] if c[0] == "expense" and c[2] == "223"]:
                figures[i][cell] *= UTILITIES_FACTOR
    elif kind == "payables_growth":
        base = figures[indexes[0] - 1]  # the quarter before: every payable grows from it
        for i, factor in zip(indexes, PAYABLES_GROWTH, strict=False):
            for cell in [c for c in figures[i] if c[0] == "payable"]:
                if cell in base:
                    figures[i][cell] = base[cell] * factor


def budget_rows(region: DemoRegion) -> list[dict[str, Any]]:
    """Every budget_entry row of the demo, as dicts for one bulk INSERT."""
    anomalies = {a.mo_code: a for a in planted_anomalies(region)}
    rows: list[dict[str, Any]] = []
    for mo in region.mos:
        shape = mo_shape(mo)
        figures = _mo_figures(mo, shape, region.months)
        plan_rnd = random.Random(f"{RANDOM_SEED}:plan:{mo.code or mo.name}")  # noqa: S311
        plans = [
            {
                cell: value * plan_rnd.uniform(0.94, 1.06)
                for cell, value in cells.items()
                if cell[0] != "payable"
            }
            for cells in figures
        ]
        anomaly = anomalies.get(mo.code)
        if anomaly is not None:
            _plant(anomaly.kind, figures, region.months, anomaly)
        for month, cells, plan in zip(region.months, figures, plans, strict=True):
            for (flow, kvfo, kosgu), value in sorted(cells.items()):
                planned = plan.get((flow, kvfo, kosgu))
                rows.append(
                    {
                        "id": uuid.uuid5(_NAMESPACE, f"{mo.id}:{month}:{flow}:{kvfo}:{kosgu}"),
                        "mo_id": mo.id,
                        "month": month,
                        "flow": flow,
                        "kvfo": kvfo,
                        "kosgu": kosgu,
                        "planned": None if planned is None else _money(planned),
                        "actual": _money(value),
                        "source": SOURCE,
                        "updated_by": UPDATED_BY,
                    }
                )
    return rows


async def _fill_profiles(session: AsyncSession, region: DemoRegion) -> int:
    founder = await session.scalar(
        select(Organization.id)
        .where(Organization.kind == "health_authority")
        .order_by(Organization.code)
        .limit(1)
    )
    rows = []
    for mo in region.mos:
        shape = mo_shape(mo)
        rows.append(
            {
                "mo_id": mo.id,
                "founder_id": founder if shape.state else None,
                "legal_form": shape.legal_form,
                "beds": shape.beds,
                "attached_persons": shape.attached_persons,
            }
        )
    stmt = pg_insert(MoProfile).values(rows)
    stmt = stmt.on_conflict_do_update(
        index_elements=[MoProfile.mo_id],
        set_={
            "founder_id": func.coalesce(MoProfile.founder_id, stmt.excluded.founder_id),
            "legal_form": func.coalesce(MoProfile.legal_form, stmt.excluded.legal_form),
            "beds": func.coalesce(MoProfile.beds, stmt.excluded.beds),
            "attached_persons": func.coalesce(MoProfile.attached_persons, stmt.excluded.attached_persons),
        },
    )
    await session.execute(stmt)
    return len(rows)


_COLUMNS = (
    ("id", "uuid"),
    ("mo_id", "uuid"),
    ("month", "date"),
    ("flow", "text"),
    ("kvfo", "smallint"),
    ("kosgu", "text"),
    ("planned", "numeric"),
    ("actual", "numeric"),
    ("source", "text"),
    ("updated_by", "text"),
)


async def _insert(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """One ``INSERT … SELECT FROM unnest(arrays)``: a statement and a round trip for every row
    (≈ 34 000 for the demo's 50 MOs), not a batch of VALUES per thousand rows."""
    names = ", ".join(name for name, _ in _COLUMNS)
    arrays = ", ".join(f"CAST(:{name} AS {kind}[])" for name, kind in _COLUMNS)
    await session.execute(
        text(f"INSERT INTO budget_entry ({names}) SELECT * FROM unnest({arrays})"),  # noqa: S608  (fixed names)
        {name: [row[name] for row in rows] for name, _ in _COLUMNS},
    )


async def seed(session: AsyncSession, region: DemoRegion) -> dict[str, Any]:
    already = await session.scalar(
        select(func.count()).select_from(BudgetEntry).where(BudgetEntry.source == SOURCE)
    )
    if already:
        return {"entries": 0, "skipped": "demo budget entries already present"}
    profiles = await _fill_profiles(session, region)
    rows = budget_rows(region)
    await _insert(session, rows)
    return {
        "entries": len(rows),
        "profiles": profiles,
        "months": [m.isoformat() for m in region.months],
        "anomalies": [
            {
                "mo_code": a.mo_code,
                "month": a.month,
                "kind": a.kind,
                "kvfo": a.kvfo,
                "kosgu": a.kosgu,
                "what": a.what,
            }
            for a in planted_anomalies(region)
        ],
    }
