"""Events the gateway publishes (payload models, exported to contracts/asyncapi.yaml)."""

import uuid

from oms_kit.events import EventPayload


class OrganizationRegistered(EventPayload):
    """An organization joined the region; every service keeps a local copy of it."""

    event_type = "gateway.organization.registered"

    id: uuid.UUID
    name: str
    kind: str
    code: str | None = None


PUBLISHED: list[type[EventPayload]] = [OrganizationRegistered]
