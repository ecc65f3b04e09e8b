"""Register files and runs for the register tests: valid people with real check digits, files
in each format and encoding, a run row, and a transaction factory over the test session (a
savepoint per batch, as the job commits a transaction per batch)."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.identifiers import complete_enp, complete_snils
from verification.models import VerificationRun
from verification.register.columns import COLUMNS

TODAY = date(2026, 11, 24)
HEADER_RU = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "СНИЛС",
    "ЕНП",
    "Тип документа",
    "Серия документа",
    "Номер документа",
    "Адрес",
    "Район",
]
CODES = list(COLUMNS)
SURNAMES = ["Иванов", "Петров", "Сидоров", "Кузнецов", "Смирнов", "Ёлкин"]
FIRST = ["Иван", "Пётр", "Сергей", "Андрей"]


def person(i: int, **changes: Any) -> dict[str, Any]:
    """The ``i``-th valid person of the register (column code → text as a file holds it)."""
    snils = complete_snils(f"{200_000_000 + i * 7919:09d}")
    values: dict[str, Any] = {
        "surname": SURNAMES[i % len(SURNAMES)],
        "first_name": FIRST[i % len(FIRST)],
        "patronymic": "Иванович",
        "birth_date": f"{1 + i % 28:02d}.{1 + i % 12:02d}.{1950 + i % 60}",
        "sex": "М",
        "snils": f"{snils[:3]}-{snils[3:6]}-{snils[6:9]} {snils[9:]}",
        "enp": complete_enp(f"{690_000_000_000_000 + i:015d}"),
        "doc_type": "14",
        "doc_series": "28 01",
        "doc_number": f"{100_000 + i}",
        "address": f"г. Тверь, ул. Советская, д. {i}",
        "district": "28401",
    }
    values.update(changes)
    return values


def csv_bytes(
    rows: Iterable[dict[str, Any]],
    *,
    header: list[str] = HEADER_RU,
    delimiter: str = ";",
    encoding: str = "utf-8-sig",
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(c, "") for c in CODES[: len(header)]])
    return out.getvalue().encode(encoding)


def write_csv(path: Path, rows: Iterable[dict[str, Any]], **options: Any) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(path: Path, rows: Iterable[dict[str, Any]], header: list[str] = HEADER_RU) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Реестр")
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(c) for c in CODES[: len(header)]])
    book.save(path)
    return path


XML_NAMES = ["FAM", "IM", "OT", "DR", "W", "SNILS", "ENP", "DOCTYPE", "DOCSER", "DOCNUM", "ADRES", "RAION"]


def xml_bytes(rows: Iterable[dict[str, Any]], *, encoding: str = "utf-8") -> bytes:
    from xml.sax.saxutils import escape

    parts = [
        f'<?xml version="1.0" encoding="{encoding}"?>\n<PERS_LIST>\n'
        "  <ZGLV><VERSION>1.0</VERSION><DATA>2026-11-01</DATA><FILENAME>NW28_202611</FILENAME></ZGLV>\n"
    ]
    for row in rows:
        inner = "".join(
            f"<{name}>{escape(str(row[code]))}</{name}>"
            for name, code in zip(XML_NAMES, CODES, strict=True)
            if row.get(code) not in (None, "")
        )
        parts.append(f"  <PERS>{inner}</PERS>\n")
    parts.append("</PERS_LIST>\n")
    return "".join(parts).encode(encoding)


async def new_run(session: AsyncSession, *, previous: VerificationRun | None = None) -> VerificationRun:
    run = VerificationRun(
        id=uuid.uuid4(),
        organization_id=uuid.uuid4(),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 12, 31),
        as_of=TODAY,
        register_source="file",
        previous_run_id=previous.id if previous else None,
        created_by="test",
    )
    session.add(run)
    await session.flush()
    return run


def transactions(session: AsyncSession) -> Callable[[], AbstractAsyncContextManager[AsyncSession]]:
    """``JobContext.transaction`` over the test session: a savepoint per batch, one at a time
    (the loader writes batches from two tasks; the job's transactions are separate sessions)."""
    lock = asyncio.Lock()

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with lock, session.begin_nested():
            yield session

    return transaction
