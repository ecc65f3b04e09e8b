"""All SQL of the bulk import: a batch of validated rows is copied (COPY, binary) into a
temporary staging table, checked there against the register in a few set-based statements,
and written to ``person``, ``person_search``, ``person_fact`` and ``audit_log`` with one
``INSERT … SELECT`` each: no statement per person.

The fact rows are those ``registry.person`` writes for the same data (kinds, slots, keys, the
JSON of ``registry.person.drafts``), so a person imported here reads, searches and changes
like one registered through ``POST /persons``. Facts of one imported person never overlap by
construction (one fact per kind and slot, history periods end where the next begins); the
unique index on open-ended current facts still guards that (decision 0007)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import asyncpg_connection

STAGE = "person_import_stage"
STAGE_COLUMNS: tuple[str, ...] = (
    "row_no",
    "id",
    "surname",
    "first_name",
    "patronymic",
    "name_norm",
    "birth_date",
    "sex",
    "birth_place",
    "snils",
    "enp",
    "doc_type",
    "doc_series",
    "doc_number",
    "doc_key",
    "doc_issue",
    "doc_issuer",
    "reg_address",
    "reg_from",
    "res_address",
    "res_from",
    "phone",
    "phone_from",
    "insurer_id",
    "policy_type",
    "policy_series",
    "policy_key",
    "policy_number",
    "insurance_from",
    "insurance_upper",
    "mo_id",
    "area_code",
    "attached_from",
    "attach_method",
    "employment",
    "employment_from",
    "employment_upper",
    "death_date",
    "previous_surname",
    "surname_from",
    "previous_reg_address",
    "previous_insurer_id",
    "previous_policy_type",
    "previous_policy_number",
    "previous_insurance_from",
)
_TYPES = {
    "row_no": "integer",
    "id": "uuid",
    "insurer_id": "uuid",
    "mo_id": "uuid",
    "previous_insurer_id": "uuid",
}
_DATES = {c for c in STAGE_COLUMNS if c.endswith(("_date", "_from", "_upper", "_issue"))}
_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ("
    + ", ".join(f"{c} {_TYPES.get(c, 'date' if c in _DATES else 'text')}" for c in STAGE_COLUMNS)
    + ") ON COMMIT DELETE ROWS"
)

# Identifiers another person already holds, or an earlier row of the same batch holds. Each
# probe must be one descent of the (kind, key) btree of current facts per staged row, whatever
# the planner believes of the tables (right after a bulk load their statistics are stale, and
# it joined every SNILS of the register to the batch): ``OFFSET 0`` keeps each EXISTS a
# per-row subplan, and the conditions on slot and person keep it on the (kind, key) index.
_CONFLICTS = """
SELECT s.row_no, 'snils' AS field FROM person_import_stage s
 WHERE s.snils IS NOT NULL AND EXISTS (SELECT 1 FROM person_fact f
   WHERE f.kind = 'snils' AND f.key = s.snils AND upper_inf(f.recorded)
     AND f.person_id IS DISTINCT FROM s.id OFFSET 0)
UNION ALL
SELECT s.row_no, 'enp' FROM person_import_stage s
 WHERE s.enp IS NOT NULL AND EXISTS (SELECT 1 FROM person_fact f
   WHERE f.kind = 'enp' AND f.key = s.enp AND upper_inf(f.recorded)
     AND f.person_id IS DISTINCT FROM s.id OFFSET 0)
UNION ALL
SELECT s.row_no, 'document_number' FROM person_import_stage s
 WHERE s.doc_key IS NOT NULL AND EXISTS (SELECT 1 FROM person_fact f
   WHERE f.kind = 'document' AND f.key = s.doc_key AND upper_inf(f.recorded)
     AND f.slot || '' = s.doc_type AND f.person_id IS DISTINCT FROM s.id OFFSET 0)
UNION ALL
SELECT row_no, 'snils' FROM (SELECT row_no, row_number() OVER (PARTITION BY snils ORDER BY row_no) AS n
  FROM person_import_stage WHERE snils IS NOT NULL) d WHERE n > 1
UNION ALL
SELECT row_no, 'enp' FROM (SELECT row_no, row_number() OVER (PARTITION BY enp ORDER BY row_no) AS n
  FROM person_import_stage WHERE enp IS NOT NULL) d WHERE n > 1
UNION ALL
SELECT row_no, 'document_number' FROM (SELECT row_no,
  row_number() OVER (PARTITION BY doc_type, doc_key ORDER BY row_no) AS n
  FROM person_import_stage WHERE doc_key IS NOT NULL) d WHERE n > 1
"""

_PERSONS = """
WITH p AS (
  INSERT INTO person (id) SELECT id FROM person_import_stage ORDER BY row_no RETURNING id, oip
)
INSERT INTO person_search (person_id, oip, surname, first_name, patronymic, name_norm, birth_date, sex,
                           snils, enp, death_date, updated_at)
SELECT s.id, p.oip, s.surname, s.first_name, s.patronymic, s.name_norm, s.birth_date, s.sex,
       s.snils, s.enp, s.death_date, now()
  FROM person_import_stage s JOIN p ON p.id = s.id
"""


def _fact(kind: str, when: str, slot: str, lower: str, upper: str, org: str, key: str, data: str) -> str:
    return (
        f"(CASE WHEN {when} THEN '{kind}' END, {slot}, daterange({lower}, {upper}), "
        f"{org}::uuid, {key}, CASE WHEN {when} THEN {data} END, {_reason(kind)})"
    )


def _reason(kind: str) -> str:
    return "'Смена фамилии'" if kind == "name_now" else "NULL::text"


_NAME = "jsonb_build_object('surname', {0}, 'first_name', s.first_name, 'patronymic', s.patronymic)"
_INSURANCE = (
    "jsonb_build_object('insurer_id', {0}::text, 'policy_type', {1}, 'policy_series', {2}, "
    "'policy_number', {3})"
)
_FACT_ROWS = ",\n".join(
    [
        _fact(
            "name",
            "s.previous_surname IS NULL",
            "''",
            "s.birth_date",
            "NULL",
            "NULL",
            "NULL",
            _NAME.format("s.surname"),
        ),
        _fact(
            "name",
            "s.previous_surname IS NOT NULL",
            "''",
            "s.birth_date",
            "s.surname_from",
            "NULL",
            "NULL",
            _NAME.format("s.previous_surname"),
        ),
        _fact(
            "name_now",
            "s.previous_surname IS NOT NULL",
            "''",
            "s.surname_from",
            "NULL",
            "NULL",
            "NULL",
            _NAME.format("s.surname"),
        ),
        _fact(
            "sex", "true", "''", "s.birth_date", "NULL", "NULL", "NULL", "jsonb_build_object('sex', s.sex)"
        ),
        _fact(
            "birth",
            "true",
            "''",
            "s.birth_date",
            "NULL",
            "NULL",
            "NULL",
            "jsonb_build_object('birth_date', s.birth_date, 'birth_place', s.birth_place)",
        ),
        _fact(
            "snils",
            "s.snils IS NOT NULL",
            "''",
            "s.birth_date",
            "NULL",
            "NULL",
            "s.snils",
            "jsonb_build_object('snils', s.snils)",
        ),
        _fact(
            "enp",
            "s.enp IS NOT NULL",
            "''",
            "s.birth_date",
            "NULL",
            "NULL",
            "s.enp",
            "jsonb_build_object('enp', s.enp)",
        ),
        _fact(
            "document",
            "s.doc_key IS NOT NULL",
            "s.doc_type",
            "s.doc_issue",
            "NULL",
            "NULL",
            "s.doc_key",
            "jsonb_build_object('type', s.doc_type, 'series', s.doc_series, 'number', s.doc_number, "
            "'issue_date', s.doc_issue, 'issuer', s.doc_issuer)",
        ),
        _fact(
            "address",
            "s.reg_address IS NOT NULL",
            "'registration'",
            "s.reg_from",
            "NULL",
            "NULL",
            "NULL",
            "jsonb_build_object('kind', 'registration', 'text', s.reg_address, 'fias_id', NULL, "
            "'okato', NULL)",
        ),
        _fact(
            "address",
            "s.previous_reg_address IS NOT NULL",
            "'registration'",
            "s.birth_date",
            "s.reg_from",
            "NULL",
            "NULL",
            "jsonb_build_object('kind', 'registration', 'text', s.previous_reg_address, 'fias_id', NULL, "
            "'okato', NULL)",
        ),
        _fact(
            "address",
            "s.res_address IS NOT NULL",
            "'residence'",
            "s.res_from",
            "NULL",
            "NULL",
            "NULL",
            "jsonb_build_object('kind', 'residence', 'text', s.res_address, 'fias_id', NULL, 'okato', NULL)",
        ),
        _fact(
            "contact",
            "s.phone IS NOT NULL",
            "'phone'",
            "s.phone_from",
            "NULL",
            "NULL",
            "NULL",
            "jsonb_build_object('kind', 'phone', 'value', s.phone)",
        ),
        _fact(
            "insurance",
            "s.insurer_id IS NOT NULL",
            "''",
            "s.insurance_from",
            "s.insurance_upper",
            "s.insurer_id",
            "s.policy_key",
            _INSURANCE.format("s.insurer_id", "s.policy_type", "s.policy_series", "s.policy_number"),
        ),
        _fact(
            "insurance",
            "s.previous_insurer_id IS NOT NULL",
            "''",
            "s.previous_insurance_from",
            "s.insurance_from",
            "s.previous_insurer_id",
            "upper(s.previous_policy_number)",
            _INSURANCE.format(
                "s.previous_insurer_id", "s.previous_policy_type", "NULL::text", "s.previous_policy_number"
            ),
        ),
        _fact(
            "attachment",
            "s.mo_id IS NOT NULL",
            "''",
            "s.attached_from",
            "NULL",
            "s.mo_id",
            "NULL",
            "jsonb_build_object('mo_id', s.mo_id::text, 'area_code', s.area_code, 'method', s.attach_method, "
            "'application_date', NULL)",
        ),
        _fact(
            "employment",
            "s.employment IS NOT NULL",
            "''",
            "s.employment_from",
            "s.employment_upper",
            "NULL",
            "NULL",
            "jsonb_build_object('status', s.employment)",
        ),
        _fact(
            "death",
            "s.death_date IS NOT NULL",
            "''",
            "s.death_date",
            "NULL",
            "NULL",
            "NULL",
            "jsonb_build_object('death_date', s.death_date)",
        ),
    ]
)
# Built from the constant fact rows above, no input in it.
_FACTS = f"""
INSERT INTO person_fact (person_id, kind, slot, valid, recorded, org_id, key, data, reason, recorded_by)
SELECT s.id, CASE f.kind WHEN 'name_now' THEN 'name' ELSE f.kind END, f.slot, f.valid, tstzrange($1, NULL),
       f.org_id, f.key, f.data, COALESCE(f.reason, $2), $3
  FROM person_import_stage s CROSS JOIN LATERAL (VALUES
{_FACT_ROWS}
  ) AS f(kind, slot, valid, org_id, key, data, reason)
 WHERE f.kind IS NOT NULL
"""  # noqa: S608

_AUDIT = """
INSERT INTO audit_log (id, at, actor, actor_kind, actor_org_id, person_id, action, resource, reason,
                       request_id)
SELECT gen_random_uuid(), now(), $1, $2, $3, id, 'create', 'person', $4, $5 FROM person_import_stage
"""


@dataclass(frozen=True)
class Actor:
    """Who the facts and audit rows are recorded for: the job's submitter."""

    subject: str
    kind: str
    org_id: uuid.UUID
    reason: str
    request_id: str | None = None


@dataclass
class BatchOutcome:
    imported: int
    already_imported: int
    conflicts: list[tuple[int, str]]  # (row number, field) of identifiers held by someone else


async def driver(session: AsyncSession) -> Any:
    """The asyncpg connection under the session, in the session's transaction (for COPY)."""
    return await asyncpg_connection(session)


async def write_batch(session: AsyncSession, rows: Sequence[tuple[Any, ...]], actor: Actor) -> BatchOutcome:
    """Stage ``rows`` (``STAGE_COLUMNS`` tuples) and write the persons that are new, in the
    session's transaction. Rows whose person id exists already (a re-run of the job after a
    crash) are skipped; rows whose identifiers are held by another person are returned."""
    db = await driver(session)
    await db.execute(_DDL)
    # Emptied at commit, but one transaction may write several batches (the demo seed).
    await db.execute("TRUNCATE person_import_stage")
    await db.copy_records_to_table(STAGE, records=rows, columns=STAGE_COLUMNS)
    existing = await db.fetch(
        "DELETE FROM person_import_stage s WHERE EXISTS (SELECT 1 FROM person p WHERE p.id = s.id OFFSET 0) "
        "RETURNING s.row_no"
    )
    conflicts = [(r["row_no"], r["field"]) for r in await db.fetch(_CONFLICTS)]
    if conflicts:
        await db.execute(
            "DELETE FROM person_import_stage WHERE row_no = ANY($1::int[])", sorted({r for r, _ in conflicts})
        )
    imported = len(rows) - len(existing) - len({r for r, _ in conflicts})
    if imported:
        at: datetime = await db.fetchval("SELECT clock_timestamp()")
        await db.execute(_PERSONS)
        await db.execute(_FACTS, at, actor.reason, actor.subject)
        await db.execute(_AUDIT, actor.subject, actor.kind, actor.org_id, actor.reason, actor.request_id)
    return BatchOutcome(imported=imported, already_imported=len(existing), conflicts=sorted(conflicts))


async def analyze(session: AsyncSession) -> None:
    """Fresh planner statistics after a bulk load (sampled: about a second on millions)."""
    db = await driver(session)
    await db.execute("ANALYZE person, person_fact, person_search")
