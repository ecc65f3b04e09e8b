"""``python -m registry.nsi.load_shipped``, the distributed shape's way to the shipped
dictionaries: two starts racing each other load every dictionary once, a later start loads
nothing, and F008 is then what insurance records are checked against."""

import asyncio
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from oms_kit.errors import InvalidInput
from oms_kit.testing.plugin import rollback_session
from registry.nsi import require_code
from registry.nsi.shipped import SHIPPED
from registry.nsi.shipped_repository import lock_shipped_load


async def run_command(*args: str, env: dict[str, str] | None = None) -> dict:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "registry.nsi.load_shipped",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    loaded: dict = json.loads(out.decode().strip().splitlines()[-1])
    return loaded


async def test_two_racing_starts_load_each_dictionary_once_and_a_later_one_nothing(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    url = await fresh_database(service_dir)
    first, second = await asyncio.gather(
        run_command("--database-url", url), run_command(env={"OMS_REGISTRY_DATABASE_URL": url})
    )
    loaded = first or second
    assert {} in (first, second)  # the other one waited for the lock and found them stored
    assert set(loaded) == {s.dictionary for s in SHIPPED}
    assert loaded["policy_type"] == {"version": "1.0", "records": 5}
    assert await run_command("--database-url", url) == {}

    async with rollback_session(url) as session:
        for code in ("1", "2", "3", "4", "5"):
            await require_code(session, "policy_type", code, on=date.today(), field="body.policy_type")
        electronic = await require_code(session, "policy_type", "4", on=date(2011, 1, 1), field="t")
        assert electronic.name == "Электронный полис ОМС единого образца"
        with pytest.raises(InvalidInput) as refused:
            await require_code(session, "policy_type", "6", on=date.today(), field="body.policy_type")
        assert refused.value.field == "body.policy_type"
        await lock_shipped_load(session)  # the lock statement itself runs


async def test_a_database_without_the_schema_fails_the_command(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    url = await fresh_database(service_dir)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP TABLE nsi_entry CASCADE"))
    await engine.dispose()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "registry.nsi.load_shipped",
        "--database-url",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode != 0 and b"nsi_entry" in err
