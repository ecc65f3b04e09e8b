"""What the verification consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from oms_kit.events import EventHandlers
from oms_kit.tenancy import register_organization_copy
from verification.models import Organization

handlers = EventHandlers(queue="verification")
register_organization_copy(handlers, Organization)
