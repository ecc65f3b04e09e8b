"""The doctor's drug choice: the drugs of the person's categories' lists valid in the NSI on the
date, with the free stock (held − reserved) in the pharmacies attached to the doctor's MO only;
a person without entitlement gets the reasons; the forms and terms offered."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory

from . import support


async def test_drugs_of_the_categories_with_the_attached_stock(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    near = await support.organization(session, "pharmacy", name="Аптека рядом")
    far = await support.organization(session, "pharmacy", name="Аптека не наша")
    await support.attach(session, mo, near)
    listed = await support.drug(session, "Бисопролол", dosage="5 мг")
    by_inn = await support.drug(session, "Аторвастатин", lists=(), dosage="20 мг")  # on the onls list by МНН
    off_list = await support.drug(session, "Тестостатин", lists=())
    ended = await support.drug(session, "Эналаприл", valid_to=date.today() - timedelta(days=1))
    await support.batch(session, near, listed, 7, reserved=2)
    await support.batch(session, far, listed, 50)
    await support.batch(session, near, off_list, 9)
    person = await support.beneficiary(session, "082")
    assert person.person_id is not None

    answer = await client.get(
        "/prescriptions/drug-options",
        params={"person_id": str(person.person_id)},
        headers=support.doctor(tokens, mo),
    )
    assert answer.status_code == 200, answer.text
    options = answer.json()
    assert options["entitled"] is True
    assert [c["code"] for c in options["categories"]] == ["082"]
    assert [p["pharmacy_name"] for p in options["pharmacies"]] == ["Аптека рядом"]
    drugs: dict[str, Any] = {d["drug_id"]: d for d in options["drugs"]}
    assert str(listed.id) in drugs and str(by_inn.id) in drugs
    assert str(off_list.id) not in drugs and str(ended.id) not in drugs
    bisoprolol = drugs[str(listed.id)]
    assert bisoprolol["free_total"] == 5
    assert [(s["pharmacy_name"], s["free"]) for s in bisoprolol["stock"]] == [("Аптека рядом", 5)]
    assert bisoprolol["categories"] == ["082"]
    assert drugs[str(by_inn.id)]["free_total"] == 0
    assert options["drugs"][0]["drug_id"] == str(listed.id)  # drugs in stock first

    stranger = await client.get(
        "/prescriptions/drug-options",
        params={"person_id": str(person.person_id), "on": "2019-01-01"},
        headers=support.doctor(tokens, mo),
    )
    assert stranger.json()["entitled"] is False
    assert stranger.json()["drugs"] == [] and stranger.json()["reasons"]


async def test_forms_and_terms(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    answer = await client.get("/prescriptions/forms", headers=support.doctor(tokens, mo))
    assert answer.status_code == 200
    forms = {f["form"]: {v["basis"]: v["days"] for v in f["validity"]} for f in answer.json()}
    expected = {"standard": 30, "narcotic_list_ii": 15, "pensioner_disabled_chronic": 90}
    assert forms == {"148-1/у-04(л)": expected, "148-1/у-06(л)": expected}
