import uuid
from pathlib import Path

from sqlalchemy import select

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from verification.events.handlers import handlers
from verification.models import Organization

SERVICE_DIR = Path(__file__).resolve().parents[2]


def _registered(org_id: uuid.UUID, name: str) -> EventEnvelope:
    data = {"id": str(org_id), "name": name, "kind": "mo", "code": "MO-7", "added_later": True}
    return EventEnvelope(type="gateway.organization.registered", source="gateway", data=data)


def test_the_service_owns_one_queue_for_organization_events():
    assert handlers.queue == "verification"
    assert handlers.routing_keys == ["gateway.organization.registered"]


async def test_organization_registered_is_copied_once_and_updated(fresh_database):
    database = Database(await fresh_database(SERVICE_DIR))
    org_id = uuid.uuid4()
    first = _registered(org_id, "ГБУЗ «Городская поликлиника № 7»")
    try:
        assert await handle_delivery(database, handlers, Delivery(first, 1))
        assert not await handle_delivery(database, handlers, Delivery(first, 2))  # redelivery: no effect
        await handle_delivery(database, handlers, Delivery(_registered(org_id, "ГБУЗ «ГП № 7»"), 1))
        async with database.sessions() as session:
            rows = (await session.scalars(select(Organization))).all()
        assert [(o.id, o.name, o.code) for o in rows] == [(org_id, "ГБУЗ «ГП № 7»", "MO-7")]
    finally:
        await database.dispose()
