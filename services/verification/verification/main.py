"""The verification service: verification of the register of non-working insured persons
(record linkage, sources, savings)."""

from fastapi import FastAPI

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from verification.config import Settings
from verification.events.handlers import handlers
from verification.organization.endpoints import router as organization_router

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
        routers=[organization_router],
        handlers=handlers,
        bus=bus,
        jwks=jwks,
    )
