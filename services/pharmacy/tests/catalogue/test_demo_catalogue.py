"""The demo catalogue: about sixty drugs of the three lists, each with a Russian (460) GTIN whose
check digit holds, all marked, found by GTIN through the API."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.catalogue.gtin import gtin_problem
from pharmacy.demo.catalogue import DRUGS, demo_gtin, seed_catalogue
from pharmacy.models import Drug, DrugGtin, DrugListItem

from .test_drugs_api import doctor


async def test_the_demo_catalogue(session: AsyncSession) -> None:
    assert await seed_catalogue(session) == len(DRUGS) >= 60
    gtins = (await session.scalars(select(DrugGtin.gtin))).all()
    assert len(gtins) == len(DRUGS)
    assert all(g.startswith("0460") and gtin_problem(g) is None for g in gtins)
    assert await session.scalar(select(func.count()).select_from(Drug).where(Drug.marked.is_(False))) == 0
    lists = set((await session.scalars(select(DrugListItem.drug_list_code).distinct())).all())
    assert lists == {"onls", "vzn", "regional"}


async def test_a_demo_drug_is_found_by_its_gtin(
    session: AsyncSession, client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    await seed_catalogue(session)
    await session.commit()
    answer = await client.get(f"/drugs/by-gtin/{demo_gtin(1)}", headers=doctor(tokens))
    assert answer.status_code == 200, answer.text
    assert answer.json()["inn"] == DRUGS[0][0]
    vzn = await client.get("/drugs", params={"drug_list": "vzn", "limit": 100}, headers=doctor(tokens))
    assert vzn.json()["total"] == sum(1 for d in DRUGS if "vzn" in d[7])
