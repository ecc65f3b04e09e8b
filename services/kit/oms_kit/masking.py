"""Masking of personal identifiers (152-FZ) in anything written to logs."""

from __future__ import annotations

import re

# SNILS: 123-456-789 01 / 12345678901; ENP: 16 digits; passport series+number: 45 06 123456.
_SNILS = re.compile(r"(?<!\d)(\d{3})[- ]?(\d{3})[- ]?(\d{3})[- ]?(\d{2})(?!\d)")
_ENP = re.compile(r"(?<!\d)(\d{12})(\d{4})(?!\d)")
_PASSPORT = re.compile(r"(?<!\d)(\d{2}) ?(\d{2}) ?(\d{6})(?!\d)")


def mask_snils(value: str) -> str:
    digits = re.sub(r"\D", "", value)
    return "***-***-" + digits[6:9] + " **" if len(digits) == 11 else "***"


def mask_personal_data(text: str) -> str:
    """Replace SNILS, unified policy numbers and passport numbers, keeping only a tail."""
    text = _ENP.sub(lambda m: "*" * 12 + m.group(2), text)
    text = _SNILS.sub(lambda m: f"***-***-{m.group(3)} **", text)
    text = _PASSPORT.sub(lambda m: "** ** ***" + m.group(3)[-3:], text)
    return text
