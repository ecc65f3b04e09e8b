import pytest
from sqlalchemy import func, select

from gateway.models import Organization
from gateway.organization.identifiers import complete_inn, complete_ogrn
from oms_kit.events.tables import OutboxEvent

NEW_MO = {
    "name": "ГБУЗ «Детская городская поликлиника № 5»",
    "kind": "mo",
    "code": "990077",
    "inn": complete_inn("990177777"),
    "ogrn": complete_ogrn("102990177777"),
}


async def _counts(database) -> tuple[int, int]:
    async with database.sessions() as s:
        orgs = await s.scalar(select(func.count()).select_from(Organization))
        events = await s.scalar(select(func.count()).select_from(OutboxEvent))
    return int(orgs or 0), int(events or 0)


async def test_registering_writes_the_organization_and_exactly_one_event(client, region, auth_as, database):
    admin = await auth_as("admin")
    before_orgs, before_events = await _counts(database)

    r = await client.post("/api/admin/organizations", json=NEW_MO, headers=admin)
    assert r.status_code == 201, r.text
    created = r.json()
    assert created["kind"] == "mo" and created["code"] == "990077" and created["inn"] == NEW_MO["inn"]

    assert await _counts(database) == (before_orgs + 1, before_events + 1)
    async with database.sessions() as s:
        (event,) = (
            await s.scalars(
                select(OutboxEvent).where(OutboxEvent.envelope["subject"].astext == created["id"])
            )
        ).all()
    assert event.type == "gateway.organization.registered"
    assert event.envelope["source"] == "gateway"
    assert event.envelope["data"] == {
        "id": created["id"],
        "name": NEW_MO["name"],
        "kind": "mo",
        "code": "990077",
    }
    assert event.envelope["request_id"] == r.headers["x-request-id"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**NEW_MO, "kind": "hospital"}, "body.kind"),
        ({**NEW_MO, "name": 42}, "body.name"),
        ({**NEW_MO, "inn": "1234567890"}, "body.inn"),  # wrong check digit
        ({**NEW_MO, "ogrn": "123"}, "body.ogrn"),
        ({**NEW_MO, "owner": "someone"}, "body.owner"),  # unknown field
        ({k: v for k, v in NEW_MO.items() if k != "name"}, "body.name"),
    ],
)
async def test_invalid_input_is_422_naming_the_field_and_writes_nothing(
    client, region, auth_as, database, body, field
):
    admin = await auth_as("admin")
    before = await _counts(database)
    r = await client.post("/api/admin/organizations", json=body, headers=admin)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert field in [e["field"] for e in problem["errors"]]
    assert field in problem["detail"]
    assert await _counts(database) == before


async def test_malformed_json_is_422_and_writes_nothing(client, region, auth_as, database):
    admin = await auth_as("admin")
    before = await _counts(database)
    r = await client.post(
        "/api/admin/organizations",
        content='{"name": "ГБУЗ", "kind": '.encode(),
        headers={**admin, "Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["errors"][0]["type"] == "json_invalid"
    assert await _counts(database) == before


async def test_duplicate_register_code_is_a_conflict(client, region, auth_as, database):
    admin = await auth_as("admin")
    assert (await client.post("/api/admin/organizations", json=NEW_MO, headers=admin)).status_code == 201
    before = await _counts(database)
    again = await client.post("/api/admin/organizations", json={**NEW_MO, "name": "Другая"}, headers=admin)
    assert again.status_code == 409
    assert await _counts(database) == before


async def test_an_mo_user_sees_only_its_own_organization(client, region, auth_as):
    economist = next(d for d in region if d.login == "economist")
    doctor2 = next(d for d in region if d.login == "doctor2")
    headers = await auth_as("economist")
    listed = await client.get("/api/admin/organizations", headers=headers)
    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()["items"]] == [str(economist.org_id)]
    other = await client.get(f"/api/admin/organizations/{doctor2.org_id}", headers=headers)
    assert other.status_code == 404
    own = await client.get(f"/api/admin/organizations/{economist.org_id}", headers=headers)
    assert own.status_code == 200


async def test_region_wide_users_see_every_organization(client, region, auth_as):
    r = await client.get(
        "/api/admin/organizations?kind=mo&sort=code&limit=100", headers=await auth_as("tfoms")
    )
    assert [o["code"] for o in r.json()["items"]] == [f"99{n:04d}" for n in range(1, 51)]
    assert r.json()["total"] == 50


async def test_only_region_level_writers_register(client, region, auth_as, database):
    before = await _counts(database)
    r = await client.post("/api/admin/organizations", json=NEW_MO, headers=await auth_as("economist"))
    assert r.status_code == 403
    assert await _counts(database) == before
