"""Deaths the registry recorded (``registry.person.died``), as one more fact source of the
rules: a subject whose key is ``person:<registry person id>`` (a register taken from
``registry``) with a recorded death is dead from the death date, by the same rule as the
civil registry's (ЗАГС) death records. The identity is exact (the registry's own person id), so
the fact has probability 1 and never falls in a review band.

- ``RegistryDeathRepository.record``: the consumer's upsert (idempotent with the inbox; a later
  event with another date replaces the earlier one; an event no later than the person's latest
  retraction is not recorded);
- ``RegistryDeathRepository.retract``: ``registry.person.death_retracted`` removes the death of
  the withdrawn date, or one learnt of by an event no later than the retraction (a death of
  another date recorded after it stays), and keeps the retraction (``registry_death_retraction``,
  by the envelope's time) so a death event older than it arriving late stays withdrawn;
- ``RegistryDeathRepository.facts``: the run's subjects with a recorded death, as rule facts."""

from verification.deaths.repository import (
    REGISTRY_DEATH_KIND,
    REGISTRY_SOURCE_TITLE,
    RegistryDeathRepository,
)

__all__ = ["REGISTRY_DEATH_KIND", "REGISTRY_SOURCE_TITLE", "RegistryDeathRepository"]
