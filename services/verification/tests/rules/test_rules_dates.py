"""The outcome rules on dates: every reason's months, the month rule, priority, review band and
operator overrides (decision 0009). Period: the calendar year 2026."""

from datetime import date

import pytest

from verification.linkage.records import PersonRecord
from verification.rules import Fact, Period, Threshold, Thresholds, decide

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
T = Thresholds(default=Threshold(accept=0.95, review=0.80))


def person(uid: str = "s1", **kw: object) -> PersonRecord:
    base: dict[str, object] = dict(
        unique_id=uid,
        surname="ИВАНОВ",
        first_name="ИВАН",
        patronymic="ИВАНОВИЧ",
        birth_date=date(1980, 5, 17),
        sex="male",
        snils="11223344595",
        enp="7700000000000001",
        doc_type="21",
        doc_series="4510",
        doc_number="123456",
    )
    base.update(kw)
    return PersonRecord(**base)  # type: ignore[arg-type]


def fact(kind: str, d_from: date | None, d_to: date | None = None, p: float = 0.99, **kw: object) -> Fact:
    return Fact(
        record_id=kw.pop("record_id", f"r-{kind}-{d_from}"),  # type: ignore[arg-type]
        kind=kind,
        date_from=d_from,
        date_to=d_to,
        match_probability=p,
        pair_id=kw.pop("pair_id", f"p-{kind}-{d_from}"),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def ranges(outcome) -> list[tuple[str, date, date, int]]:  # type: ignore[no-untyped-def]
    return [(p.reason, p.date_from, p.date_to, p.months) for p in outcome.periods]


def test_no_facts_keeps() -> None:
    o = decide(person(), [], YEAR, T)
    assert (o.outcome, o.reason, o.months_excluded, o.periods) == ("keep", None, 0, ())


@pytest.mark.parametrize(
    ("death", "first_excluded", "months"),
    [
        (date(2026, 3, 1), date(2026, 4, 1), 9),  # died on the 1st: March is still paid
        (date(2026, 3, 31), date(2026, 4, 1), 9),  # died on the 31st: the same
        (date(2026, 2, 28), date(2026, 3, 1), 10),  # the last day of February
        (date(2026, 12, 31), None, 0),  # died on the last day of the period: nothing excluded
        (date(2025, 12, 31), date(2026, 1, 1), 12),  # died before the period: the whole year
        (date(2025, 6, 10), date(2026, 1, 1), 12),
    ],
)
def test_dead_from_the_month_after_death(death: date, first_excluded: date | None, months: int) -> None:
    o = decide(person(), [fact("zags.death", death)], YEAR, T)
    assert o.months_excluded == months
    if first_excluded is None:
        assert o.outcome == "keep" and o.periods == ()
        assert o.evidence[0].note == "Ни одного полного месяца в проверяемом периоде"
    else:
        assert o.outcome == "exclude" and o.reason == "dead"
        assert ranges(o) == [("dead", first_excluded, date(2026, 12, 31), months)]
        assert o.evidence[0].record_id == f"r-zags.death-{death}"
        assert o.evidence[0].pair_id == f"p-zags.death-{death}"


def test_employed_in_scattered_months() -> None:
    facts = [
        fact("sfr.contributions", date(2026, m, 1), date(2026, m, 28 if m == 2 else 30))
        for m in (2, 3, 4, 9, 11)
    ] + [fact("fns.income", date(2026, 4, 1), date(2026, 4, 30), record_id="inc-apr")]  # April twice: once
    o = decide(person(), facts, YEAR, T)
    assert o.outcome == "exclude" and o.reason == "employed" and o.months_excluded == 5
    assert ranges(o) == [
        ("employed", date(2026, 2, 1), date(2026, 4, 30), 3),
        ("employed", date(2026, 9, 1), date(2026, 9, 30), 1),
        ("employed", date(2026, 11, 1), date(2026, 11, 30), 1),
    ]
    assert len(o.evidence) == 6


def test_employment_outside_the_period_changes_nothing() -> None:
    o = decide(person(), [fact("sfr.contributions", date(2025, 12, 1), date(2025, 12, 31))], YEAR, T)
    assert (o.outcome, o.months_excluded) == ("keep", 0)


@pytest.mark.parametrize(
    ("registered", "terminated", "expected"),
    [
        # registered mid-March, terminated mid-September: April..August
        (date(2026, 3, 15), date(2026, 9, 10), [(date(2026, 4, 1), date(2026, 8, 31), 5)]),
        # registered on the 1st: March counts; terminated on 1 October: September is the last month
        (date(2026, 3, 1), date(2026, 10, 1), [(date(2026, 3, 1), date(2026, 9, 30), 7)]),
        # terminated on 30 September: the 30th is not a day of status, September is paid
        (date(2026, 3, 1), date(2026, 9, 30), [(date(2026, 3, 1), date(2026, 8, 31), 6)]),
        # registered years ago, still registered: the whole year
        (date(2019, 7, 4), None, [(date(2026, 1, 1), date(2026, 12, 31), 12)]),
        # registered and terminated within one month: nothing
        (date(2026, 5, 3), date(2026, 5, 20), []),
    ],
)
def test_entrepreneur_while_registered(registered: date, terminated: date | None, expected: list) -> None:  # type: ignore[type-arg]
    o = decide(person(), [fact("fns.entrepreneur", registered, terminated)], YEAR, T)
    assert [(a, b, n) for _, a, b, n in ranges(o)] == expected
    assert o.outcome == ("exclude" if expected else "keep")


def test_military_service_whole_months_in_service() -> None:
    o = decide(person(), [fact("military.service", date(2026, 4, 1), date(2026, 6, 15))], YEAR, T)
    assert ranges(o) == [("military", date(2026, 4, 1), date(2026, 5, 31), 2)]
    assert o.reason == "military"


def test_missing_from_the_declaration_date() -> None:
    o = decide(person(), [fact("mvd.missing", date(2026, 10, 1))], YEAR, T)
    assert ranges(o) == [("missing", date(2026, 10, 1), date(2026, 12, 31), 3)]
    o = decide(person(), [fact("mvd.missing", date(2026, 10, 2))], YEAR, T)
    assert ranges(o) == [("missing", date(2026, 11, 1), date(2026, 12, 31), 2)]


def test_overlapping_reasons_one_reason_a_month_by_priority() -> None:
    facts = [
        fact("sfr.contributions", date(2026, 1, 1), date(2026, 1, 31)),
        fact("sfr.contributions", date(2026, 5, 1), date(2026, 5, 31)),  # under the entrepreneur
        fact("fns.entrepreneur", date(2026, 4, 1), date(2026, 7, 1)),  # April..June
        fact("military.service", date(2026, 6, 1), date(2026, 8, 31)),  # June over the entrepreneur
        fact("mvd.missing", date(2026, 8, 1)),  # August under the military, then September
        fact("zags.death", date(2026, 9, 14)),  # October..December over missing
    ]
    o = decide(person(), facts, YEAR, T)
    assert ranges(o) == [
        ("employed", date(2026, 1, 1), date(2026, 1, 31), 1),
        ("entrepreneur", date(2026, 4, 1), date(2026, 5, 31), 2),
        ("military", date(2026, 6, 1), date(2026, 8, 31), 3),
        ("missing", date(2026, 9, 1), date(2026, 9, 30), 1),
        ("dead", date(2026, 10, 1), date(2026, 12, 31), 3),
    ]
    assert o.months_excluded == 10  # the union: Jan, Apr..Dec
    assert o.reason == "dead"
    assert o.reasons == ("dead", "military", "entrepreneur", "employed", "missing")
    assert o.months_by_reason() == {"employed": 1, "entrepreneur": 2, "military": 3, "missing": 1, "dead": 3}


def test_periods_split_at_the_year_boundary() -> None:
    two_years = Period(date(2025, 1, 1), date(2026, 12, 31))
    o = decide(person(), [fact("military.service", date(2025, 11, 1), date(2026, 2, 28))], two_years, T)
    assert ranges(o) == [
        ("military", date(2025, 11, 1), date(2025, 12, 31), 2),
        ("military", date(2026, 1, 1), date(2026, 2, 28), 2),
    ]


def test_review_band_and_ignored_links() -> None:
    death = date(2026, 3, 10)
    o = decide(person(), [fact("zags.death", death, p=0.90)], YEAR, T)
    assert (o.outcome, o.reason, o.evidence[0].status) == ("review", "dead", "review")
    o = decide(person(), [fact("zags.death", death, p=0.50)], YEAR, T)
    assert (o.outcome, o.evidence) == ("keep", ())
    # at the bounds: ≥ accept is accepted, ≥ review is reviewed
    assert decide(person(), [fact("zags.death", death, p=0.95)], YEAR, T).outcome == "exclude"
    assert decide(person(), [fact("zags.death", death, p=0.80)], YEAR, T).outcome == "review"


def test_thresholds_per_source() -> None:
    t = Thresholds(
        default=Threshold(0.95, 0.80),
        by_source={"sfr": Threshold(0.70, 0.60), "sfr.contributions": Threshold(0.99, 0.90)},
    )
    assert t.for_kind("sfr.contributions") == Threshold(0.99, 0.90)
    assert t.for_kind("sfr.other") == Threshold(0.70, 0.60)
    assert t.for_kind("zags.death") == Threshold(0.95, 0.80)
    c = fact("sfr.contributions", date(2026, 2, 1), date(2026, 2, 28), p=0.97)
    assert decide(person(), [c], YEAR, t).outcome == "review"
    assert decide(person(), [c], YEAR, T).outcome == "exclude"
    with pytest.raises(ValueError):
        Threshold(accept=0.7, review=0.8)


def test_operator_decision_overrides_probability() -> None:
    low = fact("zags.death", date(2026, 3, 10), p=0.30, decision="confirm")
    o = decide(person(), [low], YEAR, T)
    assert (o.outcome, o.months_excluded, o.evidence[0].status) == ("exclude", 9, "confirmed")
    high = fact("zags.death", date(2026, 3, 10), p=0.999, decision="reject")
    o = decide(person(), [high], YEAR, T)
    assert (o.outcome, o.months_excluded) == ("keep", 0)
    assert (o.evidence[0].status, o.evidence[0].note) == ("rejected", "Отклонено оператором")


def test_review_unless_accepted_reasons_already_exclude_the_whole_period() -> None:
    employed_review = fact("sfr.contributions", date(2026, 2, 1), date(2026, 2, 28), p=0.85)
    dead_in_may = fact("zags.death", date(2026, 5, 5))
    o = decide(person(), [employed_review, dead_in_may], YEAR, T)
    assert o.outcome == "review" and o.reason == "employed"
    assert ranges(o) == [("dead", date(2026, 6, 1), date(2026, 12, 31), 7)]  # provisional
    dead_long_ago = fact("zags.death", date(2024, 5, 5))
    o = decide(person(), [employed_review, dead_long_ago], YEAR, T)
    assert (o.outcome, o.reason, o.months_excluded) == ("exclude", "dead", 12)


def test_a_fact_without_its_date_goes_to_review() -> None:
    o = decide(person(), [fact("zags.death", None)], YEAR, T)
    assert (o.outcome, o.evidence[0].note) == ("review", "Не указана дата события")


def test_name_change_is_an_update_with_the_new_data() -> None:
    change = fact(
        "zags.name_change",
        date(2026, 6, 20),
        attributes={"old_surname": "ИВАНОВА", "new_surname": "ПЕТРОВА", "new_first_name": " "},
    )
    o = decide(person(surname="ИВАНОВА", sex="female"), [change], YEAR, T)
    assert (o.outcome, o.reason, o.months_excluded) == ("update", "personal_data_changed", 0)
    assert o.updates == {"surname": "ПЕТРОВА"}


def test_replaced_passport_is_an_update_invalid_passport_a_review() -> None:
    replaced = fact(
        "mvd.passport_invalid",
        date(2026, 2, 1),
        attributes={"reason": "replaced", "old_series": "4510", "new_series": "4521", "new_number": "654321"},
    )
    o = decide(person(), [replaced], YEAR, T)
    assert (o.outcome, o.updates) == ("update", {"doc_series": "4521", "doc_number": "654321"})
    assert (o.reason, o.evidence[0].reason) == ("personal_data_changed", "personal_data_changed")
    lost = fact("mvd.passport_invalid", date(2026, 2, 1), attributes={"reason": "lost", "new_number": "1"})
    o = decide(person(), [lost], YEAR, T)
    assert (o.outcome, o.reason, o.updates) == ("review", "invalid_document", {})
    assert o.evidence[0].note == "Документ недействителен или утрачен"


def test_exclusion_wins_over_an_update() -> None:
    change = fact("zags.name_change", date(2026, 1, 20), attributes={"new_surname": "ПЕТРОВА"})
    o = decide(person(), [change, fact("zags.death", date(2026, 8, 1))], YEAR, T)
    assert (o.outcome, o.reason, o.months_excluded) == ("exclude", "dead", 4)
    assert o.reasons == ("dead", "personal_data_changed")
    assert o.updates == {"surname": "ПЕТРОВА"}


def test_a_change_without_new_data_goes_to_review() -> None:
    replaced = fact("mvd.passport_invalid", date(2026, 2, 1), attributes={"reason": "replaced"})
    o = decide(person(), [replaced], YEAR, T)
    assert (o.outcome, o.reason, o.updates) == ("review", "invalid_document", {})
    assert o.evidence[0].note == "Нет новых персональных данных"
