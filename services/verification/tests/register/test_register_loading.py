"""Loading a run's register into PostgreSQL: valid rows become entries with stable subjects,
rejected rows are reported per field with their row number, a file with 10 % garbage loads
the rest, a second run keeps the subjects (fingerprint tells what changed), a reload after a
crash adds nothing twice, and the entries read back as linkage records."""

import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.register.register_support import (
    TODAY,
    csv_bytes,
    new_run,
    person,
    transactions,
    write_csv,
    write_xlsx,
    xml_bytes,
)

from verification.models import RegisterEntry, RegisterRejection, Subject
from verification.register import NotATable, RegisterRepository, load_register_file


async def _entries(session: AsyncSession, run_id: uuid.UUID) -> dict[int, RegisterEntry]:
    rows = (await session.scalars(select(RegisterEntry).where(RegisterEntry.run_id == run_id))).all()
    return {e.row_no: e for e in rows}


async def _rejections(session: AsyncSession, run_id: uuid.UUID) -> list[tuple[int, str, str]]:
    rows = await session.execute(
        select(RegisterRejection.row_no, RegisterRejection.field, RegisterRejection.message)
        .where(RegisterRejection.run_id == run_id)
        .order_by(RegisterRejection.row_no, RegisterRejection.field)
    )
    return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.mark.parametrize("kind", ["csv-utf8", "csv-1251", "xlsx", "xml"])
async def test_each_format_loads_the_same_entries(session: AsyncSession, tmp_path: Path, kind: str) -> None:
    people = [person(i) for i in range(1, 6)]
    if kind == "csv-utf8":
        path = write_csv(tmp_path / "r.csv", people)
    elif kind == "csv-1251":
        path = write_csv(tmp_path / "r.csv", people, delimiter=",", encoding="cp1251")
    elif kind == "xlsx":
        path = write_xlsx(tmp_path / "r.xlsx", people)
    else:
        path = tmp_path / "r.xml"
        path.write_bytes(xml_bytes(people, encoding="windows-1251"))
    run = await new_run(session)

    result = await load_register_file(run.id, path, today=TODAY, transaction=transactions(session))

    assert (result.rows_read, result.entries, result.rejected_rows) == (5, 5, 0)
    assert result.file_format == kind.split("-")[0]
    entries = sorted((await _entries(session, run.id)).values(), key=lambda e: e.row_no)
    assert [e.surname for e in entries] == [p["surname"] for p in people]
    assert entries[0].enp == people[0]["enp"] and entries[0].snils == people[0]["snils"].replace(
        "-", ""
    ).replace(" ", "")
    assert entries[4].first_name == "Пётр" and entries[4].district == "28401"


async def test_ten_percent_garbage_loads_the_valid_rows_and_reports_each_rejected(
    session: AsyncSession, tmp_path: Path
) -> None:
    rnd = random.Random(5)
    rows: list[dict[str, Any]] = []
    garbage: dict[int, str] = {}  # row number in the file → the field spoiled
    spoilers = [
        ("snils", {"snils": "123-456-789 00"}),
        ("enp", {"enp": "1234567890123456"}),
        ("birth_date", {"birth_date": "31.13.1980"}),
        ("birth_date", {"birth_date": "01.01.2099"}),
        ("surname", {"surname": ""}),
        ("sex", {"sex": "?"}),
    ]
    for i in range(200):
        if rnd.random() < 0.1:
            field, change = spoilers[len(garbage) % len(spoilers)]
            rows.append(person(i, **change))
            garbage[i + 2] = field
        else:
            rows.append(person(i))
    path = write_csv(tmp_path / "r.csv", rows)
    run = await new_run(session)

    result = await load_register_file(
        run.id, path, today=TODAY, transaction=transactions(session), batch_rows=37
    )

    assert result.rows_read == 200
    assert result.rejected_rows == len(garbage) and 10 <= len(garbage) <= 30
    assert result.entries == 200 - len(garbage)
    rejections = await _rejections(session, run.id)
    assert {(r, f) for r, f, _ in rejections} == set(garbage.items())
    assert all(message for _, _, message in rejections)
    assert set(await _entries(session, run.id)).isdisjoint(garbage)


async def test_a_missing_required_column_fails_before_anything_is_written(
    session: AsyncSession, tmp_path: Path
) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Фамилия;Имя;Пол\nИванов;Иван;М\n", encoding="utf-8")
    run = await new_run(session)
    with pytest.raises(NotATable, match=r"нет обязательных колонок: Дата рождения \(birth_date\)"):
        await load_register_file(run.id, path, today=TODAY, transaction=transactions(session))
    assert await session.scalar(select(func.count()).select_from(RegisterEntry)) == 0


async def test_subjects_are_stable_across_runs_and_the_fingerprint_tells_what_changed(
    session: AsyncSession, tmp_path: Path
) -> None:
    unchanged, changed, no_ids = person(1), person(2), person(3, snils="", enp="")
    first = await new_run(session)
    await load_register_file(
        first.id,
        write_csv(tmp_path / "1.csv", [unchanged, changed, no_ids]),
        today=TODAY,
        transaction=transactions(session),
    )
    second = await new_run(session, previous=first)
    moved = {**changed, "address": "г. Тверь, ул. Новая, д. 1"}
    newcomer = person(4)
    await load_register_file(
        second.id,
        write_csv(
            tmp_path / "2.csv", [newcomer, moved, {**no_ids, "surname": no_ids["surname"].upper()}, unchanged]
        ),
        today=TODAY,
        transaction=transactions(session),
    )

    before = {e.subject_id: e for e in (await _entries(session, first.id)).values()}
    after = {e.subject_id: e for e in (await _entries(session, second.id)).values()}
    assert len(before) == 3 and len(after) == 4
    same = before.keys() & after.keys()
    assert len(same) == 3  # the three persons of the first run kept their subject ids
    by_surname = {e.enp or e.surname: e for e in after.values()}
    assert (
        by_surname[unchanged["enp"]].fingerprint
        == before[by_surname[unchanged["enp"]].subject_id].fingerprint
    )
    assert by_surname[changed["enp"]].fingerprint != before[by_surname[changed["enp"]].subject_id].fingerprint
    # The person without SNILS and ENP is keyed by the normalised name and birth date: the
    # same subject whatever the letter case, but a changed fingerprint (the surname differs).
    keyless = next(e for e in after.values() if e.enp is None)
    assert keyless.subject_id in before and keyless.fingerprint != before[keyless.subject_id].fingerprint
    newcomer_subject = await session.get(Subject, by_surname[newcomer["enp"]].subject_id)
    assert newcomer_subject is not None and newcomer_subject.first_run_id == second.id
    assert newcomer_subject.key == f"enp:{newcomer['enp']}"
    # Subject ids are time-ordered (version 7), so a later run's newcomer sorts after the
    # first run's subjects: new subjects go to the end of the indexes keyed by them.
    assert {s.version for s in after} == {7}
    assert newcomer_subject.id > max(before)

    repository = RegisterRepository(session)
    changes = await repository.changes(second.id, first.id)
    assert (changes.new, changes.changed, changes.unchanged, changes.gone) == (1, 2, 1, 0)
    assert set(await repository.changed_subject_ids(second.id, first.id)) == {
        by_surname[newcomer["enp"]].subject_id,
        by_surname[changed["enp"]].subject_id,
        keyless.subject_id,
    }


async def test_the_same_enp_twice_in_one_file_is_two_subjects_for_the_dedupe(
    session: AsyncSession, tmp_path: Path
) -> None:
    twin = person(9)
    run = await new_run(session)
    path = write_csv(tmp_path / "r.csv", [twin, person(10), {**twin, "first_name": "Иоанн"}])
    result = await load_register_file(run.id, path, today=TODAY, transaction=transactions(session))
    assert result.entries == 3
    keys = set(
        await session.scalars(
            select(Subject.key)
            .join(RegisterEntry, RegisterEntry.subject_id == Subject.id)
            .where(RegisterEntry.run_id == run.id)
        )
    )
    assert {f"enp:{twin['enp']}", f"enp:{twin['enp']}#2"} <= keys


async def test_a_reload_after_a_crash_adds_nothing_twice(session: AsyncSession, tmp_path: Path) -> None:
    rows = [person(i) for i in range(50)] + [person(50, snils="1")]
    path = write_csv(tmp_path / "r.csv", rows)
    run = await new_run(session)
    healthy = transactions(session)
    batches = 0

    @asynccontextmanager
    async def crashing() -> AsyncIterator[AsyncSession]:
        nonlocal batches
        batches += 1
        async with healthy() as s:
            yield s
            if batches == 4:  # (the first transaction asks whether to alias)
                raise RuntimeError("the worker died")  # the third batch is rolled back

    # One writer: a second one cancelled while opening its savepoint would spoil the shared
    # test session (the job's transactions are sessions of their own).
    with pytest.raises(RuntimeError):
        await load_register_file(run.id, path, today=TODAY, transaction=crashing, batch_rows=10, writers=1)
    assert len(await _entries(session, run.id)) == 20

    result = await load_register_file(run.id, path, today=TODAY, transaction=healthy, batch_rows=10)
    again = await load_register_file(run.id, path, today=TODAY, transaction=healthy, batch_rows=7)

    assert (result.entries, result.rejected_rows, result.problems) == (50, 1, 1)
    assert (again.entries, again.rejected_rows, again.problems) == (50, 1, 1)
    assert (
        await session.scalar(
            select(func.count()).select_from(RegisterEntry).where(RegisterEntry.run_id == run.id)
        )
        == 50
    )
    subjects = await session.scalar(
        select(func.count()).select_from(Subject).where(Subject.first_run_id == run.id)
    )
    assert subjects == 50


async def test_entries_read_back_as_person_records(session: AsyncSession, tmp_path: Path) -> None:
    run = await new_run(session)
    people = [person(i, sex="Ж" if i % 2 else "М") for i in range(7)]
    await load_register_file(
        run.id, write_csv(tmp_path / "r.csv", people), today=TODAY, transaction=transactions(session)
    )
    repository = RegisterRepository(session)
    batches = [b async for b in repository.person_records(run.id, batch_size=3)]
    assert [len(b) for b in batches] == [3, 3, 1]
    records = {r.enp: r for b in batches for r in b}
    assert set(records) == {p["enp"] for p in people}
    one = records[people[1]["enp"]]
    entry = next(e for e in (await _entries(session, run.id)).values() if e.enp == people[1]["enp"])
    assert one.unique_id == str(entry.subject_id)
    assert (one.surname, one.sex, one.doc_type, one.doc_number, one.district) == (
        people[1]["surname"],
        "female",
        "14",
        people[1]["doc_number"],
        "28401",
    )
    assert one.snils is not None and one.snils.isdigit() and one.inn is None


async def test_rows_of_a_wrong_shape_or_encoding_are_rejected_as_whole_rows(
    session: AsyncSession, tmp_path: Path
) -> None:
    good = [person(i) for i in range(40)]
    lines = csv_bytes(good).splitlines(keepends=True)
    lines.insert(5, "Петров;Пётр;;01.02.1990;М\r\n".encode("cp1251"))  # row 6: not UTF-8
    lines.insert(8, "Сидоров;Сидор;;01.02.1990;М;;;;;;;;лишнее\r\n".encode())  # row 9: 13 values
    path = tmp_path / "r.csv"
    path.write_bytes(b"".join(lines))
    run = await new_run(session)

    result = await load_register_file(run.id, path, today=TODAY, transaction=transactions(session))

    assert (result.rows_read, result.entries, result.rejected_rows) == (42, 40, 2)
    assert await _rejections(session, run.id) == [
        (6, "row", "В строке символы не в кодировке файла"),
        (9, "row", "В строке 13 значений, а колонок в заголовке 12"),
    ]
