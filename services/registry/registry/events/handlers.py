"""What the registry consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from oms_kit.events import EventHandlers
from oms_kit.tenancy import register_organization_copy
from registry.models import Organization

handlers = EventHandlers(queue="registry")
register_organization_copy(handlers, Organization)
