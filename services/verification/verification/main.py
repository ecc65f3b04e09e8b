"""The verification service: verification of the register of non-working insured persons
(record linkage, sources, savings)."""

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
from verification.reports.endpoints import router as reports_router
from verification.reports.endpoints import trends_router
from verification.review.endpoints import router as review_router
from verification.runs.endpoints import router as runs_router
from verification.runs.pipeline import RunPipeline, run_kind
from verification.savings.endpoints import router as tariffs_router
from verification.sources.endpoints import router as sources_router
from verification.sources.jobs import SOURCE_ANSWERS

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
) -> FastAPI:
    """The app; ``run_pipeline``: the handler of the run job (tests inject a trained model)."""
    pipeline = run_pipeline or RunPipeline()
    app = create_service_app(
        settings or Settings(),
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
    return app
