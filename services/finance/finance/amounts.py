"""Money as people and accounting systems write it: ``1 234 567,89``, ``1234567.89``,
``1 234,5`` (a no-break or thin space between thousands), ``-12,00``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = re.compile(r"[\s\u00a0\u2009\u202f']")
_SHAPE = re.compile(r"-?\d+(\.\d{1,2})?")
MAX_AMOUNT = Decimal("9999999999999999.99")  # numeric(18, 2)


class AmountError(ValueError):
    """The text is not an amount of money; the message says why, in Russian."""


def parse_amount(text: str | int | float | Decimal) -> Decimal:
    """The amount with two decimals. Accepts a comma or a point as the decimal separator
    and spaces between digit groups; refuses more than two decimals, both separators at
    once, and anything that is not a number."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    else:
        raw = _SPACES.sub("", text.strip())
        if not raw:
            raise AmountError("сумма не указана")
        if "," in raw and "." in raw:
            raise AmountError(f"сумма «{text}»: в ней и запятая, и точка")
        raw = raw.replace(",", ".")
        if not _SHAPE.fullmatch(raw):
            raise AmountError(f"сумма «{text}» — не число с не более чем двумя знаками после запятой")
        value = Decimal(raw)
    try:
        quantized = value.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise AmountError(f"сумма «{text}» слишком велика") from exc
    if quantized != value:
        raise AmountError(f"сумма «{text}»: больше двух знаков после запятой")
    if abs(quantized) > MAX_AMOUNT:
        raise AmountError(f"сумма «{text}» слишком велика")
    return quantized
