"""National personal identifiers with their check digits: СНИЛС (the Social Fund's insurance
number) and ЕНП (the unified CMI policy number). Formats only, no domain rules: the register,
verification and pharmacy services check them alike."""

from oms_kit.identifiers.enp import complete_enp, enp_check_digit, enp_is_valid
from oms_kit.identifiers.snils import complete_snils, format_snils, snils_check_number, snils_is_valid

__all__ = [
    "complete_enp",
    "complete_snils",
    "enp_check_digit",
    "enp_is_valid",
    "format_snils",
    "snils_check_number",
    "snils_is_valid",
]
