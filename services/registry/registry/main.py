"""The registry service: register of insured persons, MO register, NSI, digital profile."""

from fastapi import FastAPI

from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.events import EventBus
from oms_kit.tenancy import organization_router
from registry.attachment.endpoints import router as attachment_router
from registry.config import Settings
from registry.events.handlers import handlers
from registry.insurance.endpoints import by_enp_router as insurance_by_enp_router
from registry.insurance.endpoints import router as insurance_router
from registry.matching.endpoints import router as matching_router
from registry.matching.registration import ProbableDuplicate, on_probable_duplicate
from registry.matching.scan import DUPLICATE_SCAN
from registry.mo_register.endpoints import MO_REGISTER_ROUTERS
from registry.models import Organization
from registry.nsi.endpoints import router as nsi_router
from registry.nsi.jobs import NSI_IMPORT
from registry.person.endpoints import router as person_router
from registry.person.projection_refresh import nightly_projection_refresh
from registry.person.search_endpoints import router as person_search_router
from registry.person.unidentified.endpoints import router as unidentified_router
from registry.person_import.endpoints import router as person_import_router
from registry.person_import.jobs import PERSON_EXPORT, PERSON_IMPORT

# /persons/$match, /persons/newborns and the search come before /persons/{person_id}.
PERSON_ROUTERS = [
    person_import_router,
    matching_router,
    person_search_router,
    person_router,
    insurance_router,
    insurance_by_enp_router,
    attachment_router,
    unidentified_router,
]


def create_app(
    settings: Settings | None = None, *, bus: EventBus | None = None, jwks: JwksSource | None = None
) -> FastAPI:
    settings = settings or Settings()
    app = create_service_app(
        settings,
        title="OMS Region · Registry",
        description="Регистр застрахованных лиц, реестр МО, НСИ, цифровой профиль пациента",
        routers=[
            organization_router(Organization, "registry.organization:read"),
            nsi_router,
            *PERSON_ROUTERS,
            *MO_REGISTER_ROUTERS,
        ],
        handlers=handlers,
        bus=bus,
        jwks=jwks,
        jobs=[NSI_IMPORT, DUPLICATE_SCAN, PERSON_IMPORT, PERSON_EXPORT],
        resources=[nightly_projection_refresh(settings.projection_refresh_hour)],
    )
    # A refused registration's problem lists the candidate persons.
    app.add_exception_handler(ProbableDuplicate, on_probable_duplicate)
    return app
