"""This service's copy of the gateway's organizations, fed by its own queue."""

from finance.events.handlers import handlers
from finance.models import Organization
from oms_kit.testing.tenancy import OrganizationCopySuite


class TestOrganizationCopy(OrganizationCopySuite):
    model = Organization
    handlers = handlers
    queue = "finance"
