import uuid

from sqlalchemy import select

from gateway.models import RefreshToken


def _org(region, login: str) -> uuid.UUID:
    return next(d for d in region if d.login == login).org_id


def _new_user(org_id: uuid.UUID, **overrides) -> dict:
    return {
        "login": "Sidorov",
        "password": "correct horse battery",
        "full_name": "Сидоров Пётр Ильич",
        "roles": ["doctor"],
        "org_id": str(org_id),
        **overrides,
    }


async def _user_id(client, admin, login: str) -> str:
    r = await client.get("/api/admin/users?limit=500", headers=admin)
    return next(u["id"] for u in r.json()["items"] if u["login"] == login)


async def test_admin_creates_a_user_who_can_log_in(client, region, auth_as):
    admin = await auth_as("admin")
    r = await client.post("/api/admin/users", json=_new_user(_org(region, "doctor2")), headers=admin)
    assert r.status_code == 201, r.text
    user = r.json()
    assert user["login"] == "sidorov"  # logins are case-insensitive, stored lower-case
    assert "password" not in user and "password_hash" not in user
    login = await client.post(
        "/api/auth/login", json={"login": "SIDOROV", "password": "correct horse battery"}
    )
    assert login.status_code == 200


async def test_an_org_user_reads_only_its_own_organizations_accounts(client, region, auth_as):
    admin = await auth_as("admin")
    own = await _user_id(client, admin, "doctor")  # same MO as the economist
    foreign = await _user_id(client, admin, "doctor2")  # another MO

    economist = await auth_as("economist")
    assert (await client.get(f"/api/admin/users/{own}", headers=economist)).status_code == 200
    r = await client.get(f"/api/admin/users/{foreign}", headers=economist)
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    listed = await client.get("/api/admin/users", headers=economist)
    assert {u["login"] for u in listed.json()["items"]} == {"economist", "doctor", "patient"}
    # filtering by another organization does not widen the scope
    other = await client.get(f"/api/admin/users?org_id={_org(region, 'doctor2')}", headers=economist)
    assert other.json()["items"] == []


async def test_region_wide_admin_reads_every_account(client, region, auth_as):
    r = await client.get("/api/admin/users?limit=100", headers=await auth_as("admin"))
    assert r.json()["total"] == len(region)


async def test_reading_users_needs_the_permission(client, region, auth_as):
    r = await client.get("/api/admin/users", headers=await auth_as("doctor"))
    assert r.status_code == 403
    assert "gateway.user:read" in r.json()["detail"]


async def test_writing_users_needs_the_permission(client, region, auth_as):
    r = await client.post(
        "/api/admin/users", json=_new_user(_org(region, "economist")), headers=await auth_as("economist")
    )
    assert r.status_code == 403


async def test_roles_must_fit_the_organization(client, region, auth_as):
    admin = await auth_as("admin")
    r = await client.post(
        "/api/admin/users", json=_new_user(_org(region, "doctor"), roles=["tfoms_analyst"]), headers=admin
    )
    assert r.status_code == 422
    assert "tfoms_analyst" in r.json()["detail"]
    assert r.json()["errors"] == [
        {"field": "body.roles", "message": r.json()["detail"], "type": "invalid-input"}
    ]  # shown at the role picker, not above the form
    unknown = await client.post(
        "/api/admin/users", json=_new_user(_org(region, "doctor"), roles=["superuser"]), headers=admin
    )
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "body.roles"


async def test_patient_accounts_name_their_person(client, region, auth_as):
    admin = await auth_as("admin")
    mo = _org(region, "doctor")
    r = await client.post("/api/admin/users", json=_new_user(mo, roles=["patient"]), headers=admin)
    assert r.status_code == 422
    assert "person_id" in r.json()["detail"]
    assert [e["field"] for e in r.json()["errors"]] == ["body.person_id"]
    ok = await client.post(
        "/api/admin/users", json=_new_user(mo, roles=["patient"], person_id=str(uuid.uuid4())), headers=admin
    )
    assert ok.status_code == 201


async def test_duplicate_login_is_a_conflict(client, region, auth_as):
    r = await client.post(
        "/api/admin/users",
        json=_new_user(_org(region, "doctor"), login="doctor"),
        headers=await auth_as("admin"),
    )
    assert r.status_code == 409


async def test_create_rejects_unknown_fields_and_short_passwords(client, region, auth_as):
    admin = await auth_as("admin")
    body = _new_user(_org(region, "doctor"), is_superuser=True, password="short")
    r = await client.post("/api/admin/users", json=body, headers=admin)
    assert r.status_code == 422
    assert {e["field"] for e in r.json()["errors"]} == {"body.is_superuser", "body.password"}


async def test_unknown_organization_is_404(client, region, auth_as):
    r = await client.post("/api/admin/users", json=_new_user(uuid.uuid4()), headers=await auth_as("admin"))
    assert r.status_code == 404


async def test_blocking_a_user_ends_their_sessions(client, region, auth_as, login_as, database):
    admin = await auth_as("admin")
    doctor = await login_as("doctor")
    doctor_id = await _user_id(client, admin, "doctor")
    r = await client.patch(f"/api/admin/users/{doctor_id}", json={"active": False}, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["active"] is False
    async with database.sessions() as s:
        tokens = (await s.scalars(select(RefreshToken))).all()
    assert tokens and all(t.revoked_at is not None for t in tokens if str(t.user_id) == doctor_id)
    assert (
        await client.post("/api/auth/refresh", json={"refresh_token": doctor["refresh_token"]})
    ).status_code == 401
    login = await client.post("/api/auth/login", json={"login": "doctor", "password": "demo"})
    assert login.status_code == 401


async def test_changing_roles_changes_the_next_token(client, region, auth_as, login_as):
    admin = await auth_as("admin")
    doctor_id = await _user_id(client, admin, "doctor")
    doctor = await login_as("doctor")
    r = await client.patch(
        f"/api/admin/users/{doctor_id}", json={"roles": ["doctor", "mo_economist"]}, headers=admin
    )
    assert r.status_code == 200
    refreshed = await client.post("/api/auth/refresh", json={"refresh_token": doctor["refresh_token"]})
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    )
    assert me.json()["roles"] == ["doctor", "mo_economist"]
    assert "finance.report:write" in me.json()["permissions"]


async def test_account_access_is_audited(client, region, auth_as, database):
    from oms_kit.audit import AuditRecord

    admin = await auth_as("admin")
    patient_id = await _user_id(client, admin, "patient")  # the list shows the patient account
    await client.get(f"/api/admin/users/{patient_id}", headers=admin)
    created = await client.post("/api/admin/users", json=_new_user(_org(region, "doctor")), headers=admin)
    async with database.sessions() as s:
        rows = (await s.scalars(select(AuditRecord).order_by(AuditRecord.at))).all()
    assert [(r.action, r.resource) for r in rows] == [
        ("list", f"gateway.user:{patient_id}"),
        ("read", f"gateway.user:{patient_id}"),
        ("create", f"gateway.user:{created.json()['id']}"),
    ]
    assert rows[1].person_id is not None and rows[2].person_id is None
    assert all(r.actor_org_id == next(d for d in region if d.login == "admin").org_id for r in rows)
