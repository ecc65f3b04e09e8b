"""Each rule of a register row: required fields, names, dates (future, before 1900, not a
date), sex, SNILS checksum and shape, ENP check digit and shape, documents, broken encoding;
every problem of a row listed, not only the first."""

from datetime import date, datetime
from typing import Any

import pytest
from tests.register.register_support import TODAY, person

from verification.register.validation import RegisterRow, RowErrors, validate_row


def _errors(**changes: Any) -> list[tuple[str, str]]:
    with pytest.raises(RowErrors) as failed:
        validate_row(7, person(3, **changes), TODAY)
    return failed.value.errors


def test_a_valid_row_normalises_identifiers_to_digits() -> None:
    row = validate_row(7, person(3), TODAY)
    assert isinstance(row, RegisterRow)
    assert row.row_no == 7 and row.sex == "male"
    assert row.birth_date == date(1953, 4, 4)
    assert row.snils is not None and len(row.snils) == 11 and row.snils.isdigit()
    assert row.enp == person(3)["enp"]


def test_required_fields_each_reported() -> None:
    errors = _errors(surname="", first_name=" ", birth_date=None, sex="")
    assert errors == [
        ("surname", "Обязательное поле не заполнено"),
        ("first_name", "Обязательное поле не заполнено"),
        ("birth_date", "Обязательное поле не заполнено"),
        ("sex", "Обязательное поле не заполнено"),
    ]


def test_patronymic_may_be_empty() -> None:
    assert validate_row(2, person(1, patronymic=""), TODAY).patronymic is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2027-01-01", "Дата рождения в будущем"),
        ("25.11.2026", "Дата рождения в будущем"),
        ("31.12.1899", "Дата рождения раньше 1900 года"),
        ("31.02.1980", "«31.02.1980» — не дата (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"),
        ("вчера", "«вчера» — не дата (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)"),
    ],
)
def test_impossible_birth_dates(value: str, message: str) -> None:
    assert _errors(birth_date=value) == [("birth_date", message)]


def test_dates_as_iso_text_and_spreadsheet_cells() -> None:
    assert validate_row(2, person(1, birth_date="1980-02-29"), TODAY).birth_date == date(1980, 2, 29)
    cell = datetime(1975, 5, 6, 0, 0)
    assert validate_row(2, person(1, birth_date=cell), TODAY).birth_date == date(1975, 5, 6)
    assert validate_row(2, person(1, birth_date=TODAY), TODAY).birth_date == TODAY


@pytest.mark.parametrize(
    ("value", "sex"), [("Ж", "female"), ("2", "female"), ("male", "male"), ("муж", "male")]
)
def test_sex_spellings(value: str, sex: str) -> None:
    assert validate_row(2, person(1, sex=value), TODAY).sex == sex


def test_unknown_sex() -> None:
    assert _errors(sex="X") == [("sex", "Недопустимое значение «X»: М/Ж, 1/2 или male/female")]


def test_snils_checksum_and_shape() -> None:
    good = person(3)["snils"]
    wrong_check = good[:-2] + f"{(int(good[-2:]) + 1) % 100:02d}"
    assert _errors(snils=wrong_check) == [("snils", "Неверное контрольное число СНИЛС")]
    assert _errors(snils="123-456") == [("snils", "СНИЛС должен состоять из 11 цифр")]
    assert _errors(snils="1234567890a") == [("snils", "СНИЛС должен состоять из 11 цифр")]


def test_snils_as_a_number_cell_gets_its_leading_zeros_back() -> None:
    # 001-001-998 and below were issued without a check number.
    assert validate_row(2, person(1, snils=100199812.0), TODAY).snils == "00100199812"
    assert _errors(snils="1001998") == [("snils", "СНИЛС должен состоять из 11 цифр")]


def test_enp_check_digit_and_shape() -> None:
    good = person(3)["enp"]
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert _errors(enp=wrong) == [("enp", "Неверная контрольная цифра ЕНП")]
    assert _errors(enp="12345") == [("enp", "ЕНП должен состоять из 16 цифр")]


def test_names_of_letters_only_and_broken_encoding_told_apart() -> None:
    assert _errors(surname="Иванов2") == [
        ("surname", "Допустимы только буквы, пробел, дефис, точка и апостроф")
    ]
    mojibake = "Петров".encode().decode("cp1251")  # UTF-8 read as windows-1251: «РџРµС‚СЂРѕРІ»
    assert _errors(surname=mojibake)[0][1].startswith("Текст искажён")
    assert _errors(first_name="Ив\ufffdн")[0][1].startswith("Текст искажён")
    assert validate_row(2, person(1, surname="Петрова-Водкина", first_name="Д'Артаньян"), TODAY).surname


def test_document_needs_its_type_and_number() -> None:
    assert _errors(doc_type="") == [("doc_type", "Не указан тип документа, хотя указаны его серия или номер")]
    assert _errors(doc_number="", doc_series="") == [
        ("doc_number", "Не указан номер документа, хотя указан его тип")
    ]
    assert _errors(doc_number="12#45") == [
        ("doc_number", "Допустимы буквы, цифры, пробел, дефис, точка, «/» и «№»")
    ]


def test_too_long_values() -> None:
    assert _errors(address="д" * 501) == [("address", "Длиннее 500 символов")]
    assert _errors(surname="Ф" * 101) == [("surname", "Длиннее 100 символов")]


def test_every_problem_of_a_row_is_listed() -> None:
    errors = _errors(surname="", birth_date="2100-01-01", snils="111", enp="1" * 16, sex="?")
    assert [f for f, _ in errors] == ["surname", "birth_date", "sex", "snils", "enp"]
