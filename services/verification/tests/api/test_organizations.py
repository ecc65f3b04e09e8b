"""The organization directory of the kit (``oms_kit.tenancy``), as this service serves it."""

from oms_kit.testing.tenancy import OrganizationDirectorySuite, Seed
from verification.models import Organization


class TestOrganizationDirectory(OrganizationDirectorySuite):
    model = Organization
    permission = "verification.organization:read"
    scoped_role = "verification_operator"
    role_without_permission = "registry_operator"
    organizations = (
        Seed("Министерство здравоохранения области", "payer", "P1"),
        Seed("Администрация района", "payer", "P2"),
    )
