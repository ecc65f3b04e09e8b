"""What a source answer is made of: the facts it states about persons (``SourceRecord``) and the
rows it could not read (``RowRejection``). Both are plain values; the adapters yield them, the
repository stores them, the run pipeline reads them back."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from verification.linkage.records import PERSON_FIELDS, PersonRecord

# The person fields of PersonRecord (all but unique_id), in its order.
PERSON_COLUMNS: tuple[str, ...] = tuple(f for f in PERSON_FIELDS if f != "unique_id")


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """One fact of one source about one person, with the person as the source knows them."""

    source: str  # fns | sfr | zags | mvd | military
    kind: str  # fns.entrepreneur, fns.income, sfr.contributions, zags.death, …
    row_no: int  # the row (CSV line, XML record ordinal) it was read from
    surname: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None
    sex: str | None = None  # 'male' | 'female'
    snils: str | None = None  # 11 digits
    enp: str | None = None
    doc_type: str | None = None
    doc_series: str | None = None
    doc_number: str | None = None
    inn: str | None = None
    district: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    external_id: str | None = None  # the source's own id of the fact (ОГРНИП, act record number …)
    attributes: dict[str, str] = field(default_factory=dict)

    def fingerprint(self) -> bytes:
        """SHA-256 of what the record states (not where it was read from): the same fact
        in another batch, or the same batch again, has the same fingerprint."""
        return fingerprint_of(self)

    def person(self, unique_id: str) -> PersonRecord:
        """The canonical linkage record of the person the fact is about."""
        return PersonRecord(unique_id, **{c: getattr(self, c) for c in PERSON_COLUMNS})


@dataclass(frozen=True, slots=True)
class RowRejection:
    """A row that was not loaded, with the reasons (field, Russian message). ``row_no`` 0 is the
    file itself (no header, not XML at all, a required column missing)."""

    row_no: int
    errors: tuple[tuple[str | None, str], ...]

    @property
    def message(self) -> str:
        return "; ".join(m for _, m in self.errors)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def fingerprint_of(record: SourceRecord) -> bytes:
    # Not the external id: a file format may carry it or not (it repeats an attribute, such as
    # the act record number), and the fact is the same either way.
    # Fields joined by the unit separator (a control character no value holds); None is empty.
    parts: list[str] = [record.source, record.kind]
    parts += ["" if (v := getattr(record, c)) is None else str(v) for c in PERSON_COLUMNS]
    parts += [_iso(record.date_from) or "", _iso(record.date_to) or ""]
    parts += [f"{k}={v}" for k, v in sorted(record.attributes.items())]
    return hashlib.sha256("\x1f".join(parts).encode()).digest()
