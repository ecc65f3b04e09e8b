"""What the finance consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from finance.models import Organization
from oms_kit.events import EventHandlers
from oms_kit.tenancy import register_organization_copy

handlers = EventHandlers(queue="finance")
register_organization_copy(handlers, Organization)
