from gateway.access.roles import permissions_for


async def test_catalogue_lists_every_role_with_where_it_may_be_held(client, region, auth_as):
    r = await client.get("/api/admin/roles", headers=await auth_as("admin"))
    assert r.status_code == 200, r.text
    roles = {entry["role"]: entry for entry in r.json()}
    assert roles["patient"] == {
        "role": "patient",
        "kind": "user",
        "organization_kinds": ["mo"],
        "permissions": sorted(permissions_for(["patient"])),
    }
    assert roles["mis"]["kind"] == "client"
    assert roles["tfoms_analyst"]["organization_kinds"] == ["tfoms"]
    assert {"admin", "pharmacist", "verification_operator", "accounting", "foms_exchange"} <= set(roles)


async def test_catalogue_needs_a_token(client):
    r = await client.get("/api/admin/roles")
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
