"""Prescription rules: validity terms, series and number, required fields, deferred service."""

from datetime import date

import pytest

from pharmacy.prescriptions.rules import (
    CHRONIC_NOTE,
    REQUIRED_FIELDS,
    VALIDITY_RULES,
    DeferredServiceKind,
    PrescriptionForm,
    PrescriptionNumber,
    PrescriptionRuleError,
    ValidityBasis,
    deferred_service_deadline,
    deferred_service_status,
    is_valid_on,
    missing_fields,
    valid_until,
    validity_days,
)

L04 = PrescriptionForm.PREFERENTIAL
L06 = PrescriptionForm.PREFERENTIAL_MACHINE_READABLE


def test_the_rule_set_as_data() -> None:
    terms = {basis: rule.days for basis, rule in VALIDITY_RULES.items() if L04 in rule.forms}
    assert terms == {
        ValidityBasis.STANDARD: 30,
        ValidityBasis.NARCOTIC_LIST_II: 15,
        ValidityBasis.PENSIONER_DISABLED_CHRONIC: 90,
    }
    assert VALIDITY_RULES[ValidityBasis.CHRONIC_UP_TO_YEAR].note == CHRONIC_NOTE


@pytest.mark.parametrize(
    ("basis", "until"),
    [
        (ValidityBasis.STANDARD, date(2026, 3, 31)),
        (ValidityBasis.NARCOTIC_LIST_II, date(2026, 3, 16)),
        (ValidityBasis.PENSIONER_DISABLED_CHRONIC, date(2026, 5, 30)),
    ],
)
def test_validity_counts_from_the_day_after_issue(basis: ValidityBasis, until: date) -> None:
    assert valid_until(date(2026, 3, 1), L04, basis) == until
    assert valid_until(date(2026, 3, 1), L06, basis) == until


def test_the_one_year_chronic_term_is_not_for_preferential_forms() -> None:
    with pytest.raises(PrescriptionRuleError, match=r"не применяется к рецепту формы 148-1/у-04\(л\)"):
        validity_days(L04, ValidityBasis.CHRONIC_UP_TO_YEAR, 365)
    assert validity_days(PrescriptionForm.ORDINARY, ValidityBasis.CHRONIC_UP_TO_YEAR, 180) == 180
    assert valid_until(
        date(2026, 1, 10), PrescriptionForm.ORDINARY, ValidityBasis.CHRONIC_UP_TO_YEAR, 365
    ) == (date(2027, 1, 10))
    with pytest.raises(PrescriptionRuleError, match="от 1 до 365"):
        validity_days(PrescriptionForm.ORDINARY, ValidityBasis.CHRONIC_UP_TO_YEAR, 400)
    with pytest.raises(PrescriptionRuleError, match="от 1 до 365"):
        validity_days(PrescriptionForm.ORDINARY, ValidityBasis.CHRONIC_UP_TO_YEAR)
    with pytest.raises(PrescriptionRuleError, match="ровно 30"):
        validity_days(L04, ValidityBasis.STANDARD, 45)
    with pytest.raises(PrescriptionRuleError):
        validity_days(PrescriptionForm.ORDINARY, ValidityBasis.STANDARD)


def test_valid_on_a_day_and_deferred_service_beyond_the_term() -> None:
    issued, until = date(2026, 3, 1), date(2026, 3, 31)
    assert is_valid_on(issued, until, date(2026, 3, 1))
    assert is_valid_on(issued, until, date(2026, 3, 31))
    assert not is_valid_on(issued, until, date(2026, 4, 1))
    assert not is_valid_on(issued, until, date(2026, 2, 28))
    # accepted for deferred service while valid: served after the term too
    assert is_valid_on(issued, until, date(2026, 4, 10), deferred_since=date(2026, 3, 30))
    # "accepted" after the term does not revive it
    assert not is_valid_on(issued, until, date(2026, 4, 10), deferred_since=date(2026, 4, 2))


def test_series_and_number_format_and_parse() -> None:
    number = PrescriptionNumber("77", "01234", 123)
    assert number.series == "7701234" and number.number_text == "0000123"
    assert number.format() == "Серия 7701234 № 0000123"
    for text in (
        "Серия 7701234 № 0000123",
        "серия 77-01234 №123",
        "7701234 0000123",
        "7701234/123",
        "77 01234 N 123",
    ):
        assert PrescriptionNumber.parse(text) == number, text
    assert PrescriptionNumber.parse(number.format()) == number


def test_numbering_is_sequential_per_mo() -> None:
    first = PrescriptionNumber.first("45", "00017")
    assert first.number == 1 and first.next().number == 2 and first.next().series == "4500017"
    assert sorted([first.next(), first]) == [first, first.next()]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("7", "01234", 1), "две цифры"),
        (("77", "1234", 1), "пять цифр"),
        (("77", "0123A", 1), "пять цифр"),
        (("77", "01234", 0), "положительное"),
    ],
)
def test_bad_series_or_number(args: tuple[str, str, int], message: str) -> None:
    with pytest.raises(PrescriptionRuleError, match=message):
        PrescriptionNumber(*args)


@pytest.mark.parametrize("text", ["", "Серия 77 № 1", "7701234", "ABCDEFG 0000123", "7701234 № -5"])
def test_unreadable_designations(text: str) -> None:
    with pytest.raises(PrescriptionRuleError, match="Не удалось прочитать серию и номер"):
        PrescriptionNumber.parse(text)


def _complete(form: PrescriptionForm) -> dict[str, object]:
    return {field.name: "x" for field in REQUIRED_FIELDS[form]}


def test_required_fields_per_form() -> None:
    values = _complete(L04)
    assert missing_fields(L04, values) == []
    assert [f.name for f in missing_fields(L06, values)] == ["barcode"]  # the machine-readable form
    values.update(snils=None, dosage="  ", quantity=0)  # 0 is a value (the quantity check is elsewhere)
    assert [f.title for f in missing_fields(L04, values)] == ["СНИЛС", "дозировка"]
    names = {f.name for f in REQUIRED_FIELDS[L04]}
    assert {"category_code", "diagnosis_code", "funding_source", "series", "number", "validity_days"} <= names


def test_chronic_note_required_for_its_term() -> None:
    values = _complete(PrescriptionForm.ORDINARY)
    missing = missing_fields(PrescriptionForm.ORDINARY, values, ValidityBasis.CHRONIC_UP_TO_YEAR)
    assert [f.title for f in missing] == [f"пометка «{CHRONIC_NOTE}»"]
    values["note"] = CHRONIC_NOTE
    assert missing_fields(PrescriptionForm.ORDINARY, values, ValidityBasis.CHRONIC_UP_TO_YEAR) == []


@pytest.mark.parametrize(
    ("kind", "deadline"),
    [
        # Thursday 24 April 2025 → Fri 25, Mon 28, Tue 29, Wed 30 Apr, Mon 5, Tue 6, Wed 7 May,
        # Mon 12 … (1–4 and 8–11 May off)
        (DeferredServiceKind.MINIMUM_ASSORTMENT, date(2025, 5, 5)),
        (DeferredServiceKind.PREFERENTIAL, date(2025, 5, 14)),
        (DeferredServiceKind.MEDICAL_COMMISSION, date(2025, 5, 21)),
    ],
)
def test_deferred_service_deadline_in_working_days(kind: DeferredServiceKind, deadline: date) -> None:
    assert deferred_service_deadline(date(2025, 4, 24), kind) == deadline


def test_deferred_deadline_over_the_new_year_holidays() -> None:
    # Monday 29 December 2025: 30 Dec is the 1st, 31 Dec – 11 Jan off, 12–16 and 19–22 Jan the rest
    assert deferred_service_deadline(date(2025, 12, 29), DeferredServiceKind.PREFERENTIAL) == date(
        2026, 1, 22
    )


def test_overdue_detection() -> None:
    requested, kind = date(2026, 11, 2), DeferredServiceKind.PREFERENTIAL  # Monday, 4 Nov off
    status = deferred_service_status(requested, kind, today=date(2026, 11, 10))
    assert status.deadline == date(2026, 11, 17)
    assert not status.overdue and status.working_days_left == 5
    on_deadline = deferred_service_status(requested, kind, today=date(2026, 11, 17))
    assert not on_deadline.overdue and on_deadline.working_days_left == 0
    late = deferred_service_status(requested, kind, today=date(2026, 11, 18))
    assert late.overdue and late.working_days_left == 0
    served_in_time = deferred_service_status(
        requested, kind, today=date(2026, 12, 1), served_on=date(2026, 11, 17)
    )
    assert not served_in_time.overdue
    served_late = deferred_service_status(
        requested, kind, today=date(2026, 12, 1), served_on=date(2026, 11, 18)
    )
    assert served_late.overdue
