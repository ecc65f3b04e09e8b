"""Writing the TFOMS register file (CSV, «;», UTF-8 with BOM, column codes as the header —
docs/formats.md) from person records: the demo seed, the tests and the benchmarks make the
files the payer would receive with it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TextIO

from verification.linkage.records import PersonRecord
from verification.register.columns import COLUMNS


def register_row(r: PersonRecord) -> list[str]:
    """One record in the order of ``COLUMNS`` (the address is not part of a PersonRecord)."""
    return [
        r.surname or "",
        r.first_name or "",
        r.patronymic or "",
        r.birth_date.isoformat() if r.birth_date else "",
        r.sex or "",
        r.snils or "",
        r.enp or "",
        r.doc_type or "",
        r.doc_series or "",
        r.doc_number or "",
        "",
        r.district or "",
    ]


def write_register_csv(
    records: Iterable[PersonRecord], out: TextIO, *, extra_rows: Iterable[list[str]] = ()
) -> None:
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(register_row(r) for r in records)
    writer.writerows(extra_rows)


def register_csv(records: Iterable[PersonRecord], *, extra_rows: Iterable[list[str]] = ()) -> bytes:
    buffer = io.StringIO()
    write_register_csv(records, buffer, extra_rows=extra_rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
