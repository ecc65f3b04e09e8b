"""The merge plan's interval rules without a database: lifelong kinds, the survivor winning
on shared days, succession for a later real change, an older document kept as a previous one."""

import itertools
from datetime import date

from sqlalchemy.dialects.postgresql import Range

from registry.matching.merge_plan import plan_merge, subtract
from registry.models.person import PersonFact

_ids = itertools.count(1)
BIRTH = date(1990, 3, 15)


def fact(kind: str, lo: date, hi: date | None = None, slot: str = "", **data: object) -> PersonFact:
    return PersonFact(id=next(_ids), kind=kind, slot=slot, valid=Range(lo, hi, bounds="[)"), data=dict(data))


def test_subtract() -> None:
    d = date
    assert subtract([(d(2000, 1, 1), None)], (d(2005, 1, 1), d(2006, 1, 1))) == [
        (d(2000, 1, 1), d(2005, 1, 1)),
        (d(2006, 1, 1), None),
    ]
    assert subtract([(d(2000, 1, 1), d(2001, 1, 1))], (d(1990, 1, 1), None)) == []
    assert subtract([(d(2000, 1, 1), d(2001, 1, 1))], (d(2001, 1, 1), None)) == [
        (d(2000, 1, 1), d(2001, 1, 1))
    ]


def test_lifelong_kinds_copy_only_what_the_survivor_lacks() -> None:
    survivor = [fact("birth", BIRTH), fact("sex", BIRTH)]
    merged = [
        fact("birth", date(1990, 11, 3)),
        fact("sex", date(1990, 11, 3)),
        fact("death", date(2024, 1, 2)),
    ]
    plan = plan_merge(survivor, merged, merged_birth=date(1990, 11, 3))
    assert [f.kind for f, _ in plan.copy] == ["death"]
    assert sorted(f.kind for f in plan.kept_apart) == ["birth", "sex"]


def test_the_survivor_wins_on_shared_days_from_birth() -> None:
    survivor = [fact("name", BIRTH, surname="Иванова"), fact("enp", BIRTH)]
    merged = [fact("name", BIRTH, surname="Иваноава"), fact("enp", BIRTH)]
    plan = plan_merge(survivor, merged, merged_birth=BIRTH)
    assert plan.copy == [] and plan.shorten == [] and len(plan.kept_apart) == 2


def test_a_later_married_name_succeeds_the_survivors_name() -> None:
    own = fact("name", BIRTH, surname="Иванова")
    merged = [
        fact("name", BIRTH, date(2015, 6, 20), surname="Иванова"),
        fact("name", date(2015, 6, 20), surname="Петрова"),
    ]
    plan = plan_merge([own], merged, merged_birth=BIRTH)
    assert plan.shorten == [(own, (BIRTH, date(2015, 6, 20)))]
    assert [(f.data["surname"], valid) for f, valid in plan.copy] == [("Петрова", (date(2015, 6, 20), None))]


def test_an_older_document_becomes_the_previous_one_and_other_slots_are_copied() -> None:
    survivor = [fact("document", date(2010, 4, 1), slot="14")]
    older = fact("document", date(2005, 4, 1), slot="14")
    certificate = fact("document", BIRTH, slot="03")
    plan = plan_merge(survivor, [older, certificate], merged_birth=BIRTH)
    assert sorted((f.slot, valid) for f, valid in plan.copy) == [
        ("03", (BIRTH, None)),
        ("14", (date(2005, 4, 1), date(2010, 4, 1))),
    ]
