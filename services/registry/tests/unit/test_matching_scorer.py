"""The scorer on hand-made Russian examples: case and ё/е, double surnames, Latin input,
swapped day and month, a digit off, maiden and married surnames, identifiers; the merge plan's
interval rules."""

from datetime import date

import pytest

from registry.matching import normalize
from registry.matching.blocking import one_digit_variants, swapped
from registry.matching.scoring import Profile, compare, profile
from registry.matching.weights import CERTAIN, POSSIBLE, PROBABLE, WEIGHTS, Grade

BORN = date(1990, 3, 15)


def alena(**overrides: object) -> Profile:
    values: dict[str, object] = {
        "surname": "Иванова",
        "first_name": "Алёна",
        "patronymic": "Петровна",
        "birth_date": BORN,
        "sex": "female",
    }
    values.update(overrides)
    return profile(**values)  # type: ignore[arg-type]


def levels(a: Profile, b: Profile) -> dict[str, str]:
    return {r.field: r.level for r in compare(a, b).reasons}


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Ivanova", "ИВАНОВА"),
        ("Sergey", "СЕРГЕИ"),
        ("Aleksei", "АЛЕКСЕИ"),
        ("Iuliia", "ЮЛИЯ"),
        ("Yuliya", "ЮЛИЯ"),
        ("Natalya", "НАТАЛЯ"),
        ("Khrushcheva", "ХРУЩЕВА"),
        ("Tsvetkova", "ЦВЕТКОВА"),
        ("Zhukov", "ЖУКОВ"),
        ("Yelena", "ЕЛЕНА"),
        ("Fedorov", "ФЕДОРОВ"),
    ],
)
def test_latin_input_meets_the_cyrillic_skeleton(latin: str, cyrillic: str) -> None:
    assert normalize.skeleton(normalize.normal(latin)) == cyrillic


def test_normal_forms() -> None:
    assert normalize.normal("петрова-Водкина") == "ПЕТРОВА ВОДКИНА"
    assert normalize.normal("Алёна") == "АЛЕНА"
    assert normalize.skeleton(normalize.normal("Наталья")) == "НАТАЛЯ"
    assert normalize.distance("ИВАНОВ", "ИВНАОВ") == 1  # neighbours swapped
    assert normalize.distance("ИВАНОВА", "ИВАНОВ") == 1
    assert normalize.jaro_winkler("МАРФА", "МАРХТА") > 0.8


def test_case_and_yo_are_the_same_name() -> None:
    scored = compare(alena(), alena(surname="ИВАНОВА", first_name="алена", patronymic="ПЕТРОВНА"))
    assert levels(alena(), alena(first_name="алена"))["first_name"] == "exact"
    assert scored.grade is Grade.probable and scored.score >= PROBABLE


def test_identical_name_and_birth_date_is_probable_never_certain_without_an_identifier() -> None:
    scored = compare(alena(), alena())
    assert scored.grade is Grade.probable and scored.score < CERTAIN
    with_snils = compare(alena(snils="11223344595"), alena(snils="11223344595"))
    assert with_snils.grade is Grade.certain
    assert {r.field: r.weight for r in with_snils.reasons}["snils"] == WEIGHTS["snils"]["exact"]


def test_hyphenated_surname_parts_and_spelling() -> None:
    double = alena(surname="Римская-Корсакова")
    assert levels(double, alena(surname="Римская Корсакова"))["surname"] == "exact"
    assert levels(double, alena(surname="РимскаяКорсакова"))["surname"] == "exact"
    assert levels(double, alena(surname="Корсакова"))["surname"] == "part"
    assert compare(double, alena(surname="Корсакова")).grade is Grade.probable


def test_transliterated_input_is_matched() -> None:
    scored = compare(
        alena(surname="Ivanova", first_name="Alyona", patronymic="Petrovna"),
        alena(),
    )
    assert levels(alena(surname="Ivanova"), alena())["surname"] == "exact"
    assert scored.grade is Grade.probable, scored
    sergey = profile(
        surname="Kuznetsov", first_name="Sergey", patronymic="Ivanovich", birth_date=BORN, sex="male"
    )
    target = profile(
        surname="Кузнецов", first_name="Сергей", patronymic="Иванович", birth_date=BORN, sex="male"
    )
    assert {r.level for r in compare(sergey, target).reasons} == {"exact", "agree"}


def test_a_typo_is_close() -> None:
    assert levels(alena(surname="Ивановва"), alena())["surname"] == "close"
    assert compare(alena(surname="Ивнаова"), alena()).grade is Grade.probable


def test_swapped_day_and_month_and_one_digit_off() -> None:
    assert (
        levels(alena(birth_date=date(1990, 3, 11)), alena(birth_date=date(1990, 11, 3)))["birth_date"]
        == "swapped"
    )
    assert (
        compare(alena(birth_date=date(1990, 3, 11)), alena(birth_date=date(1990, 11, 3))).grade
        is Grade.probable
    )
    assert (
        levels(alena(birth_date=date(1990, 3, 15)), alena(birth_date=date(1990, 3, 16)))["birth_date"]
        == "one_digit"
    )
    assert (
        levels(alena(birth_date=date(1990, 3, 15)), alena(birth_date=date(1980, 3, 15)))["birth_date"]
        == "one_digit"
    )
    assert (
        levels(alena(birth_date=date(1990, 3, 15)), alena(birth_date=date(1991, 4, 15)))["birth_date"]
        == "disagree"
    )
    assert swapped(date(1990, 3, 11)) == date(1990, 11, 3) and swapped(date(1990, 3, 15)) is None
    variants = one_digit_variants(date(1990, 3, 15))
    assert (
        date(1990, 3, 16) in variants and date(1980, 3, 15) in variants and date(1990, 3, 15) not in variants
    )


def test_maiden_and_married_surnames() -> None:
    married = alena(surname="Петрова", former_surnames=["Иванова"])
    assert levels(alena(), married)["surname"] == "former"
    assert compare(alena(), married).grade is Grade.probable
    # without the history a woman's changed surname is weak evidence against, not a refusal
    unknown = compare(alena(), alena(surname="Петрова"))
    assert levels(alena(), alena(surname="Петрова"))["surname"] == "disagree_female"
    assert unknown.grade is Grade.possible
    man = dict(first_name="Иван", patronymic="Петрович", sex="male")
    assert compare(alena(**man), alena(surname="Петров", **man)).score < unknown.score


def test_twins_and_namesakes_are_not_probable() -> None:
    twin = compare(alena(), alena(first_name="Мария"))
    assert twin.grade is Grade.possible
    brother = compare(alena(), alena(first_name="Иван", sex="male"))
    assert brother.grade is None
    namesake = compare(alena(birth_date=date(1990, 3, 15)), alena(birth_date=date(1975, 8, 2)))
    assert namesake.grade is None and namesake.score < POSSIBLE


def test_a_different_snils_caps_the_grade() -> None:
    scored = compare(alena(snils="11223344595"), alena(snils="11223344696"))
    assert scored.grade is Grade.possible
    assert any(r.field == "snils" and r.level == "disagree" and r.weight < -8 for r in scored.reasons)


def test_document_and_enp_agreement() -> None:
    passport = {("14", "2810123456")}
    scored = compare(alena(surname="Сидорова", documents=passport), alena(documents=passport))
    assert any(r.field == "document" and r.level == "exact" for r in scored.reasons)
    assert scored.grade is Grade.certain
    other = compare(alena(documents=passport), alena(documents={("14", "2810999999")}))
    assert any(r.field == "document" and r.level == "disagree" for r in other.reasons)
    enp = compare(
        profile(surname="Иванова", enp="7700000000000016"), profile(surname="Иванова", enp="7700000000000016")
    )
    assert enp.grade is Grade.probable or enp.grade is Grade.certain


def test_missing_fields_are_no_evidence() -> None:
    scored = compare(alena(patronymic=None, snils=None), alena(snils="11223344595"))
    assert {r.field for r in scored.reasons} == {"surname", "first_name", "birth_date", "sex"}
    assert scored.grade is Grade.probable
