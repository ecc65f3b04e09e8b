"""The canonical form of a prescription for its signature.

The signed bytes are the UTF-8 of a JSON object of the signed fields with sorted keys, no
insignificant whitespace (``separators=(",", ":")``) and non-ASCII characters as they are
(``ensure_ascii=False``). Values are normalised first so that equal prescriptions give equal
bytes whatever the Python types were:

- strings in Unicode NFC (a «й» typed as «и» + combining breve signs the same);
- dates as ``YYYY-MM-DD``; datetimes must carry a time zone and are written in UTC ISO 8601;
- :class:`~decimal.Decimal` as its plain string (``"2.50"`` stays ``"2.50"``); floats are
  refused (their text is not stable across systems); ints and booleans as JSON;
- enums by their value, UUIDs as lowercase text, ``None`` as ``null``;
- nested mappings and sequences likewise.

Every signed field is present in the object: a field without a value is ``null``, so removing
a value changes the bytes as much as changing it does.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from uuid import UUID

# The fields of a prescription covered by the doctor's signature (provisional: the data model
# of the prescription decides the final list; a change here is a new canonical version).
PRESCRIPTION_SIGNED_FIELDS = (
    "form",
    "series",
    "number",
    "issued_on",
    "valid_until",
    "mo_code",
    "doctor_id",
    "person_id",
    "snils",
    "policy_number",
    "category_code",
    "diagnosis_code",
    "funding_source",
    "payment_percent",
    "drug_inn",
    "dosage_form",
    "dosage",
    "quantity",
    "usage",
)
CANONICAL_VERSION = 1


def canonical_value(value: object) -> object:
    """A JSON-ready value in the canonical normalisation."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Enum):
        return canonical_value(value.value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("время без часового пояса нельзя подписать однозначно")
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, float):
        raise ValueError("дробные числа подписываются как Decimal, не float")
    if isinstance(value, bytes | bytearray | memoryview):
        raise TypeError(f"значение типа {type(value).__name__} не входит в каноническую форму")
    if isinstance(value, Mapping):
        return {str(key): canonical_value(item) for key, item in value.items()}
    if isinstance(value, Sequence | frozenset | set):
        items = [canonical_value(item) for item in value]
        return sorted(items, key=json.dumps) if isinstance(value, frozenset | set) else items
    raise TypeError(f"значение типа {type(value).__name__} не входит в каноническую форму")


def canonical_bytes(fields: Mapping[str, object]) -> bytes:
    """The bytes to sign: sorted-key compact JSON of ``fields`` in UTF-8."""
    normalised = canonical_value(fields)
    return json.dumps(
        normalised, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def signed_fields(
    values: Mapping[str, object], names: Iterable[str] = PRESCRIPTION_SIGNED_FIELDS
) -> dict[str, object]:
    """Exactly the signed fields of ``values`` (absent ones as ``None``) plus the canonical
    version, so other keys of the record never enter the signature."""
    picked: dict[str, object] = {name: values.get(name) for name in names}
    picked["canonical_version"] = CANONICAL_VERSION
    return picked
