"""All SQL of the registry deaths: the consumer's upsert and the run's death facts."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from verification.rules import Fact

REGISTRY_DEATH_KIND = "registry.death"
REGISTRY_SOURCE_TITLE = "Регистр застрахованных (ЕРЗ)"
PERSON_KEY = "person:"

# A later event (by the envelope's time) replaces the date; an older one arriving late does not.
_UPSERT = text(
    """
INSERT INTO registry_death (person_id, death_date, event_id, event_time)
VALUES (:person_id, :death_date, :event_id, :event_time)
ON CONFLICT (person_id) DO UPDATE
   SET death_date = EXCLUDED.death_date, event_id = EXCLUDED.event_id,
       event_time = EXCLUDED.event_time, received_at = now()
 WHERE registry_death.event_time <= EXCLUDED.event_time
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
        await self.session.execute(
            _UPSERT,
            {
                "person_id": person_id,
                "death_date": death_date,
                "event_id": event_id,
                "event_time": event_time,
            },
        )

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
