"""The pharmacy service: preferential drug supply (beneficiaries, prescriptions, stock,
warehouse, requisitions, contracts, marking)."""

import httpx
from fastapi import FastAPI

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from oms_kit.tenancy import organization_router
from pharmacy.attachments.endpoints import router as attachments_router
from pharmacy.beneficiaries.endpoints import router as beneficiaries_router
from pharmacy.beneficiaries.jobs import load_kind, match_kind
from pharmacy.beneficiaries.registry_persons import HttpRegistryPersons
from pharmacy.catalogue.endpoints import router as catalogue_router
from pharmacy.config import Settings
from pharmacy.control.endpoints import router as control_router
from pharmacy.control.jobs import CONTROL_RUN
from pharmacy.dispensing import errors as dispensing_errors
from pharmacy.dispensing.endpoints import router as dispensing_router
from pharmacy.events.handlers import handlers
from pharmacy.marking.trace.endpoints import router as trace_router
from pharmacy.marking.trace.sender import trace_sender
from pharmacy.models import Organization
from pharmacy.prescriptions import errors as prescription_errors
from pharmacy.prescriptions.endpoints import router as prescriptions_router
from pharmacy.stock.endpoints import router as stock_router
from pharmacy.stock.sweep import reservation_sweep

IN_PROCESS_GATEWAY = "http://gateway"
DESCRIPTION = (
    "Льготное лекарственное обеспечение: льготники, рецепты, остатки и склад, "
    "заявочные кампании, государственные контракты, маркировка"
)


def create_app(
    settings: Settings | None = None,
    *,
    bus: EventBus | None = None,
    jwks: JwksSource | None = None,
    registry_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; ``registry_transport``: how the registry of insured persons is reached instead
    of the network (the embedded mode's in-process gateway, tests). The registry client is
    ``app.state.registry_persons`` (the embedded mode hands it its API key once issued)."""
    settings = settings or Settings()
    registry = registry_persons(settings, registry_transport)
    app = create_service_app(
        settings,
        title="OMS Region · Pharmacy",
        description=DESCRIPTION,
        routers=[
            organization_router(Organization, "pharmacy.organization:read"),
            beneficiaries_router,
            catalogue_router,
            prescriptions_router,
            dispensing_router,
            attachments_router,
            trace_router,
            control_router,
            stock_router,
        ],
        jobs=[CONTROL_RUN, load_kind(registry), match_kind(registry)],
        resources=[trace_sender(settings), reservation_sweep(settings)],
        handlers=handlers,
        bus=bus,
        jwks=jwks,
    )
    app.state.registry_persons = registry
    return prescription_errors.install(dispensing_errors.install(app))


def registry_persons(settings: Settings, transport: httpx.AsyncBaseTransport | None) -> HttpRegistryPersons:
    """The registry's persons by SNILS as configured; through ``transport`` the gateway's address
    may be left unset (the transport decides where requests go)."""
    key = settings.registry_api_key
    return HttpRegistryPersons(
        base_url=settings.registry_url or (IN_PROCESS_GATEWAY if transport is not None else None),
        api_key=key.get_secret_value() if key is not None else None,
        transport=transport,
        concurrency=settings.registry_concurrency,
        timeout_seconds=settings.registry_timeout_seconds,
    )
