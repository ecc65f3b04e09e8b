"""The deviation search itself, on figures already summed by SQL (``repository``): pure
functions, so the same code runs on the database and on known series in tests.

Kinds (``Finding.kind``):

- ``month_on_month`` — an MO's item in a month against the MO's own trailing months (up to
  ``WINDOW``, at least ``MIN_HISTORY``). The item is taken as the MO's share of the region's
  total of that item in the month, so the season (heating in winter, December bonuses) and
  region-wide changes (a new tariff) cancel out and only the MO's own jump remains. Flagged
  when the robust z-score of the share is beyond ``OUTLIER_Z`` and the share moved by at least
  ``MIN_CHANGE`` (×1.5 or ×0.5) — a z-score alone flags tiny moves of very steady series.
- ``peer_group`` — an MO's figure per bed (MOs with beds) or per attached person (MOs without
  beds) over the last ``PEER_MONTHS`` months against the other MOs of its peer group (state
  or private × with or without beds; at least ``PEER_MIN`` of them): robust z-score beyond
  ``OUTLIER_Z`` and at least ×2.5 (or at most ×0.4) the peers' median.
- ``rule`` — CMI funds (КВФО 7) on an item not allowed for them (``codes.KOSGU[...]
  .cmi_allowed == 'no'``); fixed assets (310) from CMI funds in payment orders over
  ``FIXED_ASSET_MAX`` a document, or over ``FIXED_ASSET_LIMIT`` while the MO's payables grow;
  wages with contributions (211 + 213) above the threshold share of the month's CMI spending;
  payables growing three months running to ≥ ×2."""

from __future__ import annotations

import itertools
import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from finance.budget.codes import KOSGU
from finance.deviations.robust import OUTLIER_Z, robust_z
from finance.months import month_label

WINDOW = 6
MIN_HISTORY = 3
MIN_CHANGE = 0.5
PEER_MONTHS = 3
PEER_MIN = 5
PEER_RATIO = 2.5
MIN_AMOUNT = Decimal("10000")  # items smaller than this a month are not worth an alert
# The CMI tariff covers fixed assets up to 100 000 ₽ a unit, medical devices up to 1 000 000 ₽
# when the MO has no CMI payables unpaid for three months (326-ФЗ art. 35 p. 7, the programme).
FIXED_ASSET_LIMIT = Decimal("100000")
FIXED_ASSET_MAX = Decimal("1000000")
WAGES_SHARE_THRESHOLD = 0.85
PAYABLES_GROWTH = 2.0
SCORE_CAP = 999.0
THIN_SPACE = "\u202f"

# Month-on-month items: (metric, name). Lumpy items (310 equipment, 225 repairs, investments)
# are left out: a single purchase is their normal.
MOM_METRICS: dict[str, str] = {
    "cmi_expense": "Расходы за счёт средств ОМС (КВФО 7), всего",
    "cmi_211": "Заработная плата (КОСГУ 211) за счёт средств ОМС",
    "cmi_223": "Коммунальные услуги (КОСГУ 223) за счёт средств ОМС",
    "cmi_226": "Прочие работы, услуги (КОСГУ 226) за счёт средств ОМС",
    "cmi_341": "Медикаменты (КОСГУ 341) за счёт средств ОМС",
    "cmi_342": "Продукты питания (КОСГУ 342) за счёт средств ОМС",
    "income_cmi": "Поступления средств ОМС (КВФО 7)",
}
PEER_METRICS: dict[str, str] = {
    "expense": "Расходы, всего",
    "utilities": "Коммунальные услуги (КОСГУ 223)",
    "cmi_341": "Медикаменты (КОСГУ 341) за счёт средств ОМС",
    "wages_cmi": "Оплата труда с начислениями (211 + 213) за счёт средств ОМС",
}
PEER_BED_METRICS = ("expense", "utilities", "cmi_341", "wages_cmi")
PEER_ATTACHED_METRICS = ("expense", "utilities")


@dataclass(frozen=True)
class Finding:
    mo_id: uuid.UUID
    month: date
    kind: str  # month_on_month, peer_group, rule
    metric: str
    value: Decimal
    expected: Decimal | None
    score: float | None
    explanation: str


@dataclass(frozen=True)
class Profile:
    mo_id: uuid.UUID
    legal_form: str | None
    beds: int | None
    attached_persons: int | None


# ------------------------------------------------------------------ formatting


def rub(amount: Decimal | float) -> str:
    """``1 234 567,89 ₽`` (a narrow no-break space between thousands, as Russian texts write)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    sign = "−" if value < 0 else ""
    return f"{sign}{THIN_SPACE.join(groups)},{cents} ₽"


def num(value: float, digits: int = 1) -> str:
    if math.isinf(value):
        return "∞"
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float) -> str:
    return f"{num(share * 100)} %"


def _score(z: float) -> float:
    return max(-SCORE_CAP, min(SCORE_CAP, z))


def _d(value: float) -> Decimal:
    return Decimal(str(round(value, 4)))


# ------------------------------------------------------------------ month on month


def month_on_month(
    figures: Mapping[tuple[uuid.UUID, date], Mapping[str, Decimal]],
    metrics: Iterable[str] = MOM_METRICS,
) -> list[Finding]:
    """``figures``: (MO, month) → metric → amount."""
    months = sorted({m for _, m in figures})
    mos = sorted({mo for mo, _ in figures})
    findings: list[Finding] = []
    for metric in metrics:
        totals = {
            m: sum((figures[(mo, m)].get(metric, Decimal(0)) for mo in mos if (mo, m) in figures), Decimal(0))
            for m in months
        }
        for mo in mos:
            # The MO's item against the rest of the region's (the MO itself left out of it).
            series = []
            for m in months:
                if (mo, m) not in figures:
                    continue
                value = figures[(mo, m)].get(metric, Decimal(0))
                rest = totals[m] - value
                if rest > 0:
                    series.append((m, value, rest))
            for i in range(MIN_HISTORY, len(series)):
                month, value, rest = series[i]
                history = series[max(0, i - WINDOW) : i]
                reference = [float(v / t) for _, v, t in history]
                share = float(value / rest)
                r = robust_z(share, reference)
                if r.median <= 0 or abs(r.z) < OUTLIER_Z:
                    continue
                ratio = share / r.median
                if abs(ratio - 1) < MIN_CHANGE:
                    continue
                expected = Decimal(str(r.median)) * rest
                if max(value, expected) < MIN_AMOUNT:
                    continue
                direction = "больше" if ratio > 1 else "меньше"
                times = ratio if ratio > 1 else 1 / ratio if ratio > 0 else math.inf
                findings.append(
                    Finding(
                        mo_id=mo,
                        month=month,
                        kind="month_on_month",
                        metric=metric,
                        value=value,
                        expected=expected.quantize(Decimal("0.01")),
                        score=_score(r.z),
                        explanation=(
                            f"{MOM_METRICS.get(metric, metric)}: {rub(value)} за {month_label(month)} — "
                            f"в {num(times)} раза {direction} обычного для МО. "
                            f"Ожидалось около {rub(expected)} (по медиане отношения к остальным МО региона "
                            f"за {len(history)} предыдущих мес.); "
                            f"робастный z = {num(r.z)}."
                        ),
                    )
                )
    return findings


# ------------------------------------------------------------------ peers


def _peer_group(profile: Profile) -> tuple[str, str] | None:
    form = "private" if profile.legal_form == "private" else "state"
    if profile.beds:
        return form, "beds"
    if profile.attached_persons:
        return form, "attached"
    return None


GROUP_NAMES = {
    ("state", "beds"): "государственные МО с койками",
    ("state", "attached"): "государственные МО без коек",
    ("private", "beds"): "частные МО с койками",
    ("private", "attached"): "частные МО без коек",
}


def peer_group(
    figures: Mapping[tuple[uuid.UUID, date], Mapping[str, Decimal]], profiles: Mapping[uuid.UUID, Profile]
) -> list[Finding]:
    """Over the last ``PEER_MONTHS`` months of ``figures``; findings dated the last month."""
    months = sorted({m for _, m in figures})[-PEER_MONTHS:]
    if not months:
        return []
    last = months[-1]
    sums: dict[uuid.UUID, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for (mo, m), metrics in figures.items():
        if m in months:
            for metric, amount in metrics.items():
                sums[mo][metric] += amount
    groups: dict[tuple[str, str], list[uuid.UUID]] = defaultdict(list)
    for mo in sorted(sums):
        profile = profiles.get(mo)
        key = _peer_group(profile) if profile is not None else None
        if key is not None:
            groups[key].append(mo)
    findings: list[Finding] = []
    for key, members in groups.items():
        if len(members) < PEER_MIN + 1:
            continue
        unit, names = (
            ("beds", PEER_BED_METRICS) if key[1] == "beds" else ("attached_persons", PEER_ATTACHED_METRICS)
        )
        per = "на койку" if key[1] == "beds" else "на прикреплённого"
        for metric in names:
            values = {
                mo: float(sums[mo].get(metric, Decimal(0))) / getattr(profiles[mo], unit) for mo in members
            }
            for mo in members:
                others = [v for other, v in values.items() if other != mo]
                r = robust_z(values[mo], others)
                if r.median <= 0 or abs(r.z) < OUTLIER_Z:
                    continue
                ratio = values[mo] / r.median
                if 1 / PEER_RATIO < ratio < PEER_RATIO:
                    continue
                direction = "больше" if ratio > 1 else "меньше"
                times = ratio if ratio > 1 else 1 / ratio if ratio > 0 else math.inf
                findings.append(
                    Finding(
                        mo_id=mo,
                        month=last,
                        kind="peer_group",
                        metric=f"{metric}_per_{'bed' if key[1] == 'beds' else 'attached'}",
                        value=_d(values[mo]),
                        expected=_d(r.median),
                        score=_score(r.z),
                        explanation=(
                            f"{PEER_METRICS[metric]} {per}: {rub(values[mo])} за {len(months)} мес. по "
                            f"{month_label(last)} — в {num(times)} раза {direction} медианы "
                            f"{len(others)} сопоставимых МО ({GROUP_NAMES[key]}: {rub(r.median)}); "
                            f"робастный z = {num(r.z)}."
                        ),
                    )
                )
    return findings


# ------------------------------------------------------------------ rules


def not_allowed_for_cmi(rows: Iterable[tuple[uuid.UUID, date, str, Decimal]]) -> list[Finding]:
    """(MO, month, КОСГУ, amount) of КВФО 7 expenses on items CMI funds may not pay."""
    findings = []
    for mo, month, kosgu, amount in rows:
        item = KOSGU.get(kosgu)
        if item is None or item.cmi_allowed != "no" or amount <= 0:
            continue
        findings.append(
            Finding(
                mo_id=mo,
                month=month,
                kind="rule",
                metric=f"cmi_not_allowed_{kosgu}",
                value=amount,
                expected=Decimal(0),
                score=None,
                explanation=(
                    f"За {month_label(month)} средствами ОМС (КВФО 7) оплачено {rub(amount)} "
                    f"по КОСГУ {kosgu} «{item.name}» — расходы, не входящие в структуру тарифа "
                    f"на оплату медицинской помощи "
                    f"по ОМС (ч. 7 ст. 35 Федерального закона № 326-ФЗ); их нужно восстановить на счёт "
                    f"средств ОМС за счёт иных источников."
                ),
            )
        )
    return findings


@dataclass(frozen=True)
class FixedAssets:
    """An MO's month of КВФО 7 КОСГУ 310 payment orders over ``FIXED_ASSET_LIMIT`` each:
    those over ``FIXED_ASSET_MAX`` and those between the two."""

    mo_id: uuid.UUID
    month: date
    over_count: int
    over_sum: Decimal
    mid_count: int
    mid_sum: Decimal
    largest: Decimal


def fixed_assets_over_limit(
    rows: Iterable[FixedAssets], unpaid: Iterable[tuple[uuid.UUID, date]] = ()
) -> list[Finding]:
    """Fixed assets from CMI funds: documents over 1 million ₽ always; between 100 thousand and
    1 million ₽ in the months ``unpaid`` names (the MO's payables growing — the debts it should
    have paid first)."""
    unpaid_months = set(unpaid)
    findings = []
    for r in rows:
        basis = (
            "Средства ОМС покрывают приобретение основных средств стоимостью до 100 тыс. рублей за "
            "единицу, медицинских изделий — до 1 млн рублей при отсутствии у МО не погашенной в течение "
            "трёх месяцев кредиторской задолженности за счёт средств ОМС (структура тарифа, ч. 7 ст. 35 "
            "Федерального закона № 326-ФЗ, программа государственных гарантий)."
        )
        if r.over_count > 0:
            findings.append(
                Finding(
                    mo_id=r.mo_id,
                    month=r.month,
                    kind="rule",
                    metric="cmi_310_over_limit",
                    value=r.over_sum,
                    expected=FIXED_ASSET_MAX,
                    score=None,
                    explanation=(
                        f"За {month_label(r.month)} за счёт средств ОМС оплачено основных средств "
                        f"(КОСГУ 310) по {r.over_count} платёжн. документ(ам) "
                        f"дороже {rub(FIXED_ASSET_MAX)} каждый, "
                        f"всего {rub(r.over_sum)}, крупнейший — {rub(r.largest)}. {basis}"
                    ),
                )
            )
        if r.mid_count > 0 and (r.mo_id, r.month) in unpaid_months:
            findings.append(
                Finding(
                    mo_id=r.mo_id,
                    month=r.month,
                    kind="rule",
                    metric="cmi_310_with_payables",
                    value=r.mid_sum,
                    expected=FIXED_ASSET_LIMIT,
                    score=None,
                    explanation=(
                        f"За {month_label(r.month)} за счёт средств ОМС оплачено основных средств "
                        f"(КОСГУ 310) дороже {rub(FIXED_ASSET_LIMIT)} за документ ({r.mid_count} шт., "
                        f"всего {rub(r.mid_sum)}), "
                        f"хотя кредиторская задолженность МО растёт. {basis}"
                    ),
                )
            )
    return findings


def wages_share(
    figures: Mapping[tuple[uuid.UUID, date], Mapping[str, Decimal]], threshold: float = WAGES_SHARE_THRESHOLD
) -> list[Finding]:
    findings = []
    for (mo, month), metrics in sorted(figures.items()):
        cmi = metrics.get("cmi_expense", Decimal(0))
        wages = metrics.get("wages_cmi", Decimal(0))
        if cmi < MIN_AMOUNT:
            continue
        share = float(wages / cmi)
        if share <= threshold:
            continue
        findings.append(
            Finding(
                mo_id=mo,
                month=month,
                kind="rule",
                metric="cmi_wages_share",
                value=_d(share),
                expected=_d(threshold),
                score=None,
                explanation=(
                    f"За {month_label(month)} оплата труда с начислениями (КОСГУ 211 + 213) — "
                    f"{percent(share)} расходов средств ОМС ({rub(wages)} из {rub(cmi)}), "
                    f"выше порога {percent(threshold)}: "
                    f"на медикаменты, питание и содержание остаётся слишком мало, возможна кредиторская "
                    f"задолженность по ним."
                ),
            )
        )
    return findings


def payables_growth(
    figures: Mapping[tuple[uuid.UUID, date], Mapping[str, Decimal]], growth: float = PAYABLES_GROWTH
) -> list[Finding]:
    by_mo: dict[uuid.UUID, list[tuple[date, Decimal]]] = defaultdict(list)
    for (mo, month), metrics in sorted(figures.items()):
        by_mo[mo].append((month, metrics.get("payables", Decimal(0))))
    findings = []
    for mo, series in by_mo.items():
        for i in range(3, len(series)):
            window = [v for _, v in series[i - 3 : i + 1]]
            month, value = series[i]
            base = window[0]
            rising = all(a < b for a, b in itertools.pairwise(window))
            if not rising or value - base < MIN_AMOUNT or base <= 0 or float(value / base) < growth:
                continue
            findings.append(
                Finding(
                    mo_id=mo,
                    month=month,
                    kind="rule",
                    metric="payables_growth",
                    value=value,
                    expected=base,
                    score=None,
                    explanation=(
                        f"Кредиторская задолженность растёт три месяца подряд: {rub(base)} → "
                        f"{' → '.join(rub(v) for v in window[1:])} (на конец месяца: {month_label(month)}, "
                        f"в {num(float(value / base))} раза)."
                    ),
                )
            )
    return findings


def search(
    figures: Mapping[tuple[uuid.UUID, date], Mapping[str, Decimal]],
    profiles: Mapping[uuid.UUID, Profile],
    not_allowed: Sequence[tuple[uuid.UUID, date, str, Decimal]],
    fixed_assets: Sequence[FixedAssets],
    *,
    wages_threshold: float = WAGES_SHARE_THRESHOLD,
) -> list[Finding]:
    payables = payables_growth(figures)
    return [
        *month_on_month(figures),
        *peer_group(figures, profiles),
        *not_allowed_for_cmi(not_allowed),
        *fixed_assets_over_limit(fixed_assets, [(f.mo_id, f.month) for f in payables]),
        *wages_share(figures, wages_threshold),
        *payables,
    ]
