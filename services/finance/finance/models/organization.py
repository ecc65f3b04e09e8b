"""Local copy of the organizations the gateway registers (fed by events)."""

from finance.models import Base
from oms_kit.tenancy import OrganizationCopyMixin


class Organization(OrganizationCopyMixin, Base):
    """Columns, schema and upkeep come from ``oms_kit.tenancy``; the table is this service's."""
