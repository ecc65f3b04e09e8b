from pydantic_core import to_jsonable_python
from sqlalchemy import func, select

from gateway.access.roles import USER_ROLES, role_fits_organization
from gateway.demo import DEMO_PASSWORD, ORGANIZATIONS, seed
from gateway.models import Organization, UserAccount
from oms_kit.events.tables import OutboxEvent


async def _count(database, model) -> int:
    async with database.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_seed_builds_the_region_once(database):
    async with database.sessions() as s, s.begin():
        logins = await seed(s)
    assert await _count(database, Organization) == len(ORGANIZATIONS) == 86
    assert await _count(database, OutboxEvent) == 86  # one registration event per organization
    assert await _count(database, UserAccount) == len(logins)

    async with database.sessions() as s, s.begin():
        again = await seed(s)
    assert again == logins
    assert await _count(database, Organization) == 86
    assert await _count(database, OutboxEvent) == 86
    assert await _count(database, UserAccount) == len(logins)


async def test_the_region_has_what_the_design_asks_for(database):
    async with database.sessions() as s, s.begin():
        logins = await seed(s)
    async with database.sessions() as s:
        kinds = (await s.scalars(select(Organization.kind))).all()
        users = {u.login: u for u in (await s.scalars(select(UserAccount))).all()}
        orgs = {o.id: o for o in (await s.scalars(select(Organization))).all()}
    # about 50 MOs, as the registry's demo region has (issue 4)
    assert sorted(kinds).count("mo") == 50 and kinds.count("pharmacy") == 30 and kinds.count("warehouse") == 1
    assert {"tfoms", "foms", "health_authority", "payer", "insurer"} <= set(kinds)
    assert {r for u in users.values() for r in u.roles} == set(USER_ROLES)  # one user per role at least
    for user in users.values():
        for role in user.roles:
            assert role_fits_organization(role, orgs[user.org_id].kind), (user.login, role)
    assert users["patient"].person_id is not None
    for expected in ("admin", "tfoms", "economist", "doctor", "pharmacist", "pharmacist2"):
        assert expected in users
    # two pharmacists at two different pharmacies (the pharmacy's scope is tried with both)
    assert orgs[users["pharmacist"].org_id].code == "990101"
    assert orgs[users["pharmacist2"].org_id].code == "990102"
    codes = [o.code for o in orgs.values() if o.kind == "pharmacy"]
    assert sorted(codes) == [f"9901{n:02d}" for n in range(1, 31)]
    assert len({o.inn for o in orgs.values()}) == len({o.ogrn for o in orgs.values()}) == len(orgs)
    # what `make run` prints: a JSON array of objects with the login and the password
    printed = to_jsonable_python(logins)
    assert {"login": "admin", "password": DEMO_PASSWORD}.items() <= printed[0].items()
    assert "admin" in logins.table() and DEMO_PASSWORD in logins.table()


async def test_every_demo_login_works(client, region):
    for entry in region:
        r = await client.post("/api/auth/login", json={"login": entry.login, "password": DEMO_PASSWORD})
        assert r.status_code == 200, entry.login
