"""СНИЛС and ЕНП check digits: known numbers, the special sums, and properties over any number."""

from hypothesis import given
from hypothesis import strategies as st

from oms_kit.identifiers import (
    complete_enp,
    complete_snils,
    enp_check_digit,
    enp_is_valid,
    format_snils,
    snils_check_number,
    snils_is_valid,
)

nine_digits = st.integers(min_value=0, max_value=999_999_999).map(lambda n: f"{n:09d}")
fifteen_digits = st.integers(min_value=0, max_value=10**15 - 1).map(lambda n: f"{n:015d}")


def luhn_valid(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def test_snils_published_example() -> None:
    # The ПФР example: 112-233-445 95 (1×9 + 1×8 + 2×7 + 2×6 + 3×5 + 3×4 + 4×3 + 4×2 + 5×1 = 95).
    assert snils_is_valid("112-233-445 95")
    assert snils_is_valid("11223344595")
    assert not snils_is_valid("112-233-445 94")
    assert format_snils("11223344595") == "112-233-445 95"


def test_snils_sums_of_100_and_101_give_00_and_larger_sums_are_taken_mod_101() -> None:
    # 100: 9×9+… chosen by search below; the rule itself is checked on the computed sums.
    def weighted(n: str) -> int:
        return sum(int(d) * w for d, w in zip(n, range(9, 0, -1), strict=True))

    found = {100: None, 101: None, 150: None}
    for n in range(1_002_000, 200_000_000, 7):
        s = f"{n:09d}"
        if weighted(s) in found and found[weighted(s)] is None:
            found[weighted(s)] = s
        if all(found.values()):
            break
    assert snils_check_number(found[100]) == "00"
    assert snils_check_number(found[101]) == "00"
    assert snils_check_number(found[150]) == "49"  # 150 mod 101


def test_old_snils_numbers_have_no_check() -> None:
    assert snils_is_valid("001-001-998 00")
    assert snils_is_valid("001-001-998 57")
    first_checked = complete_snils("001001999")
    assert snils_is_valid(first_checked)
    assert not snils_is_valid(first_checked[:9] + f"{(int(first_checked[9:]) + 1) % 100:02d}")


@given(nine_digits)
def test_a_completed_snils_is_valid_and_any_other_check_number_is_not(number: str) -> None:
    full = complete_snils(number)
    assert snils_is_valid(full)
    if int(number) > 1_001_998:
        wrong = f"{(int(full[9:]) + 1) % 100:02d}"
        assert not snils_is_valid(number + wrong)


@given(nine_digits)
def test_snils_check_number_is_below_100(number: str) -> None:
    assert 0 <= int(snils_check_number(number)) <= 99


@given(st.text(max_size=14))
def test_snils_validation_never_raises(value: str) -> None:
    snils_is_valid(value)


@given(fifteen_digits)
def test_enp_check_digit_is_the_luhn_digit(number: str) -> None:
    full = complete_enp(number)
    assert enp_is_valid(full)
    assert luhn_valid(full)
    assert len(enp_check_digit(number)) == 1


@given(fifteen_digits, st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_refused(number: str, delta: int) -> None:
    full = complete_enp(number)
    wrong = number + str((int(full[15]) + delta) % 10)
    assert not enp_is_valid(wrong)


@given(fifteen_digits, st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=9))
def test_a_single_mistyped_digit_is_detected(number: str, position: int, delta: int) -> None:
    full = complete_enp(number)
    digits = list(full)
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not enp_is_valid("".join(digits))


def test_enp_refuses_wrong_shapes() -> None:
    assert not enp_is_valid("123")
    assert not enp_is_valid("77000000000000１6")  # a full-width digit is not ASCII
    assert not enp_is_valid("a" * 16)
