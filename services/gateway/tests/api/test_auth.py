from jose import jwt
from sqlalchemy import func, select, update

from gateway.access.roles import permissions_for
from gateway.models import RefreshToken, UserAccount
from oms_kit.auth import JwksSource, TokenVerifier

BAD_CREDENTIALS = "Неверный логин или пароль"


async def test_login_gives_an_access_token_services_accept(client, region):
    r = await client.post("/api/auth/login", json={"login": "economist", "password": "demo"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 600
    assert body["refresh_token"]

    jwks = (await client.get("/api/auth/.well-known/jwks.json")).json()
    verifier = TokenVerifier(JwksSource.static(jwks), issuer="oms-gateway", audience="oms-region")
    principal = await verifier.verify(body["access_token"])
    economist = next(d for d in region if d.login == "economist")
    assert principal.kind == "user"
    assert principal.org_id == economist.org_id
    assert principal.org_type == "mo"
    assert principal.roles == {"mo_economist"}
    assert principal.permissions == permissions_for(["mo_economist"])
    assert principal.has("finance.report:read")

    claims = jwt.get_unverified_claims(body["access_token"])
    expected = {"sub", "org", "org_type", "roles", "perms", "kind", "iss", "aud", "iat", "exp", "jti", "typ"}
    assert set(claims) == expected
    assert claims["typ"] == "access"
    assert claims["exp"] - claims["iat"] == 600
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "RS256"
    assert header["kid"] in {k["kid"] for k in jwks["keys"]}


async def test_patient_token_names_the_person(client, region):
    from gateway.demo import DEMO_PATIENT_PERSON_ID

    r = await client.post("/api/auth/login", json={"login": "patient", "password": "demo"})
    claims = jwt.get_unverified_claims(r.json()["access_token"])
    assert claims["person_id"] == str(DEMO_PATIENT_PERSON_ID)
    assert claims["roles"] == ["patient"]


async def test_wrong_password_and_unknown_login_get_the_same_401(client, region):
    wrong = await client.post("/api/auth/login", json={"login": "economist", "password": "not-demo"})
    unknown = await client.post("/api/auth/login", json={"login": "nobody", "password": "demo"})
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["detail"] == BAD_CREDENTIALS
    assert "access_token" not in wrong.text


async def test_inactive_user_cannot_log_in(client, region, database):
    async with database.sessions() as s, s.begin():
        await s.execute(update(UserAccount).where(UserAccount.login == "doctor").values(active=False))
    r = await client.post("/api/auth/login", json={"login": "doctor", "password": "demo"})
    assert r.status_code == 401
    assert r.json()["detail"] == BAD_CREDENTIALS


async def test_login_attempts_are_rate_limited(make_app, open_client, region):
    async with make_app(login_attempts_per_minute=3) as app, open_client(app) as client:
        for _ in range(3):
            r = await client.post("/api/auth/login", json={"login": "admin", "password": "wrong"})
            assert r.status_code == 401
        r = await client.post("/api/auth/login", json={"login": "admin", "password": "demo"})
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        assert r.headers["content-type"] == "application/problem+json"
        # another login is counted separately
        other = await client.post("/api/auth/login", json={"login": "tfoms", "password": "demo"})
        assert other.status_code == 200


async def test_me_describes_the_user(client, region, auth_as):
    r = await client.get("/api/auth/me", headers=await auth_as("doctor"))
    assert r.status_code == 200, r.text
    me = r.json()
    assert me["login"] == "doctor"
    assert me["roles"] == ["doctor"]
    assert "pharmacy.prescription:write" in me["permissions"]
    assert me["organization"]["kind"] == "mo"
    assert me["organization"]["code"] == "990001"


async def test_me_needs_a_token(client):
    r = await client.get("/api/auth/me")
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"


async def test_refresh_rotates_the_refresh_token(client, region, login_as):
    first = await login_as("tfoms")
    r = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert r.status_code == 200, r.text
    second = r.json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {second['access_token']}"})
    assert me.json()["login"] == "tfoms"
    # and the new one rotates again
    third = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert third.status_code == 200


async def test_reusing_a_refresh_token_revokes_the_whole_family(client, region, login_as, database):
    first = await login_as("tfoms")
    second = (await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})).json()

    reuse = await client.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert reuse.status_code == 401
    assert reuse.headers["content-type"] == "application/problem+json"
    assert "уже использован" in reuse.json()["detail"]

    # The legitimate holder's newer token is dead too: the revocation was committed.
    after = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    async with database.sessions() as s:
        rows = (await s.scalars(select(RefreshToken))).all()
    assert len(rows) == 2
    assert all(t.revoked_at is not None for t in rows)
    assert len({t.family_id for t in rows}) == 1


async def test_reuse_in_one_family_leaves_other_logins_alone(client, region, login_as):
    phone = await login_as("tfoms")
    laptop = await login_as("tfoms")
    await client.post("/api/auth/refresh", json={"refresh_token": phone["refresh_token"]})
    await client.post("/api/auth/refresh", json={"refresh_token": phone["refresh_token"]})  # reuse
    r = await client.post("/api/auth/refresh", json={"refresh_token": laptop["refresh_token"]})
    assert r.status_code == 200


async def test_unknown_and_expired_refresh_tokens_are_401(client, region, login_as, database):
    assert (await client.post("/api/auth/refresh", json={"refresh_token": "nonsense"})).status_code == 401
    tokens = await login_as("tfoms")
    async with database.sessions() as s, s.begin():
        await s.execute(update(RefreshToken).values(expires_at=RefreshToken.created_at))
    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401
    assert "истёк" in r.json()["detail"]


async def test_refresh_of_a_blocked_user_fails(client, region, login_as, database):
    tokens = await login_as("doctor")
    async with database.sessions() as s, s.begin():
        await s.execute(update(UserAccount).where(UserAccount.login == "doctor").values(active=False))
    r = await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert r.status_code == 401


async def test_logout_ends_the_login_session(client, region, login_as):
    tokens = await login_as("foms")
    second = (await client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).json()
    out = await client.post("/api/auth/logout", json={"refresh_token": second["refresh_token"]})
    assert out.status_code == 204
    r = await client.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert r.status_code == 401
    assert "завершён" in r.json()["detail"]
    # unknown tokens: nothing to end, nothing revealed
    assert (await client.post("/api/auth/logout", json={"refresh_token": "x"})).status_code == 204


async def test_login_body_is_validated(client):
    r = await client.post("/api/auth/login", json={"login": "admin"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.password"


async def test_long_expired_refresh_tokens_are_deleted(client, region, login_as, database):
    from datetime import UTC, datetime, timedelta

    from gateway.auth.housekeeping import RefreshTokenHousekeeping

    old = await login_as("tfoms")
    fresh = await login_as("foms")
    async with database.sessions() as s, s.begin():
        token = (await s.scalars(select(RefreshToken).order_by(RefreshToken.created_at))).first()
        token.expires_at = datetime.now(UTC) - timedelta(days=2)
    assert await RefreshTokenHousekeeping().purge(database) == 1
    assert (
        await client.post("/api/auth/refresh", json={"refresh_token": old["refresh_token"]})
    ).status_code == 401
    assert (
        await client.post("/api/auth/refresh", json={"refresh_token": fresh["refresh_token"]})
    ).status_code == 200


async def test_sign_in_records_older_than_400_days_are_deleted(client, region, login_as, database):
    from datetime import UTC, datetime, timedelta

    from gateway.auth.housekeeping import RefreshTokenHousekeeping
    from gateway.models import SignIn

    await login_as("tfoms")
    await login_as("foms")
    async with database.sessions() as s, s.begin():
        first = (await s.scalars(select(SignIn).order_by(SignIn.at.desc()).limit(2))).all()
        first[1].at = datetime.now(UTC) - timedelta(days=401)
        before = await s.scalar(select(func.count()).select_from(SignIn))
    assert await RefreshTokenHousekeeping().purge_sign_ins(database) == 1
    async with database.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(SignIn)) == before - 1
        assert await s.get(SignIn, first[0].id) is not None
