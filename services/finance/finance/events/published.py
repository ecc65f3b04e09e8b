"""Events the finance service publishes (payload models, exported to contracts/asyncapi.yaml).

None yet: the first feature that changes state here adds its payload models to this list."""

from oms_kit.events import EventPayload

PUBLISHED: list[type[EventPayload]] = []
