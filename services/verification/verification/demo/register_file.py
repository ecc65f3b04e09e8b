"""The demo register as the TFOMS file a payer receives (CSV, «;», UTF-8 with BOM, column
codes as the header — docs/formats.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from verification.linkage.records import PersonRecord
from verification.register.columns import COLUMNS


def register_csv(records: Iterable[PersonRecord], *, extra_rows: Iterable[list[str]] = ()) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow(
            [
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
        )
    writer.writerows(extra_rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
