"""Organization scope, shared like auth: the local copy of the organizations the gateway
registers (``gateway.organization.registered``), which every domain service keeps in its own
database and serves, scoped to the caller's organization, at ``/organizations``.

A service wires it in four places, and owns its table all the same:

- ``models/organization.py``: ``class Organization(OrganizationCopyMixin, Base): ...``;
- its first migration: ``organization_table_v1_upgrade(op)`` / ``organization_table_v1_downgrade(op)``;
- ``events/handlers.py``: ``register_organization_copy(handlers, Organization)``;
- ``main.py``: ``organization_router(Organization, "<service>.organization:read")``.

Test support (the fixtures and the suite every service runs) is in ``oms_kit.testing``."""

from oms_kit.tenancy.endpoints import organization_router
from oms_kit.tenancy.events import OrganizationRegistered, register_organization_copy
from oms_kit.tenancy.migrations import organization_table_v1_downgrade, organization_table_v1_upgrade
from oms_kit.tenancy.model import OrganizationCopyMixin
from oms_kit.tenancy.repository import OrganizationCopyRepository
from oms_kit.tenancy.schemas import OrganizationRead

__all__ = [
    "OrganizationCopyMixin",
    "OrganizationCopyRepository",
    "OrganizationRead",
    "OrganizationRegistered",
    "organization_router",
    "organization_table_v1_downgrade",
    "organization_table_v1_upgrade",
    "register_organization_copy",
]
