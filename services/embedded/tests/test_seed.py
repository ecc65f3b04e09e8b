import asyncio

import pytest
from sqlalchemy import text

from oms_embedded.seed import seed_demo, seed_once
from oms_kit.events.inprocess import InProcessBus


async def test_a_seed_runs_once_per_database_and_its_result_is_kept(databases):
    database = await databases("registry")
    calls = []

    async def seed(session):
        calls.append(1)
        await session.execute(text("CREATE TABLE demo_probe (n int)"))
        return [{"login": "admin", "password": "демо"}]

    first = await seed_once(database, "registry", seed)
    again = await seed_once(database, "registry", seed)
    assert first.seeded_now and not again.seeded_now
    assert again.result == [{"login": "admin", "password": "демо"}]
    assert calls == [1]


async def test_a_failed_seed_leaves_nothing_and_runs_again(databases):
    database = await databases("finance")

    async def broken(session):
        await session.execute(text("CREATE TABLE demo_probe (n int)"))
        raise RuntimeError("seed failed halfway")

    with pytest.raises(RuntimeError):
        await seed_once(database, "finance", broken)

    async def works(session):
        await session.execute(text("CREATE TABLE demo_probe (n int)"))  # the first try left no table
        return None

    assert (await seed_once(database, "finance", works)).seeded_now


async def test_concurrent_starts_seed_once(databases):
    database = await databases("pharmacy")
    calls = []

    async def slow(session):
        calls.append(1)
        await asyncio.sleep(0.2)

    outcomes = await asyncio.gather(*(seed_once(database, "pharmacy", slow) for _ in range(3)))
    assert calls == [1]
    assert sorted(o.seeded_now for o in outcomes) == [False, False, True]


async def test_services_without_demo_data_are_skipped(databases):
    database = await databases("verification")
    outcomes = await seed_demo({"verification": database}, [], bus=InProcessBus(), within=1, seeds={})
    assert outcomes == {}
