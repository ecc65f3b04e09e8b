"""The finance service: income and expenses of medical organizations, payment orders,
report forms, bill registries and their control."""

from fastapi import FastAPI

from finance.analytics.endpoints import router as analytics_router
from finance.budget import endpoints as budget
from finance.classification.endpoints import router as classification_router
from finance.classification.service import TRAINING as CLASSIFIER_TRAINING
from finance.config import Settings
from finance.deviations.endpoints import router as deviations_router
from finance.deviations.jobs import DEVIATION_SEARCH
from finance.deviations.nightly import nightly_deviation_search
from finance.events.handlers import handlers
from finance.exchange.endpoints import router as payment_orders_router
from finance.exchange.jobs import PAYMENT_IMPORT
from finance.forms.endpoints import forms_router, on_control_ratios, reports_router
from finance.forms.service import ControlRatiosFailed
from finance.models import Organization
from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from oms_kit.tenancy import organization_router

DESCRIPTION = (
    "Финансовый мониторинг МО: доходы и расходы, платёжные поручения, "
    "регламентированные отчётные формы, реестры счетов и их контроль"
)


def create_app(
    settings: Settings | None = None, *, bus: EventBus | None = None, jwks: JwksSource | None = None
) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        settings,
        title="OMS Region · Finance",
        description=DESCRIPTION,
        routers=[
            organization_router(Organization, "finance.organization:read"),
            budget.router,
            payment_orders_router,
            forms_router,
            reports_router,
            analytics_router,
            deviations_router,
            classification_router,
        ],
        jobs=[DEVIATION_SEARCH, PAYMENT_IMPORT, CLASSIFIER_TRAINING],
        handlers=handlers,
        resources=[nightly_deviation_search(settings.deviation_search_hour)],
        bus=bus,
        jwks=jwks,
    )
    # A submit refused by the control ratios lists the violations.
    app.add_exception_handler(ControlRatiosFailed, on_control_ratios)
    return budget.install(app)
