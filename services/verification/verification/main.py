"""The verification service: verification of the register of non-working insured persons
(record linkage, sources, savings)."""

from fastapi import FastAPI

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from oms_kit.tenancy import organization_router
from verification.config import Settings
from verification.events.handlers import handlers
from verification.models import Organization
from verification.savings.endpoints import router as tariffs_router

DESCRIPTION = (
    "Верификация регистра неработающего населения: сопоставление записей, "
    "запросы к источникам сведений, расчёт экономии"
)


def create_app(
    settings: Settings | None = None, *, bus: EventBus | None = None, jwks: JwksSource | None = None
) -> FastAPI:
    return create_service_app(
        settings or Settings(),
        title="OMS Region · Verification",
        description=DESCRIPTION,
        routers=[organization_router(Organization, "verification.organization:read"), tariffs_router],
        handlers=handlers,
        bus=bus,
        jwks=jwks,
    )
