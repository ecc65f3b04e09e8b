from gateway.access.roles import (
    CATALOGUE,
    CLIENT_ROLES,
    ROLE_ORG_KINDS,
    USER_ROLES,
    permissions_for,
    role_fits_organization,
)
from gateway.models.organization import OrganizationKind
from oms_kit.auth import REGION_WIDE_ROLES

DESIGN_ROLES = {
    "admin",
    "tfoms_analyst",
    "foms_viewer",
    "health_authority",
    "mo_economist",
    "doctor",
    "pharmacist",
    "warehouse_operator",
    "registry_operator",
    "verification_operator",
    "patient",
}
PERSONAL_DATA = {
    "registry.person:read",
    "registry.profile:read",
    "pharmacy.prescription:read",
    "finance.bill_registry:read",
}
REGION_LEVEL_KINDS = {"tfoms", "foms", "health_authority"}


def test_every_role_of_the_design_is_defined():
    assert set(USER_ROLES) == DESIGN_ROLES
    assert set(CLIENT_ROLES) == {"mis", "accounting", "tfoms_exchange", "foms_exchange"}
    assert set(ROLE_ORG_KINDS) == set(USER_ROLES) | set(CLIENT_ROLES)


def test_permissions_are_from_the_catalogue_and_well_formed():
    for role, perms in {**USER_ROLES, **CLIENT_ROLES}.items():
        assert perms, role
        assert perms <= CATALOGUE, (role, sorted(perms - CATALOGUE))
    for perm in CATALOGUE:
        service, _, rest = perm.partition(".")
        resource, _, action = rest.partition(":")
        assert service in {"gateway", "registry", "finance", "pharmacy", "verification"}
        assert resource and action, perm


def test_admin_runs_the_platform_but_reads_no_personal_data():
    admin = permissions_for(["admin"])
    assert {"gateway.organization:write", "gateway.user:write", "gateway.api_key:write"} <= admin
    assert not admin & PERSONAL_DATA
    assert "*" not in admin


def test_region_wide_roles_live_only_in_region_level_organizations():
    for role in REGION_WIDE_ROLES:
        assert ROLE_ORG_KINDS[role] <= REGION_LEVEL_KINDS, role
    kinds = {k.value for k in OrganizationKind}
    for role, allowed in ROLE_ORG_KINDS.items():
        assert allowed <= kinds, role


def test_role_fits_organization():
    assert role_fits_organization("doctor", "mo")
    assert not role_fits_organization("doctor", "pharmacy")
    assert not role_fits_organization("tfoms_analyst", "mo")
    assert not role_fits_organization("nobody", "mo")


def test_permissions_for_unions_and_ignores_unknown_roles():
    both = permissions_for(["doctor", "mo_economist"])
    assert both == USER_ROLES["doctor"] | USER_ROLES["mo_economist"]
    assert permissions_for(["unknown"]) == frozenset()


def test_a_patient_has_only_self_service_reads():
    assert all(p.endswith(":read") for p in permissions_for(["patient"]))
    assert not any(p.startswith("gateway.") for p in permissions_for(["patient"]))


def test_the_health_authority_keeps_the_mo_register_and_economists_their_own_mo():
    # territories and MO passports are edited by the founder (region-wide) and by an MO's
    # economist for their MO (the registry scopes that); analysts only read them
    assert "registry.mo_passport:write" in USER_ROLES["health_authority"]
    assert "registry.mo_passport:write" in USER_ROLES["mo_economist"]
    assert "registry.mo_passport:write" not in USER_ROLES["tfoms_analyst"]
