"""This service's copy of the gateway's organizations, fed by its own queue."""

from oms_kit.testing.tenancy import OrganizationCopySuite
from registry.events.handlers import handlers
from registry.models import Organization


class TestOrganizationCopy(OrganizationCopySuite):
    model = Organization
    handlers = handlers
    queue = "registry"
