"""``oms_kit.tenancy`` in a sample service built the way the domain services are (its own base,
its own migrations in ``sample_service/``), run through the suites they run, plus what only
the kit can check: the migration matches the mapped mixin, every service keeps its own
table, and the router's contract is stable."""

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import DeclarativeBase

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.db import new_metadata
from oms_kit.events import EventBus, EventHandlers
from oms_kit.settings import ServiceSettings
from oms_kit.tenancy import OrganizationCopyMixin, organization_router, register_organization_copy
from oms_kit.testing.service import service_fixtures
from oms_kit.testing.tenancy import OrganizationCopySuite, OrganizationDirectorySuite

PERMISSION = "sample.organization:read"


class Base(DeclarativeBase):
    metadata = new_metadata()


class Organization(OrganizationCopyMixin, Base):
    pass


sample_handlers = EventHandlers(queue="sample")
register_organization_copy(sample_handlers, Organization)


class Settings(ServiceSettings):
    service_name = "sample"


def create_app(settings: Settings, *, bus: EventBus | None = None, jwks: JwksSource | None = None) -> FastAPI:
    routers = [organization_router(Organization, PERMISSION)]
    return create_service_app(
        settings, title="sample", routers=routers, handlers=sample_handlers, bus=bus, jwks=jwks
    )


service_dir, database_url, session, app, client = service_fixtures(
    Path(__file__).resolve().parent / "sample_service", create_app, Settings
)


class TestOrganizationDirectory(OrganizationDirectorySuite):
    model = Organization
    permission = PERMISSION


class TestOrganizationCopy(OrganizationCopySuite):
    model = Organization
    handlers = sample_handlers
    queue = "sample"


async def test_the_migration_creates_the_table_the_mixin_maps(database_url: str) -> None:
    def differences(connection):
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _: kind != "table" or name == "organization",
            },
        )
        return compare_metadata(context, Base.metadata)

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()


def test_each_service_maps_the_copy_in_its_own_metadata() -> None:
    class OtherBase(DeclarativeBase):
        metadata = new_metadata()

    class OtherOrganization(OrganizationCopyMixin, OtherBase):
        pass

    assert OtherOrganization.__table__ is not Organization.__table__
    assert list(OtherBase.metadata.tables) == list(Base.metadata.tables) == ["organization"]
    assert OtherOrganization.__table__.primary_key.name == "pk_organization"


SUMMARY_LIST = "Организации, видимые пользователю"


def test_the_router_serves_the_directory_contract() -> None:
    document = create_app(Settings()).openapi()
    operations = {
        (path, method): (op["operationId"], op["summary"], op["tags"])
        for path, item in document["paths"].items()
        for method, op in item.items()
    }
    assert operations == {
        ("/organizations", "get"): (
            "organization-list",
            "Организации, видимые пользователю",
            ["organization"],
        ),
        ("/organizations/{org_id}", "get"): ("organization-get", "Организация", ["organization"]),
    }
    listed = document["paths"]["/organizations"]["get"]["responses"]
    got = document["paths"]["/organizations/{org_id}"]["get"]["responses"]
    assert listed["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Page_OrganizationRead_")
    assert got["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/OrganizationRead")
    assert {"401", "403"} <= set(listed) and {"401", "403", "404"} <= set(got)


def test_the_tag_names_the_operations() -> None:
    router = organization_router(Organization, PERMISSION, tag="mo", prefix="/mos")
    assert sorted((r.path, r.operation_id, tuple(r.tags)) for r in router.routes) == [
        ("/mos", "mo-list", ("mo",)),
        ("/mos/{org_id}", "mo-get", ("mo",)),
    ]
