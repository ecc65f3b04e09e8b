"""The organization directory of the kit (``oms_kit.tenancy``), as this service serves it."""

from oms_kit.testing.tenancy import OrganizationDirectorySuite, Seed
from pharmacy.models import Organization


class TestOrganizationDirectory(OrganizationDirectorySuite):
    model = Organization
    permission = "pharmacy.organization:read"
    scoped_role = "pharmacist"
    role_without_permission = "warehouse_operator"
    organizations = (Seed("Аптека № 1", "pharmacy", "PH1"), Seed("Аптека № 2", "pharmacy", "PH2"))
