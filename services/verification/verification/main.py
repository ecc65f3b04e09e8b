"""The verification service: verification of the register of non-working insured persons
(record linkage, sources, savings)."""

import httpx
from fastapi import FastAPI

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from oms_kit.tenancy import organization_router
from verification.actual_register.endpoints import router as exports_router
from verification.actual_register.jobs import EXPORT_JOBS
from verification.config import Settings
from verification.events.handlers import handlers
from verification.models import Organization
from verification.register.from_registry import HttpRegistryRegister
from verification.reports.endpoints import router as reports_router
from verification.reports.endpoints import trends_router
from verification.review.endpoints import router as review_router
from verification.runs.endpoints import router as runs_router
from verification.runs.pipeline import RunPipeline, run_kind
from verification.savings.endpoints import router as tariffs_router
from verification.sources.endpoints import router as sources_router
from verification.sources.jobs import SOURCE_ANSWERS

IN_PROCESS_GATEWAY = "http://gateway"
DESCRIPTION = (
    "Верификация регистра неработающего населения: сопоставление записей, "
    "запросы к источникам сведений, расчёт экономии"
)


def create_app(
    settings: Settings | None = None,
    *,
    bus: EventBus | None = None,
    jwks: JwksSource | None = None,
    run_pipeline: RunPipeline | None = None,
    registry_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    """The app; ``run_pipeline``: the handler of the run job (tests inject a trained model);
    ``registry_transport``: how the registry's extract is reached instead of the network (the
    embedded mode's in-process gateway). The registry client is ``app.state.registry_register``
    (the embedded mode hands it its API key once issued)."""
    settings = settings or Settings()
    pipeline = run_pipeline or RunPipeline()
    if pipeline.registry is None:
        pipeline.registry = registry_register(settings, registry_transport)
    app = create_service_app(
        settings,
        title="OMS Region · Verification",
        description=DESCRIPTION,
        routers=[
            organization_router(Organization, "verification.organization:read"),
            tariffs_router,
            runs_router,
            review_router,
            exports_router,
            reports_router,
            trends_router,
            sources_router,
        ],
        handlers=handlers,
        jobs=[run_kind(pipeline), SOURCE_ANSWERS, *EXPORT_JOBS],
        bus=bus,
        jwks=jwks,
    )
    # The review queue decides outcomes again with the thresholds the run job uses.
    app.state.verification_thresholds = pipeline.thresholds
    app.state.registry_register = pipeline.registry
    return app


def registry_register(settings: Settings, transport: httpx.AsyncBaseTransport | None) -> HttpRegistryRegister:
    """The registry's extract as configured; through ``transport`` the gateway's address may be
    left unset (it is then any host name: the transport decides where requests go)."""
    key = settings.registry_api_key
    return HttpRegistryRegister(
        base_url=settings.registry_url or (IN_PROCESS_GATEWAY if transport is not None else None),
        api_key=key.get_secret_value() if key is not None else None,
        transport=transport,
        timeout_seconds=settings.registry_timeout_seconds,
    )
