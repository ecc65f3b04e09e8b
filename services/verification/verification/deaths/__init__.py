"""Deaths the registry recorded (``registry.person.died``), as one more fact source of the
rules: a subject whose key is ``person:<registry person id>`` (a register taken from
``registry``) with a recorded death is dead from the death date, by the same rule as the
civil registry's (ЗАГС) death records. The identity is exact (the registry's own person id), so
the fact has probability 1 and never falls in a review band.

- ``RegistryDeathRepository.record``: the consumer's upsert (idempotent with the inbox; a later
  event with another date replaces the earlier one);
- ``RegistryDeathRepository.facts``: the run's subjects with a recorded death, as rule facts."""

from verification.deaths.repository import (
    REGISTRY_DEATH_KIND,
    REGISTRY_SOURCE_TITLE,
    RegistryDeathRepository,
)

__all__ = ["REGISTRY_DEATH_KIND", "REGISTRY_SOURCE_TITLE", "RegistryDeathRepository"]
