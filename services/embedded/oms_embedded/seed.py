"""Demo data for a synthetic region, once per database.

A service offers demo data with a module ``<service>.demo`` holding
``async def seed(session: AsyncSession) -> <JSON-able>``; it adds rows (and outbox events)
in ``session`` and never commits. The composition calls the seeds that exist, the gateway's
first (organizations and users, whose events then reach the other services), each in one
transaction together with a marker row in ``oms_embedded.demo_seed`` of the same database:
a seed runs at most once per database, and a seed that fails leaves nothing behind. A later
issue that adds ``finance.demo`` gets its data seeded on the next start of an existing
``.data/``. The marker lives in a schema of its own, outside what Alembic compares."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic_core import to_jsonable_python
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_embedded.services import ALL_SERVICES, SERVICES
from oms_embedded.settle import Consumer, clocks, settle
from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus

log = logging.getLogger("oms.embedded.seed")

DemoSeed = Callable[[AsyncSession], Awaitable[Any]]

_MARKER_DDL = (
    "CREATE SCHEMA IF NOT EXISTS oms_embedded",
    """CREATE TABLE IF NOT EXISTS oms_embedded.demo_seed (
        service text PRIMARY KEY,
        seeded_at timestamptz NOT NULL DEFAULT now(),
        result jsonb
    )""",
)


@dataclass(frozen=True)
class SeedOutcome:
    service: str
    seeded_now: bool
    result: Any  # what the seed returned, as JSON (the gateway's: the demo logins)


async def seed_once(database: Database, service: str, seed: DemoSeed) -> SeedOutcome:
    async with database.sessions() as session, session.begin():
        # Concurrent starts (`run` and `seed` at once) queue here instead of seeding twice.
        await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('oms_embedded.demo_seed'))"))
        for ddl in _MARKER_DDL:
            await session.execute(text(ddl))
        stored = await session.execute(
            text("SELECT result FROM oms_embedded.demo_seed WHERE service = :service"), {"service": service}
        )
        row = stored.first()
        if row is not None:
            return SeedOutcome(service, False, row.result)
        result = to_jsonable_python(await seed(session))
        await session.execute(
            text(
                "INSERT INTO oms_embedded.demo_seed (service, result) "
                "VALUES (:service, CAST(:result AS jsonb))"
            ),
            {"service": service, "result": json.dumps(result, ensure_ascii=False)},
        )
        log.info("demo data seeded", extra={"service": service})
        return SeedOutcome(service, True, result)


def demo_seeds() -> dict[str, DemoSeed]:
    """``<service>.demo.seed`` of the services that have one, the gateway's first."""
    seeds: dict[str, DemoSeed] = {}
    for name in ALL_SERVICES:
        module = SERVICES[name].optional_module("demo")
        if module is not None:
            seeds[name] = module.seed
    return seeds


async def seed_demo(
    databases: Mapping[str, Database],
    consumers: Sequence[Consumer],
    *,
    bus: InProcessBus,
    within: float,
    seeds: Mapping[str, DemoSeed] | None = None,
) -> dict[str, SeedOutcome]:
    """Run each service's seed once; after each one that ran, wait until its events have
    reached their consumers, so the next seed finds e.g. the organizations in place."""
    outcomes: dict[str, SeedOutcome] = {}
    for name, seed in (demo_seeds() if seeds is None else seeds).items():
        since = await clocks(databases)
        outcome = await seed_once(databases[name], name, seed)
        outcomes[name] = outcome
        if outcome.seeded_now:
            await settle(databases, consumers, since, bus=bus, within=within)
    return outcomes


async def issue_registry_key(database: Database) -> str | None:
    """At every start (not once per database, unlike the seeds): a fresh API key of role
    ``tfoms_exchange`` from the gateway's demo (``gateway.demo.issue_exchange_key``, the keys
    it issued before revoked) in the gateway's ``database``, for the registry clients of
    verification and pharmacy. It lives only in memory; None when the gateway's demo offers none."""
    module = SERVICES["gateway"].optional_module("demo")
    issue = getattr(module, "issue_exchange_key", None)
    if issue is None:
        return None
    async with database.sessions() as session, session.begin():
        key: str = await issue(session)
    log.info("the registry exchange key issued")
    return key
