"""A finished run to read over HTTP, shared by the tests of the review queue, the exports and
the reports (one per test module: the run job commits, so it has a database of its own).

Built with the run tests' pieces (``tests.runs.run_support``): a synthetic register with
planted truths, the five sources' answers loaded for the payer, the run started over HTTP with
the register file as the body and driven to its end by the app's job runner (the linkage
model injected, trained once per module on another register)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.runs.run_support import RUN_PERMISSIONS, World, make_world, trained_model
from tests.runs.test_run_api import wait_run

from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory
from verification.main import create_app
from verification.register.writer import register_csv
from verification.rules import Threshold, Thresholds
from verification.runs.pipeline import RunPipeline

SIZE = 400
PERMISSIONS = RUN_PERMISSIONS | {"verification.savings:read"}
# Deaths and duplicates below certainty go to review: the queue has pairs of both kinds.
THRESHOLDS = Thresholds(
    by_source={"zags": Threshold(accept=1.0, review=0.5), "register": Threshold(accept=1.0, review=0.5)}
)


@dataclass
class Verified:
    client: httpx.AsyncClient
    url: str
    world: World
    run: dict[str, Any]
    tokens: TokenFactory

    @property
    def run_id(self) -> str:
        return str(self.run["id"])

    def auth(self, perms: frozenset[str] = PERMISSIONS, org_id: uuid.UUID | None = None) -> dict[str, str]:
        return self.tokens.auth(
            roles=["verification_operator"],
            perms=sorted(perms),
            org_id=org_id or self.world.organization_id,
            org_type="payer",
        )


async def sql(verified: Verified, statement: str, **params: Any) -> list[Any]:
    """A statement on the run's database in a transaction of its own; the rows if it has any."""
    engine = create_async_engine(verified.url)
    try:
        async with engine.begin() as conn:
            result = await conn.execute(text(statement), params)
            return list(result.all()) if result.returns_rows else []
    finally:
        await engine.dispose()


async def start_run(verified: Verified, body: bytes, **query: str) -> dict[str, Any]:
    params = "&".join(f"{k}={v}" for k, v in {"as_of": "2025-12-31", **query}.items())
    auth = verified.auth()
    r = await verified.client.post(
        f"/runs?{params}", content=body, headers={**auth, "Content-Type": "text/csv"}
    )
    assert r.status_code == 202, r.text
    run = await wait_run(verified.client, auth, r.json()["id"])
    assert run["status"] == "succeeded", run
    return run


async def put_tariff(
    verified: Verified, year: int, appreciation: str = "1.5", differentiation: str = "0.5"
) -> Decimal:
    """A tariff for ``year`` (monthly 1 179,04 руб. with the defaults, decision 0009's example)."""
    r = await verified.client.put(
        f"/tariffs/{year}",
        json={"appreciation_coefficient": appreciation, "differentiation_coefficient": differentiation},
        headers=verified.auth(),
    )
    assert r.status_code == 200, r.text
    return Decimal(r.json()["monthly"])


@pytest.fixture(scope="module")
async def verified(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[Verified]:
    url = await fresh_database(service_dir)
    world = await make_world(url, SIZE)
    app = create_app(
        world.settings,
        bus=InProcessBus(),
        jwks=tokens.jwks_source(),
        run_pipeline=RunPipeline(thresholds=THRESHOLDS, model=await asyncio.to_thread(trained_model)),
    )
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://verification") as client:
                verified = Verified(client, url, world, {}, tokens)
                verified.run = await start_run(verified, register_csv(world.register.records))
                yield verified
    finally:
        await world.database.dispose()
