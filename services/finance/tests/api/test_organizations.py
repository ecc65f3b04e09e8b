"""The organization directory of the kit (``oms_kit.tenancy``), as this service serves it."""

from finance.models import Organization
from oms_kit.testing.tenancy import OrganizationDirectorySuite


class TestOrganizationDirectory(OrganizationDirectorySuite):
    model = Organization
    permission = "finance.organization:read"
