"""Personal identifiers of the insured-person register with their check digits: СНИЛС and ЕНП."""

from registry.identifiers.enp import complete_enp, enp_check_digit, enp_is_valid
from registry.identifiers.snils import complete_snils, format_snils, snils_check_number, snils_is_valid

__all__ = [
    "complete_enp",
    "complete_snils",
    "enp_check_digit",
    "enp_is_valid",
    "format_snils",
    "snils_check_number",
    "snils_is_valid",
]
