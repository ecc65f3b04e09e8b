"""The canonical person record every linkage input is brought to.

Register entries (``register/``) and source records (``sources/``) alike become
``PersonRecord``s before blocking and scoring; the linkage engine never sees the
shape they came in.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date


@dataclass(frozen=True, slots=True)
class PersonRecord:
    unique_id: str
    surname: str | None
    first_name: str | None
    patronymic: str | None
    birth_date: date | None
    sex: str | None  # 'male' | 'female'
    snils: str | None  # digits only
    enp: str | None  # digits only
    doc_type: str | None
    doc_series: str | None
    doc_number: str | None
    inn: str | None = None
    district: str | None = None


PERSON_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PersonRecord))
