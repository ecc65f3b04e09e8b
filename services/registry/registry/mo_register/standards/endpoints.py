"""Equipping standards and the need for equipment (JSON, CSV, XLSX)."""

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import Query, Response

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from registry.mo_register.access import TAG, CanRead
from registry.mo_register.standards import export
from registry.mo_register.standards.catalog import EquippingStandards, standards
from registry.mo_register.standards.need import equipment_need
from registry.mo_register.standards.schemas import EquipmentNeedReport

router = secure_router(prefix="/mo-register", tags=[TAG], responses=problem_responses(401, 403))
MoFilter = Annotated[
    uuid.UUID | None, Query(description="Медицинская организация; пусто — все МО, доступные пользователю")
]
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


@router.get(
    "/standards",
    operation_id="mo_register-get-standards",
    summary="Стандарты оснащения: виды отделений, требуемое оборудование, нормы работы",
)
async def get_standards(principal: CanRead) -> EquippingStandards:
    return standards()


@router.get(
    "/equipment-need",
    operation_id="mo_register-equipment-need",
    summary="Потребность в оборудовании: по МО или по региону",
    responses=problem_responses(404, 422),
)
async def get_need(session: DbSession, principal: CanRead, mo_id: MoFilter = None) -> EquipmentNeedReport:
    return await equipment_need(session, principal, mo_id)


@router.get(
    "/equipment-need/export",
    operation_id="mo_register-export-equipment-need",
    summary="Выгрузка потребности в оборудовании (CSV или XLSX)",
    response_class=Response,
    responses={**problem_responses(404, 422), **FILE_RESPONSES},
)
async def export_need(
    session: DbSession,
    principal: CanRead,
    mo_id: MoFilter = None,
    format: Annotated[Literal["csv", "xlsx"], Query(description="Формат файла")] = "csv",
) -> Response:
    report = await equipment_need(session, principal, mo_id)
    scope = str(mo_id) if report.scope == "mo" and mo_id else ("mo" if report.scope == "mo" else "region")
    name = f"equipment-need-{scope}-{date.today():%Y-%m-%d}.{format}"
    content, media_type = (
        (export.to_xlsx(report), export.XLSX_MEDIA_TYPE)
        if format == "xlsx"
        else (export.to_csv(report), export.CSV_MEDIA_TYPE)
    )
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
