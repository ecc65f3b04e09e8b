"""Loading answers into PostgreSQL: valid rows stored by COPY, rejected rows listed with their
reasons, the same file twice adds nothing, the same fact from another file is stored once."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.identifiers import complete_snils
from verification.sources import SourceRecord, SourceRepository, adapter_for, load_answer_file, load_records

SNILS = complete_snils("223344556")
TODAY = date(2026, 11, 24)
HEADER = (
    "Вид сведений;Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Дата начала;Номер записи акта;Новая фамилия\r\n"
)
ROWS = [
    f"Смерть;Петров;Пётр;Ильич;03.02.1940;{SNILS};02.06.2025;1;\r\n",
    "Смерть;Орлова;Анна;;13.13.1950;;02.06.2025;2;\r\n",  # no such date
    "Перемена имени;Кузнецова;Мария;Олеговна;05.04.1990;;15.08.2025;3;Смирнова\r\n",
    "Смерть;Сидоров;Иван;;05.05.1950;123-456-789 00;02.06.2025;4;\r\n",  # SNILS check fails
    "Смерть;Белов;Олег;;05.05.1950;;01.01.2025;5;\r\n",
]
CSV = (HEADER + "".join(ROWS)).encode()


async def count(session: AsyncSession, table: str) -> int:
    return int(await session.scalar(text(f"SELECT count(*) FROM {table}")) or 0)  # noqa: S608


async def test_valid_rows_load_and_rejected_rows_are_listed(session: AsyncSession) -> None:
    result = await load_answer_file(
        session,
        adapter_for("zags"),
        CSV,
        "text/csv",
        file_name="zags.csv",
        received_by="operator",
        today=TODAY,
    )
    assert not result.repeated
    assert (result.rows, result.loaded, result.already_known, result.rejected) == (5, 3, 0, 2)
    repo = SourceRepository(session)
    assert await repo.rejections(result.batch_id) == [
        (3, "birth_date", "Дата рождения: «13.13.1950» — не дата или такой даты нет (ДД.ММ.ГГГГ)"),
        (5, "snils", "СНИЛС не проходит проверку контрольного числа"),
    ]
    batch = await repo.batch(result.batch_id)
    assert batch is not None and batch["counts"] == {
        "rows": 5,
        "loaded": 3,
        "already_known": 0,
        "rejected": 2,
    }
    assert batch["file_name"] == "zags.csv" and batch["mode"] == "file"
    stored = [s.record async for s in repo.stream_records(["zags.name_change"])]
    assert [(r.surname, r.date_from, r.attributes["new_surname"]) for r in stored] == [
        ("Кузнецова", date(2025, 8, 15), "Смирнова")
    ]
    assert await repo.counts_by_kind() == {"zags.death": 2, "zags.name_change": 1}


async def test_the_same_file_twice_adds_nothing(session: AsyncSession) -> None:
    first = await load_answer_file(session, adapter_for("zags"), CSV, "text/csv", today=TODAY)
    before = (await count(session, "source_record"), await count(session, "source_rejection"))
    again = await load_answer_file(session, adapter_for("zags"), CSV, "text/csv", today=TODAY)
    assert again.repeated and again.batch_id == first.batch_id and again.loaded == 0
    assert (await count(session, "source_record"), await count(session, "source_rejection")) == before
    assert await count(session, "source_batch") == 1


async def test_the_same_facts_in_another_file_are_known_not_stored_again(session: AsyncSession) -> None:
    adapter = adapter_for("zags")
    first = await load_answer_file(session, adapter, CSV, "text/csv", today=TODAY)
    stored = [s.record async for s in SourceRepository(session).stream_records()]
    # The same facts re-sent as XML (another file, another batch) plus one new death.
    more = (HEADER + "Смерть;Зайцев;Пётр;;03.02.1941;;03.06.2025;9;\r\n").encode()
    new = [r for r in adapter.read_answer_file(io.BytesIO(more), "text/csv", today=TODAY)]
    xml = adapter.write_answer_file([*stored, *new], "application/xml")  # type: ignore[list-item]
    second = await load_answer_file(session, adapter, xml, "application/xml", today=TODAY)
    assert not second.repeated and second.batch_id != first.batch_id
    assert (second.loaded, second.already_known, second.rejected) == (1, 3, 0)
    assert await count(session, "source_record") == 4


async def test_records_are_stored_with_the_person_fields(session: AsyncSession) -> None:
    result = await load_answer_file(session, adapter_for("zags"), CSV, "text/csv", today=TODAY)
    row = (
        (
            await session.execute(
                text("SELECT * FROM source_record WHERE batch_id = :b AND surname = 'Петров'"),
                {"b": result.batch_id},
            )
        )
        .mappings()
        .one()
    )
    assert (row["source"], row["kind"], row["row_no"], row["snils"]) == ("zags", "zags.death", 2, SNILS)
    assert (row["first_name"], row["patronymic"], row["birth_date"]) == ("Пётр", "Ильич", date(1940, 2, 3))
    assert row["date_from"] == date(2025, 6, 2) and row["attributes"] == {"act_number": "1"}
    assert len(row["fingerprint"]) == 32


async def test_records_in_hand_load_once(session: AsyncSession) -> None:
    adapter = adapter_for("zags")
    records = [
        r
        for r in adapter.read_answer_file(io.BytesIO(CSV), "text/csv", today=TODAY)
        if isinstance(r, SourceRecord)
    ]
    first = await load_records(session, adapter, records, file_name="demo")
    again = await load_records(session, adapter, records)
    assert (first.repeated, first.loaded) == (False, 3)
    assert again.repeated and again.batch_id == first.batch_id
    assert await count(session, "source_record") == 3


async def test_ten_percent_garbage_rows_are_rejected_and_the_rest_loads(session: AsyncSession) -> None:
    from verification.synthetic.register import generate_register
    from verification.synthetic.source_answers import answer_files, source_answers

    register = generate_register(3_000, seed=11, year=2025)
    answers = source_answers(register.records, register.truths, year=2025, seed=11)
    lines = answer_files(answers, "text/csv")["sfr"].split(b"\r\n")
    header, rows = lines[0], [line for line in lines[1:] if line]
    label = "Взносы".encode()

    def spoil(row: bytes, how: int) -> bytes:
        if how == 0:
            return b"\xff\xfe\x00 not a row at all \x81\x82"  # bytes of no text: broken encoding
        if how == 1:
            return row.replace(label, "Пособие".encode(), 1)  # a kind the source does not have
        if how == 2:  # an impossible birth date
            cells = row.split(b";")
            cells[header.split(b";").index("Дата рождения".encode())] = b"31.02.1980"
            return b";".join(cells)
        return b";" * header.count(b";")  # an empty row: skipped, not an error

    broken_rows: set[int] = set()
    for n, i in enumerate(range(0, len(rows), 10)):
        rows[i] = spoil(rows[i], n % 4)
        if n % 4 != 3:
            broken_rows.add(i + 2)  # line numbers: the header is line 1
    body = b"\r\n".join([header, *rows]) + b"\r\n"
    result = await load_answer_file(session, adapter_for("sfr"), body, "text/csv", today=TODAY)
    rejected_rows = {row for row, _, _ in await SourceRepository(session).rejections(result.batch_id)}
    assert rejected_rows == broken_rows
    empty = len(range(0, len(rows), 10)) - len(broken_rows)
    messages = {m for _, _, m in await SourceRepository(session).rejections(result.batch_id)}
    assert any("кодировке" in m for m in messages) and any("Пособие" in m for m in messages)
    assert any("Дата рождения" in m for m in messages)
    assert result.loaded + result.already_known == len(rows) - len(broken_rows) - empty
    assert result.rejected == len(broken_rows) > 0
