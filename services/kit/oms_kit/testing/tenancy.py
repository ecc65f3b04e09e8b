"""The organization-directory suite (``oms_kit.tenancy``) every service runs against its own
app, so each proves for itself that its copy is scoped, guarded and fed idempotently.

A service subclasses each once, as ``TestOrganizationDirectory`` in
``tests/api/test_organizations.py`` and ``TestOrganizationCopy`` in
``tests/integration/test_organization_events.py``, and fills in the class attributes: its
mapped ``model``, the read ``permission``, and where the defaults do not fit its users, a
``scoped_role``, a ``role_without_permission`` and two ``organizations`` to seed; for the
consumer, its ``handlers`` and the ``queue`` they must be bound to. The fixtures come from
``oms_kit.testing.service``.

The suites' names do not start with ``Test``: pytest collects them only as subclassed."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ClassVar, NamedTuple

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope, EventHandlers
from oms_kit.events.inbox import handle_delivery
from oms_kit.tenancy import OrganizationCopyMixin, OrganizationCopyRepository, OrganizationRegistered
from oms_kit.testing.tokens import TokenFactory


class Seed(NamedTuple):
    name: str
    kind: str
    code: str


class OrganizationDirectorySuite:
    """``/organizations`` of the service under test: scope, 404 for another's id, 403, 401,
    422 naming the field, and the public health and metrics routes. Needs the fixtures
    ``client``, ``session`` (the app's, rolled back) and ``tokens``."""

    model: ClassVar[type[OrganizationCopyMixin]]
    permission: ClassVar[str]
    # A role scoped to its own organization, and one that has not got ``permission``.
    scoped_role: ClassVar[str] = "mo_economist"
    role_without_permission: ClassVar[str] = "doctor"
    organizations: ClassVar[tuple[Seed, Seed]] = (
        Seed("ГБУЗ Больница А", "mo", "A1"),
        Seed("ГБУЗ Больница Б", "mo", "B1"),
    )

    async def _seed(self, session: AsyncSession) -> tuple[uuid.UUID, uuid.UUID]:
        a, b = uuid.uuid4(), uuid.uuid4()
        repo = OrganizationCopyRepository(session, self.model)
        for org_id, seed in zip((a, b), self.organizations, strict=True):
            await repo.upsert(org_id, name=seed.name, kind=seed.kind, code=seed.code)
        await session.flush()
        return a, b

    async def test_a_scoped_user_sees_only_own_organization(
        self, client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
    ) -> None:
        a, b = await self._seed(session)
        headers = tokens.auth(org_id=a, roles=[self.scoped_role], perms=[self.permission])
        r = await client.get("/organizations", headers=headers)
        assert r.status_code == 200, r.text
        assert [o["id"] for o in r.json()["items"]] == [str(a)]

        own = await client.get(f"/organizations/{a}", headers=headers)
        assert own.status_code == 200, own.text
        assert own.json()["name"] == self.organizations[0].name

        other = await client.get(f"/organizations/{b}", headers=headers)
        assert other.status_code == 404
        assert other.headers["content-type"] == "application/problem+json"

    async def test_a_region_wide_role_sees_all(
        self, client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
    ) -> None:
        a, b = await self._seed(session)
        r = await client.get(
            "/organizations", headers=tokens.auth(roles=["tfoms_analyst"], perms=[self.permission])
        )
        ids = {o["id"] for o in r.json()["items"]}
        assert {str(a), str(b)} <= ids

    async def test_missing_permission_is_403(self, client: httpx.AsyncClient, tokens: TokenFactory) -> None:
        r = await client.get(
            "/organizations", headers=tokens.auth(roles=[self.role_without_permission], perms=[])
        )
        assert r.status_code == 403
        assert self.permission in r.json()["detail"]

    async def test_no_token_is_401(self, client: httpx.AsyncClient) -> None:
        r = await client.get("/organizations")
        assert r.status_code == 401
        assert r.json()["status"] == 401

    async def test_bad_paging_is_422_naming_the_field(
        self, client: httpx.AsyncClient, tokens: TokenFactory
    ) -> None:
        r = await client.get(
            "/organizations?limit=0", headers=tokens.auth(roles=["admin"], perms=[self.permission])
        )
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "query.limit"

    async def test_health_and_metrics_are_public(self, client: httpx.AsyncClient) -> None:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        metrics = await client.get("/metrics")
        assert "http_requests_total" in metrics.text


def registered(org_id: uuid.UUID, name: str) -> EventEnvelope:
    """A ``gateway.organization.registered`` with a field this reader does not know yet."""
    data = {"id": str(org_id), "name": name, "kind": "mo", "code": "MO-7", "added_later": True}
    return EventEnvelope(type=OrganizationRegistered.event_type, source="gateway", data=data)


class OrganizationCopySuite:
    """The service's consumer of ``gateway.organization.registered``: on its own queue, the
    copy written once per event (a redelivery changes nothing) and updated by a later one.
    Needs the fixtures ``service_dir`` and ``fresh_database`` (it commits)."""

    model: ClassVar[type[OrganizationCopyMixin]]
    handlers: ClassVar[EventHandlers]
    queue: ClassVar[str]

    def test_the_service_owns_one_queue_for_organization_events(self) -> None:
        assert self.handlers.queue == self.queue
        assert OrganizationRegistered.event_type in self.handlers.routing_keys

    async def test_organization_registered_is_copied_once_and_updated(
        self, service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
    ) -> None:
        database = Database(await fresh_database(service_dir))
        org_id = uuid.uuid4()
        first = registered(org_id, "ГБУЗ «Городская поликлиника № 7»")
        try:
            assert await handle_delivery(database, self.handlers, Delivery(first, 1))
            # redelivery: no effect
            assert not await handle_delivery(database, self.handlers, Delivery(first, 2))
            await handle_delivery(database, self.handlers, Delivery(registered(org_id, "ГБУЗ «ГП № 7»"), 1))
            async with database.sessions() as session:
                rows = (await session.scalars(select(self.model))).all()
            assert [(o.id, o.name, o.code) for o in rows] == [(org_id, "ГБУЗ «ГП № 7»", "MO-7")]
        finally:
            await database.dispose()
