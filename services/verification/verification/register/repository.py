"""All SQL of a run's register: a batch of valid rows is copied (binary COPY) into a temporary
staging table, new subjects are added for keys not seen before, and the entries are written
with one ``INSERT … SELECT``; rejected rows go to ``register_rejection``. Both writes skip what
the run holds already, so loading the same file again after a crash adds nothing.

When subjects of earlier runs exist (``aliasing``, asked once per load: never on a first run,
which loads as before), a row whose key is neither a subject's key nor an alias is looked up by
its alternative keys (``subjects.alternative_keys``) and, found, its key becomes an alias of
that subject (``subject_alias``); the keys of rows resolve through the aliases too."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import asyncpg_connection
from verification.linkage.records import PersonRecord
from verification.register.columns import COLUMNS

STAGE = "register_stage"
STAGE_COLUMNS: tuple[str, ...] = ("row_no", "key", *COLUMNS, "fingerprint", "alt_keys")
_TYPES = {"row_no": "integer", "birth_date": "date", "fingerprint": "bytea", "alt_keys": "text[]"}
ALT_KEYS = STAGE_COLUMNS.index("alt_keys")
_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ("
    + ", ".join(f"{c} {_TYPES.get(c, 'text')}" for c in STAGE_COLUMNS)
    + ") ON COMMIT DELETE ROWS"
)
_ENTRY_FIELDS = (*COLUMNS, "fingerprint")

# A subject id is time-ordered (UUID version 7: the milliseconds since the epoch, then random
# bits), so new subjects, and the run's entries, pairs and outcomes keyed by them, go to the
# right edge of their indexes instead of a random page each (a million-row load wrote 1.4 GB
# of WAL with random ids, mostly full-page images of index pages; 0.9 GB with these).
TIME_ORDERED_UUID = (
    "encode(set_byte(overlay(uuid_send(gen_random_uuid()) placing "
    "substring(int8send((extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3) FROM 1 FOR 6), "
    "6, (get_byte(uuid_send(gen_random_uuid()), 6) & 15) | 112), 'hex')::uuid"
)
# In key order, so two runs loading at once take the subjects' index locks in one order.
_SUBJECTS = f"""
INSERT INTO subject (id, key, first_run_id)
SELECT {TIME_ORDERED_UUID}, key, $1 FROM {STAGE} ORDER BY key
ON CONFLICT (key) DO NOTHING
"""  # noqa: S608  (a constant table name)
# One index probe of subject per staged row, whatever the statistics say right after a load;
# in subject order, so the entries' primary key grows at its end.
_ENTRIES = f"""
INSERT INTO register_entry (run_id, subject_id, row_no, {", ".join(_ENTRY_FIELDS)})
SELECT $1, s.id, st.row_no, {", ".join(f"st.{c}" for c in _ENTRY_FIELDS)}
  FROM {STAGE} st CROSS JOIN LATERAL (SELECT s.id FROM subject s WHERE s.key = st.key) s
 ORDER BY s.id
ON CONFLICT (run_id, subject_id) DO NOTHING
"""  # noqa: S608  (built from the constant column list)
# --- aliasing (later runs only) ---------------------------------------------------------------
_AS_FIRST_RUN = "SELECT NOT EXISTS (SELECT 1 FROM subject WHERE first_run_id <> $1)"
# Every lookup below is a scalar subquery or a LATERAL: one index probe per staged row, never a
# hash join over all subjects or all the run's entries (a freshly loaded stage has no statistics).
# The rows whose key is unknown (no subject's key, no alias) and that have alternative keys:
# the first alternative key that is a subject's key or an alias names the subject, and the
# row's key becomes its alias — unless the subject has an entry of the run already (another
# row of the file holds it; the row becomes a subject of its own); of two rows of the batch
# reaching one subject, the first in file order.
_ALIASES = f"""
INSERT INTO subject_alias (key, subject_id, created_run_id)
SELECT DISTINCT ON (f.subject_id) u.key, f.subject_id, $1
  FROM (SELECT st.row_no, st.key, st.alt_keys FROM {STAGE} st
         WHERE st.alt_keys IS NOT NULL
           AND (SELECT true FROM subject s WHERE s.key = st.key) IS NULL
           AND (SELECT true FROM subject_alias a WHERE a.key = st.key) IS NULL) u
 CROSS JOIN LATERAL (
       SELECT found.subject_id
         FROM unnest(u.alt_keys) WITH ORDINALITY AS k(key, n)
        CROSS JOIN LATERAL (SELECT s.id AS subject_id FROM subject s WHERE s.key = k.key
                            UNION ALL
                            SELECT a.subject_id FROM subject_alias a WHERE a.key = k.key) found
        ORDER BY k.n LIMIT 1) f
 WHERE (SELECT true FROM register_entry e WHERE e.run_id = $1 AND e.subject_id = f.subject_id) IS NULL
 ORDER BY f.subject_id, u.row_no
ON CONFLICT (key) DO NOTHING
"""  # noqa: S608  (a constant table name)
_ALIASED_SUBJECTS = f"""
INSERT INTO subject (id, key, first_run_id)
SELECT {TIME_ORDERED_UUID}, key, $1 FROM {STAGE} st
 WHERE (SELECT true FROM subject_alias a WHERE a.key = st.key) IS NULL
 ORDER BY key
ON CONFLICT (key) DO NOTHING
"""  # noqa: S608  (a constant table name)
# A key is a subject's key or an alias, never both. Two rows of one file may reach one subject
# (an earlier run listed the person by СНИЛС, this file by the СНИЛС and, again, with an ЕНП
# aliased to it): the first in file order gets the entry here, the other is a loser (below).
_ALIASED_ENTRIES = f"""
INSERT INTO register_entry (run_id, subject_id, row_no, {", ".join(_ENTRY_FIELDS)})
SELECT DISTINCT ON (s.id) $1, s.id, st.row_no, {", ".join(f"st.{c}" for c in _ENTRY_FIELDS)}
  FROM {STAGE} st
 CROSS JOIN LATERAL (SELECT s.id FROM subject s WHERE s.key = st.key
                     UNION ALL
                     SELECT a.subject_id FROM subject_alias a WHERE a.key = st.key
                     LIMIT 1) s
 ORDER BY s.id, st.row_no
ON CONFLICT (run_id, subject_id) DO NOTHING
"""  # noqa: S608  (built from the constant column list)
# Staged rows without an entry: those of a reload have one by their row number; the others
# reached a subject another row of the file holds (of this batch, an earlier one or one written
# at the same time by the other connection: its entry is waited for, then seen here — so of two
# rows in batches written at once, the one committed first keeps the subject, not the first in
# file order; either way each row gets an entry, and a reload keeps what was written).
_LOSERS = f"""
SELECT st.row_no, st.key FROM {STAGE} st
 WHERE (SELECT true FROM register_entry e WHERE e.run_id = $1 AND e.row_no = st.row_no LIMIT 1) IS NULL
"""  # noqa: S608  (a constant table name)
# A loser whose key this run made an alias gets a subject by its own key (the alias goes); one
# whose key is a subject's own or an older alias, a subject keyed ``<key>#dup`` (never a key
# ``subjects`` gives, so no other row reaches it; the same again on a reload or next month).
_DROP_ALIASES = """
DELETE FROM subject_alias WHERE created_run_id = $1 AND key = ANY($2::text[]) RETURNING key
"""
_LOSER_SUBJECTS = f"""
INSERT INTO subject (id, key, first_run_id)
SELECT {TIME_ORDERED_UUID}, k.key, $1 FROM unnest($2::text[]) AS k(key) ORDER BY k.key
ON CONFLICT (key) DO NOTHING
"""  # noqa: S608  (a constant expression)
_LOSER_ENTRIES = f"""
INSERT INTO register_entry (run_id, subject_id, row_no, {", ".join(_ENTRY_FIELDS)})
SELECT $1, s.id, st.row_no, {", ".join(f"st.{c}" for c in _ENTRY_FIELDS)}
  FROM unnest($2::integer[], $3::text[]) AS l(row_no, key)
  JOIN {STAGE} st ON st.row_no = l.row_no
  JOIN subject s ON s.key = l.key
ON CONFLICT (run_id, subject_id) DO NOTHING
"""  # noqa: S608  (built from the constant column list)
DUPLICATE_SUFFIX = "#dup"
_REJECTIONS = """
INSERT INTO register_rejection (run_id, row_no, field, message)
SELECT $1, r.row_no, r.field, r.message
  FROM unnest($2::integer[], $3::text[], $4::text[]) AS r(row_no, field, message)
ON CONFLICT (run_id, row_no, field) DO NOTHING
"""
_RECORDS = """
SELECT subject_id, surname, first_name, patronymic, birth_date, sex, snils, enp,
       doc_type, doc_series, doc_number, district
  FROM register_entry
 WHERE run_id = $1 AND subject_id > $2
 ORDER BY subject_id
 LIMIT $3
"""
_CHANGES = """
SELECT count(*) FILTER (WHERE p.subject_id IS NULL) AS new,
       count(*) FILTER (WHERE p.fingerprint <> e.fingerprint) AS changed,
       count(*) FILTER (WHERE p.fingerprint = e.fingerprint) AS unchanged,
       (SELECT count(*) FROM register_entry g
         WHERE g.run_id = $2 AND NOT EXISTS (SELECT 1 FROM register_entry n
                                              WHERE n.run_id = $1 AND n.subject_id = g.subject_id)) AS gone
  FROM register_entry e
  LEFT JOIN register_entry p ON p.run_id = $2 AND p.subject_id = e.subject_id
 WHERE e.run_id = $1
"""
_CHANGED_IDS = """
SELECT e.subject_id FROM register_entry e
  LEFT JOIN register_entry p ON p.run_id = $2 AND p.subject_id = e.subject_id
 WHERE e.run_id = $1 AND (p.subject_id IS NULL OR p.fingerprint <> e.fingerprint)
 ORDER BY e.subject_id
"""
MESSAGE_LENGTH = 500
MIN_UUID = uuid.UUID(int=0)


@dataclass(frozen=True)
class RegisterCounts:
    entries: int
    rejected_rows: int
    problems: int


@dataclass(frozen=True)
class RegisterChanges:
    """A run's register against the previous run's: subjects new to it, with a different
    fingerprint, with the same one, and the previous run's subjects no longer listed."""

    new: int
    changed: int
    unchanged: int
    gone: int


@dataclass(frozen=True)
class Rejection:
    row_no: int
    field: str
    message: str


class RegisterRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def write_batch(
        self,
        run_id: uuid.UUID,
        rows: Sequence[tuple[Any, ...]],
        rejections: Sequence[tuple[int, str, str]] = (),
        *,
        aliasing: bool = False,
    ) -> int:
        """Stage ``rows`` (``STAGE_COLUMNS`` tuples), add the subjects of new keys and write
        the run's entries and rejections; returns how many entries were new to the run. With
        ``aliasing`` (``aliasing()`` said so for the load) the keys resolve through
        ``subject_alias`` and unknown keys are looked up by the rows' alternative keys."""
        db = await asyncpg_connection(self.session)
        # A batch lost to a server crash is loaded again by the resumed stage: no need to wait
        # for its WAL to reach the disk at commit.
        await db.execute("SET LOCAL synchronous_commit = off")
        written = 0
        if rows:
            await db.execute(_DDL)
            # Emptied at commit, but one transaction may write several batches.
            await db.execute(f"TRUNCATE {STAGE}")
            await db.copy_records_to_table(STAGE, records=rows, columns=STAGE_COLUMNS)
            if aliasing:
                written = await self._write_aliased(db, run_id, rows)
            else:
                await db.execute(_SUBJECTS, run_id)
                status: str = await db.execute(_ENTRIES, run_id)
                written = int(status.rsplit(" ", 1)[-1])
        if rejections:
            await db.execute(
                _REJECTIONS,
                run_id,
                [r[0] for r in rejections],
                [r[1] for r in rejections],
                [r[2][:MESSAGE_LENGTH] for r in rejections],
            )
        return written

    async def aliasing(self, run_id: uuid.UUID) -> bool:
        """Whether a load of the run has alias work to do: only when ``subject`` holds a
        subject of another run (a first run's load skips all of it: the keys of one file are
        distinct, so nothing but a subject of an earlier run can be reached twice)."""
        db = await asyncpg_connection(self.session)
        return not await db.fetchval(_AS_FIRST_RUN, run_id)

    async def _write_aliased(self, db: Any, run_id: uuid.UUID, rows: Sequence[tuple[Any, ...]]) -> int:
        """Subjects and entries of a staged batch when subjects of earlier runs exist."""
        if any(row[ALT_KEYS] is not None for row in rows):
            await db.execute(_ALIASES, run_id)
        await db.execute(_ALIASED_SUBJECTS, run_id)
        status: str = await db.execute(_ALIASED_ENTRIES, run_id)
        written = int(status.rsplit(" ", 1)[-1])
        if written == len(rows):
            return written
        losers = await db.fetch(_LOSERS, run_id)
        if not losers:  # a reload: the rows have their entries
            return written
        keys = [r["key"] for r in losers]
        dropped = {r["key"] for r in await db.fetch(_DROP_ALIASES, run_id, keys)}
        keys = [k if k in dropped else k + DUPLICATE_SUFFIX for k in keys]
        await db.execute(_LOSER_SUBJECTS, run_id, keys)
        status = await db.execute(_LOSER_ENTRIES, run_id, [r["row_no"] for r in losers], keys)
        return written + int(status.rsplit(" ", 1)[-1])

    async def clear(self, run_id: uuid.UUID) -> None:
        """Forget the run's entries and rejections (a different file for the same run)."""
        db = await asyncpg_connection(self.session)
        await db.execute("DELETE FROM register_entry WHERE run_id = $1", run_id)
        await db.execute("DELETE FROM register_rejection WHERE run_id = $1", run_id)

    async def analyze(self) -> None:
        """Fresh planner statistics after a bulk load (sampled: about a second on millions), so
        the later stages' joins on the run's entries are planned for their real size."""
        db = await asyncpg_connection(self.session)
        await db.execute("ANALYZE register_entry, subject")

    async def counts(self, run_id: uuid.UUID) -> RegisterCounts:
        db = await asyncpg_connection(self.session)
        row = await db.fetchrow(
            "SELECT (SELECT count(*) FROM register_entry WHERE run_id = $1) AS entries, "
            "(SELECT count(DISTINCT row_no) FROM register_rejection WHERE run_id = $1) AS rejected_rows, "
            "(SELECT count(*) FROM register_rejection WHERE run_id = $1) AS problems",
            run_id,
        )
        return RegisterCounts(row["entries"], row["rejected_rows"], row["problems"])

    async def rejections(self, run_id: uuid.UUID, *, limit: int = 10_000) -> list[Rejection]:
        """The run's problems in file order (the error report)."""
        db = await asyncpg_connection(self.session)
        rows = await db.fetch(
            "SELECT row_no, field, message FROM register_rejection WHERE run_id = $1 "
            "ORDER BY row_no, field LIMIT $2",
            run_id,
            limit,
        )
        return [Rejection(r["row_no"], r["field"], r["message"]) for r in rows]

    async def person_records(
        self, run_id: uuid.UUID, *, batch_size: int = 50_000
    ) -> AsyncIterator[list[PersonRecord]]:
        """The run's entries as linkage records (``unique_id`` = subject id), in batches."""
        db = await asyncpg_connection(self.session)
        after = MIN_UUID
        while True:
            rows = await db.fetch(_RECORDS, run_id, after, batch_size)
            if not rows:
                return
            yield [
                PersonRecord(
                    unique_id=str(r["subject_id"]),
                    surname=r["surname"],
                    first_name=r["first_name"],
                    patronymic=r["patronymic"],
                    birth_date=r["birth_date"],
                    sex=r["sex"],
                    snils=r["snils"],
                    enp=r["enp"],
                    doc_type=r["doc_type"],
                    doc_series=r["doc_series"],
                    doc_number=r["doc_number"],
                    district=r["district"],
                )
                for r in rows
            ]
            after = rows[-1]["subject_id"]

    async def changes(self, run_id: uuid.UUID, previous_run_id: uuid.UUID) -> RegisterChanges:
        db = await asyncpg_connection(self.session)
        row = await db.fetchrow(_CHANGES, run_id, previous_run_id)
        return RegisterChanges(row["new"], row["changed"], row["unchanged"], row["gone"])

    async def changed_subject_ids(self, run_id: uuid.UUID, previous_run_id: uuid.UUID) -> list[uuid.UUID]:
        """Subjects of the run that are new or whose fields changed since the previous run:
        what an incremental run scores again."""
        db = await asyncpg_connection(self.session)
        return [r["subject_id"] for r in await db.fetch(_CHANGED_IDS, run_id, previous_run_id)]
