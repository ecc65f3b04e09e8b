"""From a file's rows to dictionary entries: which column is the code, the name, the parent,
the validity dates; everything else becomes the entry's attributes. Rows that cannot become
an entry are reported one by one and never stop the others."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from registry.formats.nsi import RawTable

MAX_CODE_LENGTH = 100
_INACTIVE = frozenset({"0", "false", "нет", "n", "no"})
_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")


@dataclass(frozen=True)
class ColumnMap:
    """Column names of a dictionary's export files (compared case-insensitively)."""

    code: str
    name: str
    id: str | None = None  # the portal's record id, when ``parent`` points at it instead of a code
    parent: str | None = None
    valid_from: str | None = None
    valid_to: str | None = None
    active: str | None = None  # ``ACTUAL``: 0 means the record is no longer in force

    def as_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ColumnMap:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True)
class EntryRow:
    code: str
    name: str
    parent_code: str | None
    attributes: dict[str, str | None]
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class RowError:
    row: int
    code: str | None
    field: str | None
    message: str


@dataclass
class MappedRows:
    entries: list[EntryRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


class MissingColumn(Exception):
    """A column the dictionary needs is not in the file (the message is for the user)."""


def parse_date(value: str) -> date:
    text = value.strip()
    candidate = text.split("T", 1)[0].split(" ", 1)[0]
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"Дата «{value}» не распознана: ожидается ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")


def search_key(text: str) -> str:
    """What name searches compare: lower case, ё as е."""
    return text.lower().replace("ё", "е")


def map_rows(table: RawTable, columns: ColumnMap, *, version_valid_from: date) -> MappedRows:
    present = {c.lower(): c for c in table.columns}

    def column(name: str | None, *, required: bool = False, meaning: str = "") -> str | None:
        if name is None:
            return None
        actual = present.get(name.lower())
        if actual is None and required:
            listed = ", ".join(table.columns) or "—"
            raise MissingColumn(f"В файле нет колонки «{name}» ({meaning}); колонки файла: {listed}")
        return actual

    code_col = column(columns.code, required=True, meaning="код записи")
    name_col = column(columns.name, required=True, meaning="наименование")
    id_col, parent_col = column(columns.id), column(columns.parent)
    from_col, to_col, active_col = (
        column(columns.valid_from),
        column(columns.valid_to),
        column(columns.active),
    )
    first_class = {c for c in (code_col, name_col, parent_col, from_col, to_col) if c is not None}

    out = MappedRows(errors=[RowError(p.number, None, None, p.message) for p in table.problems])
    first_row: dict[str, int] = {}
    code_by_id: dict[str, str] = {}
    pending: list[tuple[EntryRow, str | None]] = []
    for raw in table.rows:
        values = raw.values
        code = values.get(code_col or "")
        if not code:
            out.errors.append(RowError(raw.number, None, code_col, "Нет кода записи"))
            continue
        if len(code) > MAX_CODE_LENGTH:
            out.errors.append(RowError(raw.number, code[:40], code_col, "Код длиннее 100 символов"))
            continue
        if code in first_row:
            message = f"Код «{code}» повторяется (впервые в строке {first_row[code]})"
            out.errors.append(RowError(raw.number, code, code_col, message))
            continue
        name = values.get(name_col or "")
        if not name:
            out.errors.append(RowError(raw.number, code, name_col, "Нет наименования"))
            continue
        dates: dict[str, date | None] = {}
        bad = False
        for key, col in (("from", from_col), ("to", to_col)):
            text = values.get(col) if col else None
            try:
                dates[key] = parse_date(text) if text else None
            except ValueError as exc:
                out.errors.append(RowError(raw.number, code, col, str(exc)))
                bad = True
        if bad:
            continue
        valid_from, valid_to = dates["from"], dates["to"]
        if valid_from and valid_to and valid_to < valid_from:
            message = "Дата окончания действия раньше даты начала"
            out.errors.append(RowError(raw.number, code, to_col, message))
            continue
        if active_col and (values.get(active_col) or "").lower() in _INACTIVE and valid_to is None:
            # No longer in force: kept for history, valid on no date of this version.
            valid_to = version_valid_from - timedelta(days=1)
        first_row[code] = raw.number
        if id_col and values.get(id_col):
            code_by_id[values[id_col] or ""] = code
        attributes = {k: v for k, v in values.items() if k not in first_class}
        entry = EntryRow(code, name, None, attributes, valid_from, valid_to)
        pending.append((entry, values.get(parent_col) if parent_col else None))
    for entry, parent in pending:
        parent_code = (code_by_id.get(parent) if id_col else parent) if parent else None
        out.entries.append(
            EntryRow(entry.code, entry.name, parent_code, entry.attributes, entry.valid_from, entry.valid_to)
        )
    return out


def content_hash(entries: list[EntryRow]) -> str:
    """The same content gives the same hash whatever the file's format or row order."""
    digest = hashlib.sha256()
    for e in sorted(entries, key=lambda e: e.code):
        record = [
            e.code,
            e.name,
            e.parent_code,
            e.valid_from.isoformat() if e.valid_from else None,
            e.valid_to.isoformat() if e.valid_to else None,
            sorted(e.attributes.items()),
        ]
        digest.update(json.dumps(record, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()
