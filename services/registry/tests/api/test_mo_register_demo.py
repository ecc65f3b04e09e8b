"""The MO register's demo data: every MO of the directory gets a passport, structure, license,
areas and equipment that satisfy the register's own rules; seeding twice adds nothing and the
same seed gives the same data."""

import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.test_mo_register_support import authority, load_mo_dictionaries
from tests.person_support import add_org

from oms_kit.testing.tokens import TokenFactory
from registry.mo_register.demo import seed_mo_register
from registry.models.mo_register import MoPassport, Territory, TerritoryPopulation
from registry.models.mo_register_equipment import Equipment
from registry.nsi.shipped import SHIPPED, shipped_table

DEMO_MOS = (
    "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
    "ГБУЗ «Приозёрская областная клиническая больница»",
    "ГБУЗ «Заречная центральная районная больница»",
)


async def snapshot(session: AsyncSession) -> list[tuple[str, str, str, int]]:
    rows = await session.execute(
        select(
            Equipment.type_code, Equipment.serial_number, Equipment.state, Equipment.manufactured_year
        ).order_by(Equipment.id)
    )
    return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_demo_seeds_every_mo_deterministically_and_only_once(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await load_mo_dictionaries(session)
    mos = [await add_org(session, "mo", name) for name in DEMO_MOS]
    await add_org(session, "insurer", "СМО")

    async with session.begin_nested() as attempt:
        await seed_mo_register(session)
        first = await snapshot(session)
        await attempt.rollback()
    added = await seed_mo_register(session)
    assert await snapshot(session) == first and first
    assert added["territories"] == 10 and added["mos"] == 3
    assert added["equipment"] == len(first) and added["areas"] > 0
    again = await seed_mo_register(session)
    assert again == {"territories": 0, "mos": 0, "departments": 0, "equipment": 0, "areas": 0}
    assert await session.scalar(select(func.count()).select_from(MoPassport)) == 3

    years = await session.execute(
        select(TerritoryPopulation.year, func.sum(TerritoryPopulation.population)).group_by(
            TerritoryPopulation.year
        )
    )
    totals = {year: total for year, total in years.all()}
    assert set(totals) == {2024, 2025} and 500_000 < totals[2025] < 600_000
    assert await session.scalar(select(func.bool_and(Territory.synthetic))) is True

    kinds = {
        row.values["CODE"]
        for shipped in SHIPPED
        if shipped.dictionary == "equipment_type"
        for row in shipped_table(shipped).rows
        if row.values.get("PARENT")
    }
    assert {code for code, *_ in first} <= kinds
    region = authority(tokens)
    city = (await client.get(f"/mo-register/mos/{mos[0]}", headers=region)).json()
    assert (
        city["territory"]["name"] == "городской округ Приозёрск" and city["counts"]["licenses_in_force"] == 1
    )
    district = (await client.get(f"/mo-register/mos/{mos[2]}/tree", headers=region)).json()
    assert district["mo"]["territory"]["oktmo"] == "99610000" and len(district["branches"]) == 2
    need = (await client.get("/mo-register/equipment-need", headers=region)).json()
    assert {uuid.UUID(m["mo_id"]) for m in need["mos"]} == set(mos)
    assert need["need"] == sum(line["need"] for line in need["lines"]) > 0
