"""The register searched by SNILS (as typed, with separators) as well as by the start of the name."""

from __future__ import annotations

import uuid

import httpx

from oms_kit.testing.tokens import TokenFactory

from .support import beneficiary, operator, pharmacist


async def test_q_of_digits_finds_by_snils_and_letters_by_name(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    first, second = uuid.uuid4(), uuid.uuid4()
    for person, surname, snils in ((first, "Юдина", "11223344596"), (second, "Юрова", "11299344596")):
        body = beneficiary(person, surname=surname, snils=snils)
        assert (await client.post("/beneficiaries", json=body, headers=operator(tokens))).status_code == 201

    async def found(q: str) -> list[str]:
        r = await client.get("/beneficiaries", params={"q": q}, headers=pharmacist(tokens))
        assert r.status_code == 200, r.text
        return [i["person_id"] for i in r.json()["items"]]

    assert await found("112-233") == [str(first)]
    assert await found("112 993 44596") == [str(second)]
    assert sorted(await found("112")) == sorted([str(first), str(second)])
    assert await found("Юр") == [str(second)]
    r = await client.get("/beneficiaries", params={"q": "112-233"}, headers=pharmacist(tokens))
    assert r.json()["items"][0]["snils_masked"] != "11223344596"  # shown masked
