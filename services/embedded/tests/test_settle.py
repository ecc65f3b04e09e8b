import uuid
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import text

from finance.config import Settings as FinanceSettings
from finance.main import create_app as create_finance
from oms_embedded.settle import Consumer, EventsNotSettled, clocks, settle
from oms_kit.events import EventPayload, add_event
from oms_kit.events.inprocess import InProcessBus
from registry.config import Settings as RegistrySettings
from registry.main import create_app as create_registry

CONSUMERS = [
    Consumer("registry", ["gateway.organization.registered"]),
    Consumer("finance", ["gateway.organization.registered"]),
]


class Registered(EventPayload):
    event_type = "gateway.organization.registered"

    id: uuid.UUID
    name: str | None = None
    kind: str = "mo"


@pytest.fixture
async def running(databases, tokens):
    """Finance and registry on one in-process bus, as in the composition."""
    dbs = {"finance": await databases("finance"), "registry": await databases("registry")}
    bus = InProcessBus()
    apps = [
        create_finance(FinanceSettings(database_url=dbs["finance"].url), bus=bus, jwks=tokens.jwks_source()),
        create_registry(
            RegistrySettings(database_url=dbs["registry"].url, consumer_delivery_limit=2),
            bus=bus,
            jwks=tokens.jwks_source(),
        ),
    ]
    async with AsyncExitStack() as stack:
        stack.push_async_callback(bus.close)
        for app in apps:
            app.state.logging_configured = True
            await stack.enter_async_context(app.router.lifespan_context(app))
        yield dbs, bus


async def _publish(database, payload):
    async with database.sessions() as session, session.begin():
        await add_event(session, payload, source="gateway")


async def test_settle_returns_once_every_consumer_has_the_event(running):
    dbs, bus = running
    since = await clocks(dbs)
    org = uuid.uuid4()
    await _publish(dbs["finance"], Registered(id=org, name="ГБУЗ «ЦРБ»"))
    await settle(dbs, CONSUMERS, since, bus=bus, within=10)
    for name in ("finance", "registry"):
        async with dbs[name].engine.connect() as conn:
            found = await conn.execute(text("SELECT name FROM organization WHERE id = :id"), {"id": org})
            assert found.scalar_one() == "ГБУЗ «ЦРБ»"


async def test_a_dead_lettered_event_fails_fast(running):
    dbs, bus = running
    since = await clocks(dbs)
    await _publish(dbs["finance"], Registered(id=uuid.uuid4(), name=None))  # a poison message
    with pytest.raises(EventsNotSettled, match="dead letter"):
        await settle(dbs, CONSUMERS, since, bus=bus, within=20)
