"""ЕНП — the unified number of the CMI policy: 16 digits, the last a check digit.

The check digit is defined by FFOMS with the register of policies (the "Общие принципы
построения и функционирования информационных систем … в сфере ОМС", FFOMS order of 7 April
2011 No. 79, and the FFOMS letter of 27 August 2010 No. 3960/91-И on the unified register of
policies, which introduced the 16-digit number). Over the first 15 digits:

1. the digits in odd places counted from the right are written, in order, as a number, and
   that number is multiplied by 2;
2. the digits in even places counted from the right are written, in order, as a number and
   put to the left of the number from step 1;
3. all digits of the result are summed;
4. the check digit is what the sum lacks to the nearest multiple of 10 (0 for a multiple).

(The library search found these documents' titles, not their appendices; the steps above are
the published rule as regional TFOMS validators apply it.) Doubling the number from step 1
carries exactly at the digits ≥ 5, so the rule is the Luhn algorithm over all 16 digits; the
property tests check that equivalence."""

from __future__ import annotations


def enp_check_digit(first15: str) -> str:
    if len(first15) != 15 or not first15.isascii() or not first15.isdigit():
        raise ValueError("нужно 15 цифр номера")
    from_right = first15[::-1]
    odd = from_right[0::2]  # places 1, 3, 5 … from the right
    even = from_right[1::2]
    combined = even + str(int(odd) * 2)
    total = sum(int(d) for d in combined)
    return str((10 - total % 10) % 10)


# The digit sum of a doubled digit, by the digit's ASCII code (for bytes.translate).
_DOUBLED = bytes.maketrans(b"0123456789", b"0246813579")


def enp_is_valid(value: str) -> bool:
    """16 digits whose last is the check digit of the first 15. Computed as the Luhn sum over
    the 16 ASCII digits, which the rule above equals (tests prove it on any number): digits in
    even places from the right are doubled (digit sum), the total is a multiple of 10."""
    if len(value) != 16 or not value.isascii() or not value.isdigit():
        return False
    digits = value.encode()
    total = sum(digits[-1::-2]) + sum(digits[-2::-2].translate(_DOUBLED)) - 16 * ord("0")
    return total % 10 == 0


def complete_enp(first15: str) -> str:
    """The full ЕНП of 15 digits (demo data, tests)."""
    return first15 + enp_check_digit(first15)
