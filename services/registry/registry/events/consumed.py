"""Events of other services the registry reads, as tolerant readers of their payloads (fields
the registry does not use are left out; fields a newer producer adds are ignored). The
producers' own models are the contract (contracts/asyncapi.yaml); no service imports another."""

import uuid
from datetime import date

from oms_kit.events import EventPayload


class VerificationPersonExcluded(EventPayload):
    """The verification's ``verification.person.excluded``: a run excluded a register record;
    ``person_id`` is the registry person when the run's register came from the registry."""

    event_type = "verification.person.excluded"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    subject_id: uuid.UUID
    reason: str
    reasons: list[str]
    months_excluded: int
    duplicate_of: uuid.UUID | None = None
    person_id: uuid.UUID | None = None


class VerificationPersonReinstated(EventPayload):
    """The verification's ``verification.person.reinstated``: a later run kept a record an
    earlier run had excluded, or an operator's decision lifted the run's own exclusion."""

    event_type = "verification.person.reinstated"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    subject_id: uuid.UUID
    person_id: uuid.UUID | None = None
    as_of: date
