"""The drug catalogue through the API: create, read, update, GTIN check digit, lookup by GTIN,
filters and sorting, list membership, and who may read and write."""

from __future__ import annotations

from typing import Any

import httpx

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import complete_gtin

WRITE = ["pharmacy.catalogue:write", "pharmacy.stock:read"]


def keeper(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["warehouse_operator"], perms=WRITE, subject="keeper")


def doctor(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["doctor"], perms=["pharmacy.prescription:read"], subject="doctor")


def drug(body: str, **extra: Any) -> dict[str, Any]:
    return {
        "inn": "Метформин",
        "trade_name": "Глюкофаж",
        "dosage_form": "таблетки, покрытые пленочной оболочкой",
        "dosage": "500 мг",
        "package_quantity": 60,
        "gtins": [complete_gtin(body)],
        "atc_code": "A10BA02",
        "vital": True,
        "drug_lists": ["onls", "regional"],
        "valid_from": "2026-01-01",
        **extra,
    }


async def _create(client: httpx.AsyncClient, tokens: TokenFactory, body: dict[str, Any]) -> dict[str, Any]:
    answer = await client.post("/drugs", json=body, headers=keeper(tokens))
    assert answer.status_code == 201, answer.text
    created: dict[str, Any] = answer.json()
    return created


async def test_create_read_update_and_lookup_by_gtin(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    gtin = complete_gtin("4607000000011")
    created = await _create(client, tokens, drug("4607000000011"))
    assert created["gtins"] == [gtin]
    assert created["drug_lists"] == ["onls", "regional"]
    assert created["marked"] is True

    one = await client.get(f"/drugs/{created['id']}", headers=doctor(tokens))
    assert one.status_code == 200, one.text
    assert one.json() == created

    found = await client.get(f"/drugs/by-gtin/{gtin}", headers=doctor(tokens))
    assert found.status_code == 200, found.text
    assert found.json()["id"] == created["id"]

    second = complete_gtin("4607000000012")
    changed = drug("4607000000012", dosage="850 мг", drug_lists=["vzn"], valid_to="2026-12-31")
    changed["gtins"].append(gtin)
    updated = await client.put(f"/drugs/{created['id']}", json=changed, headers=keeper(tokens))
    assert updated.status_code == 200, updated.text
    assert updated.json()["dosage"] == "850 мг"
    assert sorted(updated.json()["gtins"]) == sorted([gtin, second])
    assert updated.json()["drug_lists"] == ["vzn"]
    assert updated.json()["valid_to"] == "2026-12-31"

    missing = await client.get(f"/drugs/by-gtin/{complete_gtin('4607000000099')}", headers=doctor(tokens))
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    unknown = await client.put(
        "/drugs/00000000-0000-0000-0000-000000000000", json=changed, headers=keeper(tokens)
    )
    assert unknown.status_code == 404


async def test_a_wrong_check_digit_is_refused_naming_it(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    good = complete_gtin("4607000000028")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    answer = await client.post("/drugs", json=drug("4607000000028", gtins=[bad]), headers=keeper(tokens))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "контрольная цифра" in answer.json()["detail"]
    assert f"ожидалась {good[-1]}" in answer.json()["detail"]

    short = await client.post("/drugs", json=drug("4607000000028", gtins=["46070"]), headers=keeper(tokens))
    assert short.status_code == 422
    assert "14 цифр" in short.json()["detail"]

    lookup = await client.get(f"/drugs/by-gtin/{bad}", headers=doctor(tokens))
    assert lookup.status_code == 422
    assert "контрольная цифра" in lookup.json()["detail"]

    listed = await client.get("/drugs", params={"gtin": bad}, headers=doctor(tokens))
    assert listed.status_code == 422
    # nothing was written
    none = await client.get("/drugs", params={"gtin": good}, headers=doctor(tokens))
    assert none.json()["total"] == 0


async def test_a_gtin_names_one_drug_and_lists_must_exist(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    await _create(client, tokens, drug("4607000000035"))
    again = await client.post(
        "/drugs", json=drug("4607000000035", trade_name="Другой"), headers=keeper(tokens)
    )
    assert again.status_code == 409
    assert complete_gtin("4607000000035") in again.json()["detail"]

    no_list = await client.post(
        "/drugs", json=drug("4607000000036", drug_lists=["nosuch"]), headers=keeper(tokens)
    )
    assert no_list.status_code == 422
    assert "nosuch" in no_list.json()["detail"]

    backwards = await client.post(
        "/drugs",
        json=drug("4607000000037", valid_from="2026-05-01", valid_to="2026-04-01"),
        headers=keeper(tokens),
    )
    assert backwards.status_code == 422


async def test_filters_sorting_and_list_membership(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    await _create(
        client,
        tokens,
        drug(
            "4607000000042",
            inn="Октоког альфа",
            trade_name="Октофактор",
            dosage_form="лиофилизат для приготовления раствора для внутривенного введения",
            dosage="1000 МЕ",
            package_quantity=1,
            drug_lists=["vzn"],
            atc_code="B02BD02",
        ),
    )
    await _create(
        client,
        tokens,
        drug("4607000000043", inn="Эналаприл", trade_name="Энап", dosage_form="таблетки", dosage="10 мг"),
    )
    await _create(
        client,
        tokens,
        drug("4607000000044", inn="Эналаприл", trade_name="Берлиприл", dosage_form="таблетки", dosage="5 мг"),
    )
    auth = doctor(tokens)

    vzn = (await client.get("/drugs", params={"drug_list": "vzn"}, headers=auth)).json()
    assert [d["trade_name"] for d in vzn["items"]] == ["Октофактор"]

    enalapril = await client.get("/drugs", params={"inn": "эналап", "sort": "-trade_name"}, headers=auth)
    assert enalapril.status_code == 200, enalapril.text
    assert [d["trade_name"] for d in enalapril.json()["items"]] == ["Энап", "Берлиприл"]

    by_trade = (await client.get("/drugs", params={"trade_name": "Бер"}, headers=auth)).json()
    assert [d["dosage"] for d in by_trade["items"]] == ["5 мг"]

    lyo = (await client.get("/drugs", params={"dosage_form": "лиофилизат"}, headers=auth)).json()
    assert lyo["total"] == 1

    by_gtin = (
        await client.get("/drugs", params={"gtin": complete_gtin("4607000000043")}, headers=auth)
    ).json()
    assert [d["trade_name"] for d in by_gtin["items"]] == ["Энап"]

    paged = (
        await client.get("/drugs", params={"inn": "Эналаприл", "limit": 1, "offset": 1}, headers=auth)
    ).json()
    assert paged["total"] == 2
    assert len(paged["items"]) == 1

    await _create(
        client, tokens, drug("4607000000045", inn="Эналаприл", trade_name="Ренитек", valid_to="2026-03-31")
    )
    current = await client.get("/drugs", params={"inn": "Эналаприл", "valid_on": "2026-06-01"}, headers=auth)
    assert sorted(d["trade_name"] for d in current.json()["items"]) == ["Берлиприл", "Энап"]
    march = await client.get("/drugs", params={"inn": "Эналаприл", "valid_on": "2026-03-31"}, headers=auth)
    assert march.json()["total"] == 3
    before = await client.get("/drugs", params={"valid_on": "2025-12-31"}, headers=auth)
    assert before.json()["total"] == 0

    unknown_list = await client.get("/drugs", params={"drug_list": "nosuch"}, headers=auth)
    assert unknown_list.status_code == 422
    bad_sort = await client.get("/drugs", params={"sort": "nosuch"}, headers=auth)
    assert bad_sort.status_code == 422


async def test_permissions(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    created = await _create(client, tokens, drug("4607000000059"))
    nobody = tokens.auth(roles=["tfoms_analyst"], perms=["pharmacy.requisition:read"], subject="nobody")
    assert (await client.get("/drugs", headers=nobody)).status_code == 403
    assert (await client.get(f"/drugs/{created['id']}", headers=nobody)).status_code == 403
    reader_write = await client.post("/drugs", json=drug("4607000000060"), headers=doctor(tokens))
    assert reader_write.status_code == 403
    assert "pharmacy.catalogue:write" in reader_write.json()["detail"]
    put = await client.put(f"/drugs/{created['id']}", json=drug("4607000000059"), headers=doctor(tokens))
    assert put.status_code == 403
    assert (await client.get("/drugs")).status_code == 401
    for perm in ("pharmacy.stock:read", "pharmacy.beneficiary:read"):
        auth = tokens.auth(roles=["pharmacist"], perms=[perm], subject="reader")
        assert (await client.get("/drugs", headers=auth)).status_code == 200
