"""The MO register's routers, in the order their paths must be matched."""

from registry.mo_register.areas.endpoints import router as areas_router
from registry.mo_register.equipment.endpoints import router as equipment_router
from registry.mo_register.licenses.endpoints import router as licenses_router
from registry.mo_register.standards.endpoints import router as standards_router
from registry.mo_register.structure.endpoints import router as structure_router
from registry.mo_register.territory.endpoints import router as territory_router

# /mo-register/territories and /mo-register/equipment-need are literal prefixes that no
# parameterised path of the others shadows; the order only keeps the OpenAPI grouped.
MO_REGISTER_ROUTERS = [
    structure_router,
    licenses_router,
    areas_router,
    equipment_router,
    standards_router,
    territory_router,
]
