"""The organization directory of the kit (``oms_kit.tenancy``), as this service serves it."""

from oms_kit.testing.tenancy import OrganizationDirectorySuite
from registry.models import Organization


class TestOrganizationDirectory(OrganizationDirectorySuite):
    model = Organization
    permission = "registry.organization:read"
