"""Events the registry service publishes (payload models, exported to contracts/asyncapi.yaml).

Payloads carry ids and the dates consumers act on, not personal data: a consumer that needs
more asks the register's API, where access is checked and audited."""

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict

from oms_kit.events import EventPayload


class PersonRegistered(EventPayload):
    """A person entered the register of insured persons."""

    event_type = "registry.person.registered"

    person_id: uuid.UUID
    oip: int


class PersonUpdated(EventPayload):
    """Facts of a person were added or corrected; ``kinds`` says which (name, document, …)."""

    event_type = "registry.person.updated"

    person_id: uuid.UUID
    oip: int
    kinds: list[str]


class PersonDied(EventPayload):
    """A death was recorded: pharmacy suspends the beneficiary, verification marks the person."""

    event_type = "registry.person.died"

    person_id: uuid.UUID
    oip: int
    death_date: date


class PersonDeathRetracted(EventPayload):
    """A death recorded in error was withdrawn and none is left: the person is alive again.

    ``retracted_death_date`` is the date the withdrawn record held (verification forgets a
    death of that date, or one it learnt of before this event). Published with
    ``registry.person.updated`` (kinds ``["death"]``); withdrawing one of two deaths publishes
    ``registry.person.died`` with the one left instead."""

    event_type = "registry.person.death_retracted"

    person_id: uuid.UUID
    oip: int
    retracted_death_date: date


class InsuranceChanged(EventPayload):
    """The insurance affiliation of a person changed from ``valid_from``.

    With ``valid_to`` the period now ends on that day: a recorded death ends the open
    insurance on the death date."""

    event_type = "registry.insurance.changed"

    person_id: uuid.UUID
    insurer_id: uuid.UUID
    valid_from: date
    valid_to: date | None = None


class AttachmentChanged(EventPayload):
    """A person was attached to an MO from ``valid_from``; ``previous_mo_id`` is the MO the
    previous attachment period (now closed the day before) belonged to. With ``valid_to`` the
    attachment to ``mo_id`` that began on ``valid_from`` now ends on that day (a recorded
    death ends it on the death date)."""

    event_type = "registry.attachment.changed"

    person_id: uuid.UUID
    mo_id: uuid.UUID
    previous_mo_id: uuid.UUID | None = None
    area_code: str | None = None
    valid_from: date
    valid_to: date | None = None


class UnidentifiedLinked(EventPayload):
    """An unidentified patient (НИЛ) was identified as a person of the register.

    The НИЛ record ``unidentified_id`` (registered by ``mo_id``, admitted on ``admitted_on``)
    is now ``person_id``: consumers move what they recorded under the НИЛ to the person."""

    event_type = "registry.unidentified.linked"

    unidentified_id: uuid.UUID
    mo_id: uuid.UUID
    admitted_on: date
    person_id: uuid.UUID
    oip: int


class MoSnapshot(BaseModel):
    """The MO as it stands after the change, for consumers that keep a copy (finance's MO
    profile): its founder (the health authority organization), legal form, beds (Σ of its
    departments' beds), persons attached on ``as_of`` and the ОКТМО of its territory."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    as_of: date
    founder_id: uuid.UUID | None = None
    legal_form: str | None = None  # budget, autonomous, state, private
    beds: int | None = None
    attached_persons: int | None = None
    territory_oktmo: str | None = None


class MoUpdated(EventPayload):
    """The structure or passport of an MO changed: ``part`` says what (passport, branch,
    department, room, license, area, equipment; ``snapshot`` — nothing changed, the snapshot is
    re-sent, e.g. after the attachments were loaded), ``object_id`` which row. ``snapshot``
    (optional, absent in events of older producers): the MO after the change."""

    event_type = "registry.mo.updated"

    mo_id: uuid.UUID
    part: str
    object_id: uuid.UUID | None = None
    snapshot: MoSnapshot | None = None


class PersonMerged(EventPayload):
    """``merged_id`` was found to be the same person as ``survivor_id`` and merged into it:
    consumers re-point their records to the survivor (the merged ОИП keeps resolving)."""

    event_type = "registry.person.merged"

    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_oip: int
    merged_id: uuid.UUID
    merged_oip: int


class PersonUnmerged(EventPayload):
    """A merge was undone: ``merged_id`` is a person of its own again, with its own records."""

    event_type = "registry.person.unmerged"

    merge_id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_oip: int
    merged_id: uuid.UUID
    merged_oip: int


PUBLISHED: list[type[EventPayload]] = [
    PersonRegistered,
    PersonUpdated,
    PersonDied,
    PersonDeathRetracted,
    InsuranceChanged,
    AttachmentChanged,
    UnidentifiedLinked,
    PersonMerged,
    PersonUnmerged,
    MoUpdated,
]
