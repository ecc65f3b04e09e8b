"""The persons a run's events name: the registry person behind an excluded subject (its key
``person:<registry person id>``), and the subjects the organization's previous run excluded that
this run keeps (``verification.person.reinstated``). All SQL of it here; the decisions stage
writes the events in its one transaction (``verification.runs.decisions``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

# The registry person id of a subject key ``person:<uuid>`` (``#n`` of a repeat dropped), else NULL.
_PERSON_ID = "CASE WHEN s.key LIKE 'person:%' THEN split_part(substr(s.key, 8), '#', 1)::uuid END"
_EXCLUDED_PERSONS = text(
    f"""
SELECT o.subject_id, {_PERSON_ID} AS person_id
  FROM outcome o JOIN subject s ON s.id = o.subject_id
 WHERE o.run_id = :run_id AND o.outcome = 'exclude' AND s.key LIKE 'person:%'
"""  # noqa: S608  (a constant)
)
# The organization's latest run that finished before this one was created (its decisions stage
# done); the subjects it excluded that are in this run's register and kept by it (neither excluded
# nor waiting for an operator's review: a review may yet exclude them again).
_REINSTATED = text(
    f"""
WITH this AS (SELECT id, organization_id, created_at FROM verification_run WHERE id = :run_id),
previous AS (
  SELECT r.id FROM verification_run r JOIN this ON r.organization_id = this.organization_id
   WHERE r.id <> this.id AND r.finished_stage = 'decisions' AND r.created_at < this.created_at
   ORDER BY r.created_at DESC, r.id DESC LIMIT 1
)
SELECT p.subject_id, {_PERSON_ID} AS person_id
  FROM outcome p
  JOIN previous ON p.run_id = previous.id
  JOIN register_entry e ON e.run_id = :run_id AND e.subject_id = p.subject_id
  JOIN subject s ON s.id = p.subject_id
  LEFT JOIN outcome o ON o.run_id = :run_id AND o.subject_id = p.subject_id
 WHERE p.outcome = 'exclude' AND (o.outcome IS NULL OR o.outcome NOT IN ('exclude', 'review'))
 ORDER BY p.subject_id
"""  # noqa: S608  (a constant)
)


_REGISTRY_PERSONS = text(
    f"SELECT s.id AS subject_id, {_PERSON_ID} AS person_id FROM subject s "  # noqa: S608  (a constant)
    "WHERE s.id = ANY(:ids) AND s.key LIKE 'person:%'"
).bindparams(bindparam("ids", type_=ARRAY(UUID(as_uuid=True))))


class PersonEventRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def excluded_persons(self, run_id: uuid.UUID) -> dict[uuid.UUID, uuid.UUID]:
        """Excluded subject → registry person, for the subjects that are registry persons."""
        rows = await self.session.execute(_EXCLUDED_PERSONS, {"run_id": run_id})
        return {r.subject_id: r.person_id for r in rows}

    async def registry_persons(self, subject_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, uuid.UUID]:
        """Subject → registry person, for those of ``subject_ids`` that are registry persons."""
        if not subject_ids:
            return {}
        rows = await self.session.execute(_REGISTRY_PERSONS, {"ids": list(subject_ids)})
        return {r.subject_id: r.person_id for r in rows}

    async def reinstated(self, run_id: uuid.UUID) -> list[tuple[uuid.UUID, uuid.UUID | None]]:
        """(subject, registry person or None) excluded by the organization's previous run and
        kept by this one."""
        rows = await self.session.execute(_REINSTATED, {"run_id": run_id})
        return [(r.subject_id, r.person_id) for r in rows]
