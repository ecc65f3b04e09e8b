"""The demo budget part: deterministic figures for every MO × month, sized by the MO, with the
five planted anomalies where ``planted_anomalies`` says they are."""

from __future__ import annotations

import statistics
import uuid
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo import budget
from finance.demo.budget import PLANTED_ANOMALIES, budget_rows, mo_shape, planted_anomalies
from finance.demo.region import DemoMo, DemoRegion, demo_region, last_full_months
from finance.models import MoProfile, Organization

TODAY = date(2026, 11, 24)
MOS = {
    "990001": "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
    "990002": "ГБУЗ «Приозёрская областная клиническая больница»",
    "990003": "ГБУЗ «Заречная центральная районная больница»",
    "990007": "ГБУЗ «Городская поликлиника № 5 г. Приозёрска»",
    "990012": "ГБУЗ «Городская больница № 1 г. Приозёрска»",
    "990013": "ГБУЗ «Городская больница № 2 г. Приозёрска»",
    "990014": "ГБУЗ «Городская больница № 3 г. Приозёрска»",
    "990018": "ГБУЗ «Приозёрский областной онкологический диспансер»",
    "990029": "ГБУЗ «Лесогорская центральная районная больница»",
    "990030": "ГБУЗ «Лесогорская городская больница»",
    "990042": "ООО «Медицинский центр «Здоровье»",
}


def _region(codes: list[str] | None = None, *, registry_profiles: bool = False) -> DemoRegion:
    """The demo MOs; with ``registry_profiles`` their profiles as the registry's demo snapshot
    gives them: beds of the inpatient departments (some none), ~4 000 attached persons each."""
    mos = []
    for i, code in enumerate(sorted(codes or MOS)):
        beds = attached = None
        if registry_profiles:
            beds = [None, 40, 120, 35, 260, 80, None, 150, 60, 45, 90][i % 11]
            attached = 3_700 + 53 * i
        mos.append(DemoMo(uuid.uuid5(uuid.NAMESPACE_URL, code), code, MOS[code], None, beds, attached))
    return DemoRegion(tuple(mos), last_full_months(TODAY))


def _cells(rows: list[dict]) -> dict[tuple, dict]:
    return {(r["mo_id"], r["month"], r["flow"], r["kvfo"], r["kosgu"]): r for r in rows}


def test_the_figures_are_the_same_every_time_and_do_not_depend_on_the_other_mos() -> None:
    first, again = budget_rows(_region()), budget_rows(_region())
    assert first == again
    small = _region(["990001", "990002", "990012", "990014", "990030", "990042"])
    planted = {a.mo_code for a in planted_anomalies(small) + planted_anomalies(_region())}
    plain = {mo.id for mo in small.mos if mo.code not in planted}
    few = {k: v for k, v in _cells(budget_rows(small)).items() if k[0] in plain}
    everything = _cells(first)
    assert len(plain) >= 1 and few and all(everything[key] == row for key, row in few.items())


def test_every_mo_has_twelve_months_of_income_expenses_and_payables_in_kopecks() -> None:
    region = _region()
    rows = budget_rows(region)
    assert len(region.months) == 12
    for mo in region.mos:
        mine = [r for r in rows if r["mo_id"] == mo.id]
        assert {r["month"] for r in mine} == set(region.months)
        assert {r["flow"] for r in mine} == {"income", "expense", "payable"}
        kvfos = {r["kvfo"] for r in mine}
        assert kvfos == ({7, 2} if mo_shape(mo).legal_form == "private" else {2, 4, 5, 7} | (kvfos & {6}))
    assert all(r["actual"] == r["actual"].quantize(Decimal("0.01")) for r in rows)
    assert any(r["actual"] % 1 != 0 for r in rows)  # kopecks, not round roubles
    assert all(r["planned"] is None for r in rows if r["flow"] == "payable")


def test_state_mo_structure_cmi_share_wages_and_contributions() -> None:
    region = _region()
    cells = _cells(budget_rows(region))
    mo = region.mo("990002")
    for month in region.months:
        income = {k: v["actual"] for k, v in cells.items() if k[:3] == (mo.id, month, "income")}
        assert (
            Decimal("0.6")
            < income[(mo.id, month, "income", 7, "132")] / sum(income.values())
            < Decimal("0.75")
        )
        wages = cells[(mo.id, month, "expense", 7, "211")]["actual"]
        contributions = cells[(mo.id, month, "expense", 7, "213")]["actual"]
        assert abs(contributions - wages * Decimal("0.302")) <= Decimal("0.01")
        planned = cells[(mo.id, month, "expense", 7, "211")]["planned"]
        assert abs(planned / wages - 1) <= Decimal("0.07")
    january = next(m for m in region.months if m.month == 1)
    july = next(m for m in region.months if m.month == 7)
    utilities = {m: cells[(mo.id, m, "expense", 7, "223")]["actual"] for m in (january, july)}
    assert utilities[january] > 2 * utilities[july]


def test_profile_gaps_are_filled_from_the_name() -> None:
    region = _region()
    assert mo_shape(region.mo("990002")).beds > 500
    assert mo_shape(region.mo("990001")).attached_persons > 20_000
    assert mo_shape(region.mo("990042")).legal_form == "private"
    given = DemoMo(uuid.uuid4(), "1", MOS["990002"], "autonomous", 100, 5)
    assert (mo_shape(given).beds, mo_shape(given).attached_persons, mo_shape(given).legal_form) == (
        100,
        5,
        "autonomous",
    )


def _expense(cells: dict, mo_id: uuid.UUID, month: date, kvfo: int | None = None) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for (m, mon, flow, kv, kosgu), row in cells.items():
        if m == mo_id and mon == month and flow == "expense" and (kvfo is None or kv == kvfo):
            out[kosgu] = out.get(kosgu, Decimal(0)) + row["actual"]
    return out


@pytest.mark.parametrize("registry_profiles", [False, True], ids=["names only", "registry snapshot"])
def test_the_planted_anomalies_are_where_they_are_said_to_be(registry_profiles: bool) -> None:
    region = _region(registry_profiles=registry_profiles)
    cells = _cells(budget_rows(region))
    planted = {a.kind: a for a in planted_anomalies(region)}
    assert set(planted) == {a.kind for a in PLANTED_ANOMALIES}
    assert {a.mo_code for a in planted.values()} == {a.mo_code for a in PLANTED_ANOMALIES}
    months = region.months

    fine = planted["cmi_not_allowed"]
    fine_mo = region.mo(fine.mo_code).id
    assert cells[(fine_mo, fine.month, "expense", 7, "293")]["actual"] == Decimal("187450.00")
    assert sum(1 for k in cells if k[4] == "293") == 1  # nowhere else

    wages = planted["wages_share"]
    for month in months:
        for mo in region.mos:
            spent = _expense(cells, mo.id, month, 7)
            share = (spent["211"] + spent["213"]) / sum(spent.values())
            flagged = mo.code == wages.mo_code and month in wages.affected_months(months)
            assert (share > Decimal("0.85")) is flagged, (mo.code, month, share)

    spike = planted["mom_spike"]
    spike_mo = region.mo(spike.mo_code).id
    i = months.index(spike.month)
    ratio = (
        cells[(spike_mo, months[i], "expense", 7, "341")]["actual"]
        / cells[(spike_mo, months[i - 1], "expense", 7, "341")]["actual"]
    )
    assert Decimal("3.1") < ratio < Decimal("3.3")
    for mo in region.mos:
        for j in range(1, 12):
            if (mo.id, months[j]) != (spike_mo, months[i]):
                a = cells[(mo.id, months[j], "expense", 7, "341")]["actual"]
                b = cells[(mo.id, months[j - 1], "expense", 7, "341")]["actual"]
                assert a / b < 2

    utilities = planted["peer_outlier"]
    for month in months:
        per_bed = {
            mo.code: _expense(cells, mo.id, month)["223"] / mo_shape(mo).beds
            for mo in region.mos
            if mo_shape(mo).beds
        }
        peers = statistics.median(v for code, v in per_bed.items() if code != utilities.mo_code)
        assert per_bed[utilities.mo_code] / peers > 4
        assert all(v / peers < 2 for code, v in per_bed.items() if code != utilities.mo_code)

    payables = planted["payables_growth"]
    pay_mo = region.mo(payables.mo_code).id
    totals = [
        sum(r["actual"] for k, r in cells.items() if k[0] == pay_mo and k[1] == m and k[2] == "payable")
        for m in months[-4:]
    ]
    assert totals == sorted(totals) and totals[-1] > 3 * totals[0]


def test_an_mo_missing_from_the_region_is_stood_in_for() -> None:
    region = _region(["990001", "990002", "990012", "990014", "990030", "990042"])
    planted = planted_anomalies(region)
    assert {a.kind for a in planted} == {a.kind for a in PLANTED_ANOMALIES}
    assert len({a.mo_code for a in planted}) == len(planted)
    assert all(mo_shape(region.mo(a.mo_code)).state for a in planted)


async def test_the_seed_writes_the_rows_and_fills_the_profiles(session: AsyncSession) -> None:
    await session.execute(text("DELETE FROM budget_entry"))
    health = uuid.uuid4()
    session.add(Organization(id=health, name="Минздрав", kind="health_authority", code="99-MZ"))
    for code, name in MOS.items():
        session.add(Organization(id=uuid.uuid5(uuid.NAMESPACE_URL, code), name=name, kind="mo", code=code))
    given = uuid.uuid5(uuid.NAMESPACE_URL, "990002")
    session.add(MoProfile(mo_id=given, beds=700))
    await session.flush()
    region = await demo_region(session, today=TODAY)
    assert region is not None
    result = await budget.seed(session, region)
    assert result["entries"] == len(budget_rows(region)) > 11 * 12 * 30
    assert {a["kind"] for a in result["anomalies"]} == {a.kind for a in PLANTED_ANOMALIES}
    count = await session.scalar(text("SELECT count(*) FROM budget_entry WHERE source = 'demo'"))
    assert count == result["entries"]
    profiles = {p.mo_id: p for p in await session.scalars(select(MoProfile))}
    assert profiles[given].beds == 700  # what registry gave stays
    assert profiles[given].founder_id == health
    private = profiles[uuid.uuid5(uuid.NAMESPACE_URL, "990042")]
    assert (private.legal_form, private.founder_id) == ("private", None)
    again = await budget.seed(session, region)
    assert again["entries"] == 0
