"""The robust z-score on known series, and each detector on figures made for it."""

from __future__ import annotations

import math
import uuid
from datetime import date
from decimal import Decimal

import pytest

from finance.deviations import detect
from finance.deviations.robust import robust_z


def test_robust_z_on_a_known_series() -> None:
    # median 10, |deviations| 0 1 1 2 2 → MAD 1; z = 0.6745 × (20 − 10) / 1
    r = robust_z(20, [8, 9, 10, 11, 12])
    assert (r.median, r.mad) == (10, 1)
    assert r.z == pytest.approx(6.745)
    # The outlier itself does not drag the median and MAD, as it would a mean and SD.
    assert robust_z(10, [8, 9, 10, 11, 1000]).z == pytest.approx(0)
    # MAD 0 (most values equal): the mean absolute deviation stands in.
    r = robust_z(15, [10, 10, 10, 10, 20])
    assert r.mad == 0 and r.z == pytest.approx(5 / (1.253314 * 2))
    # Every reference value equal: a different value is infinitely far, an equal one is not.
    assert robust_z(11, [10, 10, 10]).z == math.inf and robust_z(10, [10, 10]).z == 0
    with pytest.raises(ValueError):
        robust_z(1, [])


MOS = [uuid.UUID(int=i) for i in range(1, 9)]
MONTHS = [date(2031, m, 1) for m in range(1, 8)]


def figures(**overrides: dict[tuple[int, int], Decimal]) -> dict:
    """8 MOs × 7 months of steady figures (each MO its own size, a little noise), seasonal
    utilities (the season is the region's: it must not be flagged), overrides by metric →
    (MO index, month index) → amount."""
    season = [1.45, 1.4, 1.2, 1.0, 0.75, 0.6, 0.55]
    out: dict = {}
    for i, mo in enumerate(MOS):
        size = Decimal(1 + i)
        for j, m in enumerate(MONTHS):
            noise = Decimal(1 + ((i * 7 + j * 3) % 5 - 2) / 100)
            cmi = 1_000_000 * size * noise
            out[(mo, m)] = {
                "cmi_expense": cmi,
                "wages_cmi": cmi * Decimal("0.7"),
                "cmi_341": cmi * Decimal("0.1"),
                "cmi_223": cmi * Decimal("0.05") * Decimal(season[j]),
                "utilities": cmi * Decimal("0.06") * Decimal(season[j]),
                "expense": cmi * Decimal("1.2"),
                "payables": cmi * Decimal("0.2"),
            }
    for metric, cells in overrides.items():
        for (i, j), amount in cells.items():
            out[(MOS[i], MONTHS[j])][metric] = amount
    return out


def test_month_on_month_finds_the_spike_and_not_the_season() -> None:
    base = figures()
    assert detect.month_on_month(base) == []
    spiked = figures(cmi_341={(2, 5): base[(MOS[2], MONTHS[5])]["cmi_341"] * 3})
    [finding] = detect.month_on_month(spiked)
    assert (finding.mo_id, finding.month, finding.kind, finding.metric) == (
        MOS[2],
        MONTHS[5],
        "month_on_month",
        "cmi_341",
    )
    assert finding.score is not None and finding.score > detect.OUTLIER_Z
    assert finding.expected is not None and abs(finding.value / finding.expected - 3) < Decimal("0.2")
    assert "в 3,0 раза больше" in finding.explanation or "в 2,9 раза больше" in finding.explanation


def test_peer_group_per_bed() -> None:
    profiles = {mo: detect.Profile(mo, "budget", 100 * (1 + i), None) for i, mo in enumerate(MOS)}
    base = figures()
    assert detect.peer_group(base, profiles) == []
    heavy = figures(utilities={(4, j): base[(MOS[4], MONTHS[j])]["utilities"] * 5 for j in range(7)})
    [finding] = detect.peer_group(heavy, profiles)
    assert (finding.mo_id, finding.month, finding.metric) == (MOS[4], MONTHS[-1], "utilities_per_bed")
    assert "сопоставимых МО" in finding.explanation
    # A peer group too small to judge: nothing.
    few = {mo: p for mo, p in list(profiles.items())[:5]}
    assert detect.peer_group(heavy, few) == []


def test_rules() -> None:
    mo, month = MOS[0], MONTHS[3]
    [fine] = detect.not_allowed_for_cmi(
        [(mo, month, "293", Decimal("187450.00")), (mo, month, "211", Decimal(1))]
    )
    assert fine.metric == "cmi_not_allowed_293" and fine.value == Decimal("187450.00")
    assert "187\u202f450,00 ₽" in fine.explanation and "326-ФЗ" in fine.explanation

    over = detect.FixedAssets(mo, month, 1, Decimal("1500000"), 2, Decimal("450000"), Decimal("1500000"))
    [assets] = detect.fixed_assets_over_limit([over])
    assert assets.metric == "cmi_310_over_limit" and assets.value == Decimal("1500000")
    assert assets.expected == Decimal(1000000) and "326-ФЗ" in assets.explanation
    mid = detect.FixedAssets(mo, month, 0, Decimal(0), 2, Decimal("450000"), Decimal("300000"))
    assert detect.fixed_assets_over_limit([mid]) == []  # up to 1 million: allowed without unpaid debts
    [conditional] = detect.fixed_assets_over_limit([mid], unpaid=[(mo, month)])
    assert conditional.metric == "cmi_310_with_payables" and conditional.value == Decimal("450000")

    base = figures()
    assert detect.wages_share(base) == []
    high = figures(wages_cmi={(1, 6): base[(MOS[1], MONTHS[6])]["cmi_expense"] * Decimal("0.88")})
    [wages] = detect.wages_share(high)
    assert (wages.mo_id, wages.month, wages.value) == (MOS[1], MONTHS[6], Decimal("0.88"))
    assert detect.wages_share(high, threshold=0.9) == []

    assert detect.payables_growth(base) == []
    p = base[(MOS[5], MONTHS[3])]["payables"]
    growing = figures(
        payables={(5, 4): p * Decimal("1.6"), (5, 5): p * Decimal("2.5"), (5, 6): p * Decimal("3.8")}
    )
    found = detect.payables_growth(growing)
    # Three months running up to ×2 and more: the last two months of the growth.
    assert [(f.mo_id, f.month) for f in found] == [(MOS[5], MONTHS[5]), (MOS[5], MONTHS[6])]
    assert found[-1].expected == p and found[-1].value == p * Decimal("3.8")


def test_amounts_are_written_the_russian_way() -> None:
    assert detect.rub(Decimal("1234567.891")) == "1\u202f234\u202f567,89 ₽"
    assert detect.rub(Decimal("-5")) == "−5,00 ₽"
    assert detect.percent(0.8812) == "88,1 %"
