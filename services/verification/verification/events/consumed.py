"""The payloads of other services' events this service consumes, as tolerant readers: only
the fields read here (a field the publisher adds later is ignored). The publisher's model is
the contract (``contracts/asyncapi.yaml``); no service package is imported."""

import uuid
from datetime import date

from oms_kit.events import EventPayload


class RegistryPersonDied(EventPayload):
    """The registry's ``registry.person.died``: a death recorded for a registry person."""

    event_type = "registry.person.died"

    person_id: uuid.UUID
    oip: int
    death_date: date


class RegistryPersonDeathRetracted(EventPayload):
    """The registry's ``registry.person.death_retracted``: a death withdrawn, none left.

    ``retracted_death_date`` is the date the withdrawn record held."""

    event_type = "registry.person.death_retracted"

    person_id: uuid.UUID
    oip: int
    retracted_death_date: date
