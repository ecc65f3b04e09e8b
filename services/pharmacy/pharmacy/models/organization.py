"""Local copy of the organizations the gateway registers (fed by events)."""

from oms_kit.tenancy import OrganizationCopyMixin
from pharmacy.models import Base


class Organization(OrganizationCopyMixin, Base):
    """Columns, schema and upkeep come from ``oms_kit.tenancy``; the table is this service's."""
