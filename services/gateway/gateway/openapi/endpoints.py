"""``/api/openapi.json``: the whole API in one document (public, like any API description)."""

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse

from gateway.runtime import GatewayState
from oms_kit.auth import public

router = APIRouter(prefix="/api", tags=["openapi"])


@router.get("/openapi.json", operation_id="openapi-aggregated", include_in_schema=False)
@public
async def aggregated_openapi(gateway: GatewayState) -> JSONResponse:
    return JSONResponse(await gateway.openapi.document())


@router.get("/docs", operation_id="openapi-docs", include_in_schema=False)
@public
async def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/api/openapi.json", title="OMS Region · API")
