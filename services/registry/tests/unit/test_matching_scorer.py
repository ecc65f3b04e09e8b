"""The scorer on hand-made Russian examples: case and ё/е, double surnames, Latin input,
swapped day and month, a digit off, maiden and married surnames, identifiers; the merge plan's
interval rules."""

from datetime import date

import pytest

from registry.matching import normalize
from registry.matching.blocking import one_digit_variants, transposed_variants
from registry.matching.scoring import Profile, compare, profile
from registry.matching.weights import CERTAIN, POSSIBLE, PROBABLE, WEIGHTS, Grade
from registry.person.dates import swapped_day_month as swapped

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
        ("Iuliia", "ИУЛИА"),
        ("Yuliya", "ИУЛИА"),
        ("Natalya", "НАТАЛИА"),
        ("Khrushcheva", "ХРУЩЕВА"),
        ("Tsvetkova", "ЦВЕТКОВА"),
        ("Zhukov", "ЖУКОВ"),
        ("Yelena", "ЕЛЕНА"),
        ("Fedorov", "ФЕДОРОВ"),
    ],
)
def test_latin_input_meets_the_cyrillic_skeleton(latin: str, cyrillic: str) -> None:
    assert normalize.skeleton(normalize.normal(latin)) == cyrillic


@pytest.mark.parametrize(
    ("latin", "russian"),
    [
        # ICAO 9303 (passports since 2013): Я=IA, Ю=IU, Й=I, Ь dropped
        ("Iuliia", "Юлия"),
        ("Natalia", "Наталья"),
        ("Ilia", "Илья"),
        ("Iurii", "Юрий"),
        ("Kseniia", "Ксения"),
        ("Dmitrievna", "Дмитриевна"),
        # IA that is И+А, not Я: «Диана», «Мариана»
        ("Diana", "Диана"),
        ("Mariana", "Мариана"),
        # the older English habit: Я=YA, Ю=YU, Й=Y, Е=YE after a vowel or Ь, Ё=YO
        ("Yuriy", "Юрий"),
        ("Darya", "Дарья"),
        ("Andreyev", "Андреев"),
        ("Grigoryevich", "Григорьевич"),
        ("Fyodorov", "Фёдоров"),
        ("Vorobyov", "Воробьёв"),
        ("Solovyova", "Соловьёва"),
        # YO after a vowel is Й+О, not Ё
        ("Mayorova", "Майорова"),
        ("Troitskiy", "Троицкий"),
        ("Kuzmina", "Кузьмина"),
        ("Shchukin", "Щукин"),
    ],
)
def test_transliterated_names_meet_the_russian_spelling(latin: str, russian: str) -> None:
    assert normalize.skeleton(normalize.normal(latin)) == normalize.skeleton(normalize.normal(russian))
    assert levels(alena(first_name=latin), alena(first_name=russian))["first_name"] == "exact"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Наталья", "Наталия"),
        ("Софья", "София"),
        ("Дарья", "Дария"),
        ("Даниил", "Данил"),
        ("Юрьевич", "Юрьевич"),
    ],
)
def test_cyrillic_spellings_transliteration_cannot_tell_apart_are_exact(a: str, b: str) -> None:
    assert levels(alena(first_name=a), alena(first_name=b))["first_name"] == "exact"


def test_short_names_with_a_typo_are_close() -> None:
    # one letter dropped from a four-letter name: the skeletons («ИЛИА»/«ИИА») are two apart,
    # what was typed is one
    assert levels(alena(first_name="Илья"), alena(first_name="Иья"))["first_name"] == "close"
    assert levels(alena(first_name="Илья"), alena(first_name="Иль"))["first_name"] == "close"
    assert levels(alena(first_name="Глеб"), alena(first_name="Гле"))["first_name"] == "close"
    # but two-letter words are never a typo of each other, nor names two edits apart
    assert levels(alena(first_name="Ия"), alena(first_name="Ян"))["first_name"] != "close"
    assert levels(alena(first_name="Олег"), alena(first_name="Ольга"))["first_name"] == "similar"


def test_normal_forms() -> None:
    assert normalize.normal("петрова-Водкина") == "ПЕТРОВА ВОДКИНА"
    assert normalize.normal("Алёна") == "АЛЕНА"
    assert normalize.skeleton(normalize.normal("Наталья")) == "НАТАЛИА"
    assert normalize.skeleton(normalize.normal("Братская")) == "БРАЦКАИА"  # тс as ц
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


def test_twin_sisters_with_alike_names_are_no_typo() -> None:
    """The skeleton reads «Мария» as «МАРИА»; typos between two Cyrillic spellings are counted
    on the letters, where «Мария» and «Марина» are two apart, so twin sisters stay possible."""
    mariya, marina = alena(first_name="Мария", enp="9900000000000016"), alena(first_name="Марина")
    assert levels(mariya, marina)["first_name"] == "similar"
    assert compare(mariya, alena(first_name="Марина", enp="9900000000000024")).grade is Grade.possible
    # typed in Latin letters, the skeletons are what can be compared
    assert levels(alena(first_name="Dianna"), alena(first_name="Диана"))["first_name"] == "close"


def test_neighbouring_digits_exchanged() -> None:
    born = alena(birth_date=date(1967, 3, 15))
    assert levels(born, alena(birth_date=date(1976, 3, 15)))["birth_date"] == "transposed"
    assert levels(alena(birth_date=date(1990, 3, 13)), alena(birth_date=date(1990, 3, 31)))["birth_date"] == (
        "transposed"
    )
    # two digits off, but not one pair of neighbours exchanged
    assert levels(born, alena(birth_date=date(1978, 3, 15)))["birth_date"] == "disagree"
    assert levels(born, alena(birth_date=date(1961, 3, 17)))["birth_date"] == "disagree"
    # 15.03.1967: 51.03, 10.53, 15.30, 3967, 9167, 1697 are no birth dates; 1976 is
    assert transposed_variants(date(1967, 3, 15)) == [date(1976, 3, 15)]
    assert date(1990, 3, 31) in transposed_variants(date(1990, 3, 13))
    assert (
        WEIGHTS["birth_date"]["one_digit"]
        < WEIGHTS["birth_date"]["transposed"]
        < WEIGHTS["birth_date"]["swapped"]
    )


def test_records_with_policies_of_their_own() -> None:
    """Two records of the register never share an ENP: a duplicate carries its own policy. The
    swapped day and month is still probable then; two distortions, a digit off or a transposed
    year are for a human to look at."""
    own = {"enp": "9900000000000016"}
    other = {"enp": "9900000000000024"}
    gromova = {"surname": "Громова", "first_name": "Галина", "patronymic": "Ярославовна"}
    early, late = date(1955, 3, 6), date(1955, 6, 3)
    swapped_date = compare(
        alena(birth_date=early, **gromova, **own), alena(birth_date=late, **gromova, **other)
    )
    assert swapped_date.grade is Grade.probable, swapped_date
    assert {r.field: r.level for r in swapped_date.reasons}["enp"] == "disagree"
    and_a_typo = compare(
        alena(birth_date=early, **gromova, **own),
        alena(birth_date=late, **{**gromova, "surname": "Грмова"}, **other),
    )
    assert and_a_typo.grade is Grade.possible
    digit = compare(alena(**own), alena(birth_date=date(1990, 3, 16), **other))
    transposed = compare(alena(**own), alena(birth_date=date(1909, 3, 15), **other))
    assert digit.grade is Grade.possible and transposed.grade is Grade.possible


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
