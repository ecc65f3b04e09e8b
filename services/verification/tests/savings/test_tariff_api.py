"""GET/PUT /tariffs: per-capita and monthly amounts computed from the inputs, validation as
problem+json naming the field, permissions and the payer/TFOMS scope."""

import uuid

import httpx
import pytest

from oms_kit.testing.tokens import TokenFactory

OPERATOR = {
    "roles": ["verification_operator"],
    "perms": ["verification.run:write", "verification.savings:read"],
}
BODY = {"appreciation_coefficient": "1.5", "differentiation_coefficient": "0.5"}


def operator(tokens: TokenFactory, org_type: str = "payer") -> dict[str, str]:
    return tokens.auth(org_id=uuid.uuid4(), org_type=org_type, **OPERATOR)


async def test_put_computes_per_capita_and_monthly(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    r = await client.put("/tariffs/2026", json=BODY, headers=operator(tokens))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["year"] == 2026
    assert float(body["base_tariff"]) == 18864.6
    assert body["per_capita"] == "14148.45" and body["monthly"] == "1179.04"
    assert "354-ФЗ" in body["legal_basis"]
    assert body["updated_by"] == "tester"

    # a change recomputes: 18 864,6 × 1,2 × 0,3333 = 7 545,09; / 12 = 628,76
    changed = {
        "appreciation_coefficient": "1.2",
        "differentiation_coefficient": "0.3333",
        "legal_basis": "ст. 1",
    }
    r = await client.put("/tariffs/2026", json=changed, headers=operator(tokens, "tfoms"))
    assert (r.json()["per_capita"], r.json()["monthly"], r.json()["legal_basis"]) == (
        "7545.09",
        "628.76",
        "ст. 1",
    )

    reader = tokens.auth(roles=["foms_viewer"], perms=["verification.savings:read"], org_type="foms")
    r = await client.get("/tariffs/2026", headers=reader)
    assert r.status_code == 200 and r.json()["per_capita"] == "7545.09"
    await client.put("/tariffs/2027", json=BODY, headers=operator(tokens))
    listed = (await client.get("/tariffs", headers=reader)).json()
    assert [t["year"] for t in listed] == [2026, 2027]


async def test_unknown_year_is_404(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    r = await client.get("/tariffs/2031", headers=operator(tokens))
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "2031" in r.json()["detail"]


@pytest.mark.parametrize(
    ("year", "body", "field"),
    [
        (2026, {**BODY, "appreciation_coefficient": "0"}, "body.appreciation_coefficient"),
        (2026, {**BODY, "differentiation_coefficient": "-0.5"}, "body.differentiation_coefficient"),
        (2026, {**BODY, "differentiation_coefficient": "0.33333"}, "body.differentiation_coefficient"),
        (2026, {"differentiation_coefficient": "0.5"}, "body.appreciation_coefficient"),
        (2026, {**BODY, "base_tariff": "abc"}, "body.base_tariff"),
        (2026, {**BODY, "legal_basis": ""}, "body.legal_basis"),
        (2026, {**BODY, "per_capita": "1"}, "body.per_capita"),
        (1999, BODY, "path.year"),
    ],
)
async def test_invalid_input_names_the_field(
    client: httpx.AsyncClient, tokens: TokenFactory, year: int, body: dict[str, str], field: str
) -> None:
    r = await client.put(f"/tariffs/{year}", json=body, headers=operator(tokens))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert field in [e["field"] for e in r.json()["errors"]]
    assert (await client.get("/tariffs", headers=operator(tokens))).json() == []  # nothing written


async def test_permissions(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    viewer = tokens.auth(roles=["foms_viewer"], perms=["verification.savings:read"], org_type="foms")
    assert (await client.put("/tariffs/2026", json=BODY, headers=viewer)).status_code == 403
    registry = tokens.auth(roles=["registry_operator"], perms=["registry.person:read"], org_type="tfoms")
    assert (await client.get("/tariffs", headers=registry)).status_code == 403
    assert (await client.get("/tariffs/2026", headers=registry)).status_code == 403
    assert (await client.get("/tariffs")).status_code == 401
    # the permission alone is not enough outside the region's payer and TFOMS
    mo = tokens.auth(roles=["verification_operator"], perms=["verification.run:write"], org_type="mo")
    r = await client.put("/tariffs/2026", json=BODY, headers=mo)
    assert r.status_code == 403 and r.headers["content-type"].startswith("application/problem+json")
