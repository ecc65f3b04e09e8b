"""This service's copy of the gateway's organizations, fed by its own queue."""

from oms_kit.testing.tenancy import OrganizationCopySuite
from pharmacy.events.handlers import handlers
from pharmacy.models import Organization


class TestOrganizationCopy(OrganizationCopySuite):
    model = Organization
    handlers = handlers
    queue = "pharmacy"
