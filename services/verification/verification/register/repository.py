"""All SQL of a run's register: a batch of valid rows is copied (binary COPY) into a temporary
staging table, new subjects are added for keys not seen before, and the entries are written
with one ``INSERT … SELECT``; rejected rows go to ``register_rejection``. Both writes skip what
the run holds already, so loading the same file again after a crash adds nothing."""

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
STAGE_COLUMNS: tuple[str, ...] = ("row_no", "key", *COLUMNS, "fingerprint")
_TYPES = {"row_no": "integer", "birth_date": "date", "fingerprint": "bytea"}
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
    ) -> int:
        """Stage ``rows`` (``STAGE_COLUMNS`` tuples), add the subjects of new keys and write
        the run's entries and rejections; returns how many entries were new to the run."""
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
