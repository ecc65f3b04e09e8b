"""Roles → permissions: the one place where a role means something.

Tokens carry ``perms`` computed here; services only ever check permission strings of the
form ``<service>.<resource>:<action>`` (``require_permission("finance.report:read")``) and
apply the organization scope themselves. A service that needs a new permission adds it to
``CATALOGUE`` and grants it to roles below.

Choices worth knowing:

- ``admin`` runs the platform: organizations, users, API keys, signing keys, reference data
  (NSI) and the organization directories of every service. It gets **no personal or medical
  data** (persons, profiles, prescriptions, bill registries): an administrator who needs to
  look at a patient's record has to be given a clinical or registry role on purpose.
- ``tfoms_analyst``, ``foms_viewer``, ``health_authority`` and the TFOMS/FOMS exchanges are
  region-wide (``oms_kit.auth.REGION_WIDE_ROLES``); every other role is limited by services
  to its own organization, and ``patient`` to its own ``person_id``.
- ``mo_economist`` may read (not change) the user accounts of their own MO, so an MO can
  see who has access to its data; the admin API applies the organization scope to them.
- Machine clients (API keys) get the permissions of their client role **intersected** with
  the scopes stored on the key, so a key is never wider than its role.
"""

from __future__ import annotations

from collections.abc import Iterable

# --- the catalogue ------------------------------------------------------------------------

GATEWAY = frozenset(
    {
        "gateway.organization:read",
        "gateway.organization:write",
        "gateway.user:read",
        "gateway.user:write",
        "gateway.api_key:read",
        "gateway.api_key:write",
        "gateway.signing_key:read",
        "gateway.signing_key:write",
    }
)
REGISTRY = frozenset(
    {
        "registry.organization:read",
        "registry.person:read",  # insured-person register (MPI), personal data
        "registry.person:write",
        "registry.attachment:read",  # attachment of persons to MOs
        "registry.attachment:write",
        "registry.profile:read",  # digital medical profile, care history
        "registry.profile:write",
        "registry.semd:read",  # structured electronic medical documents
        "registry.semd:write",
        "registry.disease_registry:read",
        "registry.disease_registry:write",
        "registry.mo_passport:read",
        "registry.mo_passport:write",
        "registry.nsi:read",  # reference dictionaries
        "registry.nsi:write",
    }
)
FINANCE = frozenset(
    {
        "finance.organization:read",
        "finance.budget:read",  # income and expenses by KVFO/KOSGU
        "finance.budget:write",
        "finance.payment_order:read",
        "finance.payment_order:write",
        "finance.report:read",  # regulated forms 62, 14-F
        "finance.report:write",
        "finance.report:accept",  # accept or return an MO's report (14-F: TFOMS, 62: health authority)
        "finance.bill_registry:read",
        "finance.bill_registry:write",  # submit a bill registry
        "finance.bill_registry:control",  # FLC/MEC, accept or reject
        "finance.state_assignment:read",
        "finance.state_assignment:write",
        "finance.deviation:write",  # acknowledge a deviation of an MO in scope
        "finance.deviation:search",  # run the region's deviation search
        "finance.classifier:train",  # retrain the region's payment classifier
    }
)
PHARMACY = frozenset(
    {
        "pharmacy.organization:read",
        "pharmacy.beneficiary:read",
        "pharmacy.beneficiary:write",
        "pharmacy.prescription:read",
        "pharmacy.prescription:write",  # issue, cancel
        "pharmacy.prescription:dispense",
        "pharmacy.stock:read",
        "pharmacy.stock:write",
        "pharmacy.warehouse:read",
        "pharmacy.warehouse:write",
        "pharmacy.requisition:read",
        "pharmacy.requisition:write",
        "pharmacy.contract:read",
        "pharmacy.contract:write",
        "pharmacy.marking:read",
        "pharmacy.marking:write",
        "pharmacy.catalogue:write",  # the drug catalogue (reads: stock/prescription/beneficiary read)
        "pharmacy.control:read",  # medico-economic control of dispensed prescriptions
        "pharmacy.control:write",
        "pharmacy.attachment:write",  # pharmacies serving an MO (reads: stock/prescription read)
    }
)
VERIFICATION = frozenset(
    {
        "verification.organization:read",
        "verification.register:read",  # the non-working register as uploaded
        "verification.register:write",
        "verification.source:read",  # answers of external sources
        "verification.source:write",
        "verification.run:read",  # linkage runs and their results
        "verification.run:write",
        "verification.savings:read",
    }
)
CATALOGUE = GATEWAY | REGISTRY | FINANCE | PHARMACY | VERIFICATION


def _reads(perms: frozenset[str]) -> frozenset[str]:
    return frozenset(p for p in perms if p.endswith(":read"))


ORGANIZATION_DIRECTORIES = frozenset(
    {
        "gateway.organization:read",
        "registry.organization:read",
        "finance.organization:read",
        "pharmacy.organization:read",
        "verification.organization:read",
    }
)

# --- user roles -----------------------------------------------------------------------------

USER_ROLES: dict[str, frozenset[str]] = {
    "admin": GATEWAY | ORGANIZATION_DIRECTORIES | {"registry.nsi:read", "registry.nsi:write"},
    "tfoms_analyst": ORGANIZATION_DIRECTORIES
    | _reads(REGISTRY)
    | _reads(FINANCE)
    | _reads(PHARMACY)
    | _reads(VERIFICATION)
    | {
        "finance.bill_registry:control",
        "finance.deviation:write",
        "finance.deviation:search",
        "finance.classifier:train",
        "finance.report:accept",
        "registry.nsi:write",
        "pharmacy.control:write",
        "pharmacy.attachment:write",
    },
    "foms_viewer": ORGANIZATION_DIRECTORIES
    | {
        "finance.budget:read",
        "finance.report:read",
        "finance.state_assignment:read",
        "pharmacy.requisition:read",
        "pharmacy.contract:read",
        "verification.savings:read",
        "registry.nsi:read",
    },
    "health_authority": ORGANIZATION_DIRECTORIES
    | {
        "finance.budget:read",
        "finance.report:read",
        "finance.report:accept",  # form 62 of the MOs it founds
        "finance.state_assignment:read",
        "finance.state_assignment:write",
        "finance.deviation:write",
        "finance.deviation:search",
        "registry.mo_passport:read",
        # the founder of the MOs keeps the region's structure: territories, MO passports
        "registry.mo_passport:write",
        "registry.nsi:read",
        "pharmacy.requisition:read",
        "pharmacy.requisition:write",
        "pharmacy.contract:read",
        "pharmacy.contract:write",
        "pharmacy.stock:read",
        "pharmacy.prescription:read",
        "pharmacy.control:read",
        "pharmacy.control:write",
        "pharmacy.attachment:write",
        "verification.run:read",
        "verification.savings:read",
    },
    "mo_economist": ORGANIZATION_DIRECTORIES
    | {
        "gateway.user:read",
        "finance.budget:read",
        "finance.budget:write",
        "finance.payment_order:read",
        "finance.payment_order:write",
        "finance.report:read",
        "finance.report:write",
        "finance.bill_registry:read",
        "finance.bill_registry:write",
        "finance.state_assignment:read",
        "finance.deviation:write",
        "registry.mo_passport:read",
        "registry.mo_passport:write",
        "registry.nsi:read",
        "pharmacy.requisition:read",
        "pharmacy.requisition:write",
    },
    "doctor": ORGANIZATION_DIRECTORIES
    | {
        "registry.person:read",
        "registry.attachment:read",
        "registry.profile:read",
        "registry.profile:write",
        "registry.semd:read",
        "registry.semd:write",
        "registry.disease_registry:read",
        "registry.disease_registry:write",
        "registry.nsi:read",
        "pharmacy.beneficiary:read",
        "pharmacy.prescription:read",
        "pharmacy.prescription:write",
        "pharmacy.stock:read",
    },
    "pharmacist": ORGANIZATION_DIRECTORIES
    | {
        "pharmacy.beneficiary:read",
        "pharmacy.prescription:read",
        "pharmacy.prescription:dispense",
        "pharmacy.stock:read",
        "pharmacy.stock:write",
        "pharmacy.marking:read",
        "pharmacy.marking:write",
        "pharmacy.requisition:read",
        "registry.nsi:read",
    },
    "warehouse_operator": ORGANIZATION_DIRECTORIES
    | {
        "pharmacy.catalogue:write",
        "pharmacy.warehouse:read",
        "pharmacy.warehouse:write",
        "pharmacy.stock:read",
        "pharmacy.stock:write",
        "pharmacy.marking:read",
        "pharmacy.marking:write",
        "pharmacy.contract:read",
        "pharmacy.requisition:read",
        "registry.nsi:read",
    },
    "registry_operator": ORGANIZATION_DIRECTORIES
    | {
        "registry.person:read",
        "registry.person:write",
        "registry.attachment:read",
        "registry.attachment:write",
        "registry.disease_registry:read",
        "registry.disease_registry:write",
        "registry.mo_passport:read",
        "registry.nsi:read",
        "pharmacy.beneficiary:read",
        "pharmacy.beneficiary:write",
    },
    "verification_operator": ORGANIZATION_DIRECTORIES | VERIFICATION | {"registry.nsi:read"},
    # Services narrow every patient read to principal.person_id.
    "patient": frozenset(
        {
            "registry.person:read",
            "registry.profile:read",
            "pharmacy.prescription:read",
        }
    ),
}

# --- machine clients (API keys) -------------------------------------------------------------

CLIENT_ROLES: dict[str, frozenset[str]] = {
    # Medical information system of an MO: sends documents, prescriptions and bill registries.
    "mis": frozenset(
        {
            "registry.organization:read",
            "registry.person:read",
            "registry.attachment:read",
            "registry.profile:read",
            "registry.semd:write",
            "registry.nsi:read",
            "pharmacy.beneficiary:read",
            "pharmacy.prescription:read",
            "pharmacy.prescription:write",
            "pharmacy.stock:read",
            "finance.bill_registry:read",
            "finance.bill_registry:write",
        }
    ),
    # Accounting system of an MO or pharmacy: income/expenses and payment orders.
    "accounting": frozenset(
        {
            "finance.organization:read",
            "finance.budget:read",
            "finance.budget:write",
            "finance.payment_order:read",
            "finance.payment_order:write",
            "finance.report:read",
        }
    ),
    "tfoms_exchange": frozenset(
        {
            "registry.organization:read",
            "registry.person:read",
            "registry.person:write",
            "registry.attachment:read",
            "registry.attachment:write",
            "registry.nsi:read",
            "registry.nsi:write",
            "finance.bill_registry:read",
            "finance.bill_registry:control",
            "finance.report:read",
            "verification.register:read",
            "verification.source:write",
        }
    ),
    "foms_exchange": frozenset(
        {
            "registry.person:read",
            "registry.nsi:read",
            "finance.report:read",
            "verification.source:write",
        }
    ),
}

ALL_ROLES = {**USER_ROLES, **CLIENT_ROLES}

# Which kinds of organization a role may belong to. Region-wide roles only exist in
# region-level organizations, so an MO can never hold a token that reads the whole region.
ROLE_ORG_KINDS: dict[str, frozenset[str]] = {
    "admin": frozenset({"tfoms", "health_authority"}),
    "tfoms_analyst": frozenset({"tfoms"}),
    "foms_viewer": frozenset({"foms"}),
    "health_authority": frozenset({"health_authority"}),
    "mo_economist": frozenset({"mo"}),
    "doctor": frozenset({"mo"}),
    "pharmacist": frozenset({"pharmacy"}),
    "warehouse_operator": frozenset({"warehouse"}),
    "registry_operator": frozenset({"tfoms", "insurer", "mo"}),
    "verification_operator": frozenset({"payer", "tfoms"}),
    "patient": frozenset({"mo"}),  # bound to the MO of attachment
    "mis": frozenset({"mo", "pharmacy"}),
    "accounting": frozenset({"mo", "pharmacy", "warehouse"}),
    "tfoms_exchange": frozenset({"tfoms"}),
    "foms_exchange": frozenset({"foms"}),
}


def permissions_for(roles: Iterable[str]) -> frozenset[str]:
    """The union of the roles' permissions; unknown roles grant nothing."""
    perms: set[str] = set()
    for role in roles:
        perms |= ALL_ROLES.get(role, frozenset())
    return frozenset(perms)


def role_fits_organization(role: str, org_kind: str) -> bool:
    return org_kind in ROLE_ORG_KINDS.get(role, frozenset())
