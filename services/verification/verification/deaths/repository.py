"""All SQL of the registry deaths: the consumers' upsert and retraction, and the run's death
facts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from verification.rules import Fact

REGISTRY_DEATH_KIND = "registry.death"
REGISTRY_SOURCE_TITLE = "Регистр застрахованных (ЕРЗ)"
PERSON_KEY = "person:"

# The death and the retraction handlers of one person take turns (two consumers, or a batch and
# a redelivery): without it each could miss the other's uncommitted row, and a death retracted
# after it was recorded would stay. A hash collision only makes two persons wait for each other.
_LOCK_PERSON = text(
    "SELECT pg_advisory_xact_lock(hashtextextended('verification.registry_death:' || :person_id, 0))"
)
# A later event (by the envelope's time) replaces the date; an older one arriving late does not,
# nor does one no later than the person's latest retraction (it was withdrawn already).
_UPSERT = text(
    """
INSERT INTO registry_death (person_id, death_date, event_id, event_time)
SELECT CAST(:person_id AS uuid), CAST(:death_date AS date), CAST(:event_id AS uuid),
       CAST(:event_time AS timestamptz)
 WHERE NOT EXISTS (SELECT 1 FROM registry_death_retraction r
                    WHERE r.person_id = :person_id AND r.event_time >= :event_time)
ON CONFLICT (person_id) DO UPDATE
   SET death_date = EXCLUDED.death_date, event_id = EXCLUDED.event_id,
       event_time = EXCLUDED.event_time, received_at = now()
 WHERE registry_death.event_time <= EXCLUDED.event_time
"""
)
# A retraction removes the death of the date it withdrew, or any death learnt of by an event no
# later than it (the date the registry held then); a death recorded after it, of another date,
# stays. Either way it is kept as the person's latest retraction (the tombstone ``_UPSERT`` reads).
_FORGET = text(
    """
DELETE FROM registry_death
 WHERE person_id = :person_id AND (death_date = :death_date OR event_time <= :event_time)
"""
)
_TOMBSTONE = text(
    """
INSERT INTO registry_death_retraction (person_id, death_date, event_id, event_time)
VALUES (:person_id, :death_date, :event_id, :event_time)
ON CONFLICT (person_id) DO UPDATE
   SET death_date = EXCLUDED.death_date, event_id = EXCLUDED.event_id,
       event_time = EXCLUDED.event_time, received_at = now()
 WHERE registry_death_retraction.event_time <= EXCLUDED.event_time
"""
)
# The run's entries whose subject is a registry person with a recorded death: one index probe
# of ``subject.key`` and of the entry's primary key per recorded death.
_RUN_DEATHS = text(
    f"""
SELECT e.subject_id, d.person_id, d.death_date
  FROM registry_death d
  JOIN subject s ON s.key = '{PERSON_KEY}' || d.person_id::text
  JOIN register_entry e ON e.run_id = :run_id AND e.subject_id = s.id
"""  # noqa: S608  (a constant)
)


class RegistryDeathRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self, person_id: uuid.UUID, death_date: date, *, event_id: uuid.UUID, event_time: datetime
    ) -> None:
        """The death of ``registry.person.died`` (by its envelope's id and time)."""
        await self._change(_UPSERT, person_id, death_date, event_id=event_id, event_time=event_time)

    async def retract(
        self, person_id: uuid.UUID, death_date: date, *, event_id: uuid.UUID, event_time: datetime
    ) -> None:
        """The death of ``death_date`` withdrawn by ``registry.person.death_retracted`` (by its
        envelope's id and time): forgotten, and kept as a retraction for late death events."""
        await self._change(_FORGET, person_id, death_date, event_id=event_id, event_time=event_time)
        await self.session.execute(
            _TOMBSTONE,
            {
                "person_id": person_id,
                "death_date": death_date,
                "event_id": event_id,
                "event_time": event_time,
            },
        )

    async def _change(
        self,
        statement: TextClause,
        person_id: uuid.UUID,
        death_date: date,
        *,
        event_id: uuid.UUID,
        event_time: datetime,
    ) -> None:
        await self.session.execute(_LOCK_PERSON, {"person_id": str(person_id)})
        params = {
            "person_id": person_id,
            "death_date": death_date,
            "event_id": event_id,
            "event_time": event_time,
        }
        await self.session.execute(statement, params)

    async def death_date(self, person_id: uuid.UUID) -> date | None:
        value: date | None = await self.session.scalar(
            text("SELECT death_date FROM registry_death WHERE person_id = :id"), {"id": person_id}
        )
        return value

    async def facts(self, run_id: uuid.UUID) -> dict[str, list[Fact]]:
        """The run's subjects with a recorded registry death, as rule facts by subject id (read
        once per run: one index probe per recorded death, not per register entry)."""
        rows = await self.session.execute(_RUN_DEATHS, {"run_id": run_id})
        return {
            str(r.subject_id): [
                Fact(
                    record_id=f"{PERSON_KEY}{r.person_id}",
                    kind=REGISTRY_DEATH_KIND,
                    date_from=r.death_date,
                    date_to=None,
                    match_probability=1.0,
                    source=REGISTRY_SOURCE_TITLE,
                )
            ]
            for r in rows
        }
