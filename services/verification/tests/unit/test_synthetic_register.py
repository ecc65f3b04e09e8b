"""The synthetic register: deterministic, valid identifiers, every truth kind planted in the year."""

from collections import Counter
from datetime import date

import pytest

from oms_kit.identifiers import enp_is_valid, snils_is_valid
from oms_kit.synthetic_names import FEMALE_NAMES, MALE_NAMES
from verification.synthetic import TRUTH_KINDS, SyntheticRegister, generate_register
from verification.synthetic.distortions import digit_typo, swapped_day_month, typo


@pytest.fixture(scope="module")
def register() -> SyntheticRegister:
    return generate_register(5000, seed=11, year=2025)


def test_same_seed_same_register(register: SyntheticRegister) -> None:
    again = generate_register(5000, seed=11, year=2025)
    assert again.records == register.records
    assert again.truths == register.truths
    assert generate_register(5000, seed=12, year=2025).records != register.records


def test_identifiers_carry_valid_check_digits_and_are_unique_per_person(register: SyntheticRegister) -> None:
    snils = [r.snils for r in register.records if r.snils]
    assert len(snils) > 4500
    assert all(snils_is_valid(s) for s in snils)
    assert all(enp_is_valid(r.enp) for r in register.records if r.enp)
    clusters = register.duplicate_clusters()
    owners: dict[str, set[str]] = {}
    for r in register.records:
        if r.snils:
            owners.setdefault(r.snils, set()).add(clusters[r.unique_id])
    assert all(len(people) == 1 for people in owners.values())


def test_names_have_their_gender_forms(register: SyntheticRegister) -> None:
    duplicates = {t.subject_id for t in register.truths_of("duplicate")}
    originals = [r for r in register.records if r.unique_id not in duplicates]
    for r in originals:
        names = MALE_NAMES if r.sex == "male" else FEMALE_NAMES
        assert r.first_name in names
        ending = ("ич",) if r.sex == "male" else ("на",)
        assert (r.patronymic or "").endswith(ending)
    women = [r.surname or "" for r in originals if r.sex == "female"]
    assert sum(s.endswith(("а", "ая")) for s in women) / len(women) > 0.9


def test_every_truth_kind_is_planted_with_dates_inside_the_year(register: SyntheticRegister) -> None:
    kinds = Counter(t.kind for t in register.truths)
    assert set(kinds) == set(TRUTH_KINDS)
    ids = {r.unique_id for r in register.records}
    for truth in register.truths:
        assert truth.subject_id in ids
        if truth.kind == "duplicate":
            assert truth.duplicate_of in ids and truth.date_from is None
            continue
        assert truth.date_from is not None
        if truth.kind != "entrepreneur":  # registered before the year and still trading counts too
            assert date(2025, 1, 1) <= truth.date_from <= date(2025, 12, 31), truth
        if truth.date_to is not None:
            assert truth.date_to >= truth.date_from
            assert truth.date_to >= date(2025, 1, 1)
    changed = register.truths_of("name_changed")[0]
    assert changed.attributes["old_surname"] != changed.attributes["new_surname"]
    replaced = register.truths_of("passport_replaced")[0]
    assert replaced.attributes["new_number"] != replaced.attributes["old_number"]


def test_duplicates_of_every_kind_differ_from_their_original(register: SyntheticRegister) -> None:
    by_id = {r.unique_id: r for r in register.records}
    seen = Counter()
    for truth in register.truths_of("duplicate"):
        dup, original = by_id[truth.subject_id], by_id[truth.duplicate_of or ""]
        kind = truth.attributes["distortion"]
        seen[kind] += 1
        assert dup.birth_date is not None and original.birth_date is not None
        if kind == "swapped_day_month":
            assert (dup.birth_date.day, dup.birth_date.month) == (
                original.birth_date.month,
                original.birth_date.day,
            )
        elif kind == "latin":
            assert (dup.surname or "").isascii() and not (original.surname or "").isascii()
        elif kind == "married_surname":
            assert dup.sex == "female" and dup.surname != original.surname
        elif kind == "missing_snils":
            assert dup.snils is None
        elif kind == "date_typo":
            assert dup.birth_date != original.birth_date and dup.birth_date <= date(2025, 12, 31)
        elif kind == "typo":
            assert (dup.surname, dup.first_name, dup.patronymic) != (
                original.surname,
                original.first_name,
                original.patronymic,
            )
    assert set(seen) == {
        "typo",
        "swapped_day_month",
        "date_typo",
        "latin",
        "married_surname",
        "missing_snils",
    }
    assert len(register.duplicate_pairs()) >= len(register.truths_of("duplicate"))


def test_distortions() -> None:
    import random

    rng = random.Random(1)
    assert swapped_day_month(date(1990, 3, 7)) == date(1990, 7, 3)
    assert swapped_day_month(date(1990, 3, 25)) is None
    assert swapped_day_month(date(1990, 5, 5)) is None
    for _ in range(50):
        mistyped = digit_typo(date(2020, 6, 15), rng, date(2025, 12, 31))
        assert mistyped != date(2020, 6, 15) and mistyped <= date(2025, 12, 31)
        assert typo("Кузнецова", rng) != "Кузнецова"
