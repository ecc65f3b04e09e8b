"""Duplicates within the register: clusters, the record kept, review band, operator decisions."""

from datetime import date

from verification.linkage.records import PersonRecord
from verification.rules import DuplicatePair, Fact, Period, Threshold, Thresholds, decide, resolve_duplicates

YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
T = Thresholds(default=Threshold(0.95, 0.80), by_source={"register": Threshold(0.90, 0.70)})


def rec(uid: str, *, enp: str | None = None, snils: str | None = None, docs: bool = False) -> PersonRecord:
    return PersonRecord(
        unique_id=uid,
        surname="СИДОРОВА",
        first_name="АННА",
        patronymic="ПЕТРОВНА",
        birth_date=date(1975, 2, 3),
        sex="female",
        snils=snils,
        enp=enp,
        doc_type="21" if docs else None,
        doc_series="4510" if docs else None,
        doc_number="111222" if docs else None,
    )


def test_the_record_with_enp_is_kept_before_a_more_complete_one() -> None:
    records = {"a": rec("a", snils="11223344595", docs=True), "b": rec("b", enp="7700000000000001")}
    verdicts = resolve_duplicates([DuplicatePair("p1", "a", "b", 0.99)], records, T)
    assert verdicts["a"].keeper == verdicts["b"].keeper == "b"
    kept = decide(records["b"], [], YEAR, T, verdicts["b"])
    dropped = decide(records["a"], [], YEAR, T, verdicts["a"])
    assert (kept.outcome, kept.months_excluded) == ("keep", 0)
    assert (dropped.outcome, dropped.reason, dropped.months_excluded) == ("exclude", "duplicate", 12)
    assert [(p.date_from, p.date_to) for p in dropped.periods] == [(date(2026, 1, 1), date(2026, 12, 31))]
    assert dropped.duplicate_of == "b"
    assert dropped.evidence[0].pair_id == "p1" and dropped.evidence[0].other_subject_id == "b"


def test_among_records_with_enp_the_most_complete_then_snils_then_smallest_id() -> None:
    records = {
        "c": rec("c", enp="7700000000000003"),
        "d": rec("d", enp="7700000000000004", docs=True),
        "e": rec("e", enp="7700000000000005", docs=True),
    }
    pairs = [DuplicatePair("p1", "c", "d", 0.99), DuplicatePair("p2", "d", "e", 0.95)]
    verdicts = resolve_duplicates(pairs, records, T)
    assert {s: v.keeper for s, v in verdicts.items()} == {"c": "d", "d": "d", "e": "d"}  # d < e by id
    records["e"] = rec("e", enp="7700000000000005", snils="11223344595", docs=True)
    verdicts = resolve_duplicates(pairs, records, T)
    assert verdicts["c"].keeper == "e"  # one field more (SNILS) wins over the id


def test_a_cluster_joins_through_chains_of_pairs() -> None:
    records = {k: rec(k) for k in "wxyz"}
    pairs = [
        DuplicatePair("1", "w", "x", 0.99),
        DuplicatePair("2", "y", "z", 0.99),
        DuplicatePair("3", "x", "y", 0.91),
    ]
    verdicts = resolve_duplicates(pairs, records, T)
    assert {v.keeper for v in verdicts.values()} == {"w"}
    outcomes = [decide(records[k], [], YEAR, T, verdicts[k]).outcome for k in "wxyz"]
    assert outcomes == ["keep", "exclude", "exclude", "exclude"]


def test_review_band_pair_puts_both_records_to_review() -> None:
    records = {"a": rec("a"), "b": rec("b")}
    verdicts = resolve_duplicates([DuplicatePair("p", "a", "b", 0.75)], records, T)
    assert verdicts["a"].keeper is None
    assert [decide(records[k], [], YEAR, T, verdicts[k]).outcome for k in "ab"] == ["review", "review"]
    assert decide(records["a"], [], YEAR, T, verdicts["a"]).reason == "duplicate"
    assert resolve_duplicates([DuplicatePair("p", "a", "b", 0.69)], records, T) == {}


def test_operator_decisions_on_duplicate_pairs() -> None:
    records = {"a": rec("a"), "b": rec("b", enp="7700000000000001")}
    confirmed = resolve_duplicates([DuplicatePair("p", "a", "b", 0.40, decision="confirm")], records, T)
    assert confirmed["a"].keeper == "b"
    assert decide(records["a"], [], YEAR, T, confirmed["a"]).outcome == "exclude"
    rejected = resolve_duplicates([DuplicatePair("p", "a", "b", 0.99, decision="reject")], records, T)
    assert rejected["a"].keeper is None
    o = decide(records["a"], [], YEAR, T, rejected["a"])
    assert (o.outcome, o.evidence[0].status) == ("keep", "rejected")


def test_a_dead_keeper_is_excluded_after_death_its_duplicate_for_the_whole_year() -> None:
    records = {"a": rec("a"), "b": rec("b", enp="7700000000000001")}
    verdicts = resolve_duplicates([DuplicatePair("p", "a", "b", 0.99)], records, T)
    death = Fact("r1", "zags.death", date(2026, 6, 30), None, 0.99, pair_id="q1")
    kept = decide(records["b"], [death], YEAR, T, verdicts["b"])
    dup = decide(records["a"], [death], YEAR, T, verdicts["a"])
    assert (kept.reason, kept.months_excluded) == ("dead", 6)
    # the duplicate's months go to 'dead' after June (higher priority), 'duplicate' before
    assert [(p.reason, p.months) for p in dup.periods] == [("duplicate", 6), ("dead", 6)]
    assert dup.reason == "dead" and dup.months_excluded == 12
