"""A person who gains an identifier keeps the subject: listed by СНИЛС (or by name and birth
date) in one run and with an ЕНП (or a СНИЛС) in the next, the row's new key becomes an alias
of the subject (``subject_alias``), the next run finds it directly; two rows of one file never
share a subject; a first run does no alias work; a reload after a crash adds nothing twice."""

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.register.register_support import TODAY, new_run, person, transactions, write_csv

from oms_kit.db import Database
from oms_kit.testing.schema import schema_differences
from verification.models import Base, RegisterEntry, Subject, SubjectAlias, VerificationRun
from verification.register import RegisterRepository, load_register_file
from verification.register.loading import RegisterParser
from verification.register.reader import open_register
from verification.register.repository import ALT_KEYS, DUPLICATE_SUFFIX, STAGE_COLUMNS


async def _load(
    session: AsyncSession, tmp_path: Path, name: str, rows: list[dict[str, Any]], **options: Any
) -> VerificationRun:
    run = await new_run(session, previous=options.pop("previous", None))
    await load_register_file(
        run.id, write_csv(tmp_path / name, rows), today=TODAY, transaction=transactions(session), **options
    )
    return run


async def _subjects(session: AsyncSession, run_id: uuid.UUID) -> dict[int, uuid.UUID]:
    """Position of the row in the file (1, 2, …; the header is line 1) → subject id."""
    rows = await session.execute(
        select(RegisterEntry.row_no, RegisterEntry.subject_id).where(RegisterEntry.run_id == run_id)
    )
    return {r.row_no - 1: r.subject_id for r in rows}


async def _aliases(session: AsyncSession, run_id: uuid.UUID) -> dict[str, uuid.UUID]:
    rows = await session.execute(
        select(SubjectAlias.key, SubjectAlias.subject_id).where(SubjectAlias.created_run_id == run_id)
    )
    return {r.key: r.subject_id for r in rows}


async def test_the_migration_creates_the_mapped_alias_table(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, {"subject_alias"}) == []


async def test_a_person_who_gains_an_enp_keeps_the_subject(session: AsyncSession, tmp_path: Path) -> None:
    gains, other = person(1), person(2)
    first = await _load(session, tmp_path, "1.csv", [{**gains, "enp": ""}, other])
    before = await _subjects(session, first.id)

    second = await _load(session, tmp_path, "2.csv", [other, gains], previous=first)
    after = await _subjects(session, second.id)

    assert after[2] == before[1] and after[1] == before[2]  # the same subjects, rows swapped
    assert await _aliases(session, second.id) == {f"enp:{gains['enp']}": before[1]}
    subject = await session.get(Subject, before[1])
    assert subject is not None and subject.key.startswith("snils:")  # the subject keeps its key
    repository = RegisterRepository(session)
    changes = await repository.changes(second.id, first.id)
    assert (changes.new, changes.changed, changes.unchanged, changes.gone) == (0, 1, 1, 0)
    assert await repository.changed_subject_ids(second.id, first.id) == [before[1]]

    # The third run finds the ЕНП key directly: no new alias, the same subject, unchanged.
    third = await _load(session, tmp_path, "3.csv", [gains, other], previous=second)
    assert await _subjects(session, third.id) == {1: before[1], 2: before[2]}
    assert await _aliases(session, third.id) == {}
    changes = await repository.changes(third.id, second.id)
    assert (changes.new, changes.changed, changes.unchanged, changes.gone) == (0, 0, 2, 0)


async def test_a_keyless_person_who_gains_a_snils_keeps_the_subject(
    session: AsyncSession, tmp_path: Path
) -> None:
    gains = person(3)
    first = await _load(session, tmp_path, "1.csv", [{**gains, "enp": "", "snils": ""}])
    before = await _subjects(session, first.id)
    second = await _load(session, tmp_path, "2.csv", [{**gains, "enp": ""}], previous=first)
    assert await _subjects(session, second.id) == before
    snils = gains["snils"].replace("-", "").replace(" ", "")
    assert await _aliases(session, second.id) == {f"snils:{snils}": before[1]}

    # Then an ЕНП too: its alternative СНИЛС key is the alias of the second run.
    third = await _load(session, tmp_path, "3.csv", [gains], previous=second)
    assert await _subjects(session, third.id) == before
    assert await _aliases(session, third.id) == {f"enp:{gains['enp']}": before[1]}


async def test_two_rows_reaching_one_subject_the_later_becomes_a_subject_of_its_own(
    session: AsyncSession, tmp_path: Path
) -> None:
    keyed = person(4)
    first = await _load(session, tmp_path, "1.csv", [{**keyed, "enp": ""}, person(5)])
    held = (await _subjects(session, first.id))[1]
    # Two rows reach the СНИЛС subject by their alternative key (two new ЕНП), and one by the
    # subject's own key after them.
    other_enp = person(6)["enp"]
    rows = [keyed, {**keyed, "enp": other_enp, "first_name": "Иоанн"}, {**keyed, "enp": ""}, person(5)]
    second = await _load(session, tmp_path, "2.csv", rows, previous=first)

    after = await _subjects(session, second.id)
    assert len(after) == 4 and len(set(after.values())) == 4  # every row has a subject of its own
    assert after[1] == held  # the first row of the file to reach the subject keeps it
    assert await _aliases(session, second.id) == {f"enp:{keyed['enp']}": held}
    keys = {s.id: s.key for s in await session.scalars(select(Subject).where(Subject.id.in_(after.values())))}
    snils = keyed["snils"].replace("-", "").replace(" ", "")
    assert keys[after[2]] == f"enp:{other_enp}"  # the later alias candidate: its own key
    assert keys[after[3]] == f"snils:{snils}{DUPLICATE_SUFFIX}"  # the subject's own key, taken
    changes = await RegisterRepository(session).changes(second.id, first.id)
    assert (changes.new, changes.changed, changes.unchanged, changes.gone) == (2, 1, 1, 0)


async def test_a_row_holding_the_subject_by_its_own_key_first_keeps_it(
    session: AsyncSession, tmp_path: Path
) -> None:
    keyed = person(7)
    first = await _load(session, tmp_path, "1.csv", [{**keyed, "enp": ""}])
    held = (await _subjects(session, first.id))[1]
    # In separate batches: the subject's own key first, the ЕНП row after it.
    second = await _load(
        session, tmp_path, "2.csv", [{**keyed, "enp": ""}, person(8), keyed], previous=first, batch_rows=1
    )
    after = await _subjects(session, second.id)
    assert after[1] == held and len(set(after.values())) == 3
    assert await _aliases(session, second.id) == {}
    assert (await session.get(Subject, after[3])).key == f"enp:{keyed['enp']}"  # type: ignore[union-attr]


async def test_a_first_run_does_no_alias_work(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tmp_path: Path
) -> None:
    # A database of its own: no subject of another run, so the load is the one without aliases
    # (no alternative keys computed, the statements of before), and the subjects are today's.
    database = Database(await fresh_database(service_dir))
    try:
        async with database.sessions() as session, session.begin():
            rows = [person(i) for i in range(20)] + [person(3, first_name="Иоанн"), {**person(30), "enp": ""}]
            run = await new_run(session)
            assert await RegisterRepository(session).aliasing(run.id) is False
            await load_register_file(
                run.id, write_csv(tmp_path / "r.csv", rows), today=TODAY, transaction=transactions(session)
            )
            assert await session.scalar(select(func.count()).select_from(SubjectAlias)) == 0
            keys = set(
                await session.scalars(
                    select(Subject.key)
                    .join(RegisterEntry, RegisterEntry.subject_id == Subject.id)
                    .where(RegisterEntry.run_id == run.id)
                )
            )
            snils = rows[-1]["snils"].replace("-", "").replace(" ", "")
            assert keys == {f"enp:{p['enp']}" for p in rows[:20]} | {
                f"enp:{rows[3]['enp']}#2",
                f"snils:{snils}",
            }
            assert await RegisterRepository(session).aliasing(run.id) is False  # its own subjects only
            assert await RegisterRepository(session).aliasing(uuid.uuid4()) is True
    finally:
        await database.dispose()

    # The parser computes alternative keys only when asked to (a later run), never for a repeat.
    register = open_register(write_csv(tmp_path / "p.csv", rows))
    try:
        cells = list(register.rows())
    finally:
        register.close()
    assert all(r[ALT_KEYS] is None for r in RegisterParser(iter(cells), TODAY).next_batch().staged)
    staged = RegisterParser(iter(cells), TODAY, aliasing=True).next_batch().staged
    key, snils_of = STAGE_COLUMNS.index("key"), STAGE_COLUMNS.index("snils")
    assert staged[3][ALT_KEYS][0] == f"snils:{staged[3][snils_of]}"
    assert staged[3][ALT_KEYS][1].startswith("name:") and len(staged[3][ALT_KEYS]) == 2
    assert staged[20][key].endswith("#2") and staged[20][ALT_KEYS] is None  # a repeat: none
    assert staged[21][key].startswith("snils:") and staged[21][ALT_KEYS][0].startswith("name:")


async def test_a_reload_after_a_crash_keeps_the_aliases_and_adds_nothing_twice(
    session: AsyncSession, tmp_path: Path
) -> None:
    people = [person(i) for i in range(30)]
    first = await _load(session, tmp_path, "1.csv", [{**p, "enp": ""} for p in people])
    before = await _subjects(session, first.id)
    path = write_csv(tmp_path / "2.csv", people)
    second = await new_run(session, previous=first)
    healthy = transactions(session)
    batches = 0

    @asynccontextmanager
    async def crashing() -> AsyncIterator[AsyncSession]:
        nonlocal batches
        batches += 1
        async with healthy() as s:
            yield s
            if batches == 4:  # the alias check, two batches, then the third is rolled back
                raise RuntimeError("the worker died")

    with pytest.raises(RuntimeError):
        await load_register_file(second.id, path, today=TODAY, transaction=crashing, batch_rows=10, writers=1)
    assert len(await _subjects(session, second.id)) == 20
    assert len(await _aliases(session, second.id)) == 20

    for batch_rows in (10, 7):
        result = await load_register_file(
            second.id, path, today=TODAY, transaction=healthy, batch_rows=batch_rows
        )
        assert result.entries == 30
    assert await _subjects(session, second.id) == before
    assert set((await _aliases(session, second.id)).values()) == set(before.values())
    assert (
        await session.scalar(
            select(func.count()).select_from(Subject).where(Subject.first_run_id == second.id)
        )
        == 0
    )


async def test_two_writers_racing_for_one_subject_give_every_row_an_entry(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tmp_path: Path
) -> None:
    """The job's way: a transaction (a connection) per batch, two writing at once. Each person
    listed by СНИЛС in the first run comes twice in the second file, once with an ЕНП and once
    by the СНИЛС alone, in adjacent one-row batches written at the same time: whichever row
    reaches the subject first keeps it, the other waits for its commit and becomes a subject
    of its own; no row is lost, and a reload adds nothing."""
    database = Database(await fresh_database(service_dir))

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with database.sessions() as s, s.begin():
            yield s

    try:
        people = [person(i) for i in range(24)]
        async with transaction() as s:
            first = await new_run(s)
            second = await new_run(s, previous=first)
        await load_register_file(
            first.id,
            write_csv(tmp_path / "1.csv", [{**p, "enp": ""} for p in people]),
            today=TODAY,
            transaction=transaction,
        )
        rows: list[dict[str, Any]] = []
        for i, p in enumerate(people):
            pair = [p, {**p, "enp": ""}]
            rows += pair if i % 2 else pair[::-1]
        path = write_csv(tmp_path / "2.csv", rows)
        for _ in range(2):  # the load, then a reload of the same file
            result = await load_register_file(
                second.id, path, today=TODAY, transaction=transaction, batch_rows=1, writers=2
            )
            assert result.entries == 48

        async with database.sessions() as s:
            before = await _subjects(s, first.id)
            after = await _subjects(s, second.id)
            aliases = await _aliases(s, second.id)
            keys = {
                x.id: x.key for x in await s.scalars(select(Subject).where(Subject.first_run_id == second.id))
            }
        assert len(set(after.values())) == 48
        for i in range(24):
            pair = [after[2 * i + 1], after[2 * i + 2]]
            assert before[i + 1] in pair  # one of the two rows keeps the person's subject
            [other] = [x for x in pair if x != before[i + 1]]
            snils = people[i]["snils"].replace("-", "").replace(" ", "")
            enp_row_kept = f"enp:{people[i]['enp']}" in aliases
            assert keys[other] == (
                f"snils:{snils}{DUPLICATE_SUFFIX}" if enp_row_kept else f"enp:{people[i]['enp']}"
            )
        assert set(aliases.values()) <= set(before.values()) and len(keys) == 24
    finally:
        await database.dispose()
