"""The payloads of the registry's events the pharmacy consumes, as tolerant readers: only the
fields read here (a field the publisher adds later is ignored). The publisher's model is the
contract (``contracts/asyncapi.yaml``); no other service's package is imported."""

import uuid
from datetime import date

from oms_kit.events import EventPayload


class RegistryPersonDied(EventPayload):
    """``registry.person.died``: the beneficiary's entitlement is suspended from the death date."""

    event_type = "registry.person.died"

    person_id: uuid.UUID
    death_date: date


class RegistryPersonDeathRetracted(EventPayload):
    """``registry.person.death_retracted``: a death recorded in error withdrawn."""

    event_type = "registry.person.death_retracted"

    person_id: uuid.UUID
    retracted_death_date: date


class RegistryPersonMerged(EventPayload):
    """``registry.person.merged``: ``merged_id`` is the same person as ``survivor_id``."""

    event_type = "registry.person.merged"

    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID


class RegistryPersonUnmerged(EventPayload):
    """``registry.person.unmerged``: the merge ``merge_id`` undone."""

    event_type = "registry.person.unmerged"

    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    merged_id: uuid.UUID
