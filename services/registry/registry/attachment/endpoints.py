"""Attachment applications and the monthly attachment list (JSON, CSV, XLSX)."""

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Header, Query, Response, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.attachment import export, service
from registry.attachment.schemas import AttachedPerson, AttachmentCreate, AttachmentResult

router = secure_router(prefix="/attachments", tags=["attachment"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("registry.attachment:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.attachment:write"))]
MoId = Annotated[uuid.UUID, Query(description="Медицинская организация")]
On = Annotated[date, Query(description="Первое число месяца, на которое строится список")]
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            export.XLSX_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}},
        }
    }
}


@router.post(
    "",
    operation_id="attachment-register",
    summary="Зарегистрировать заявление о прикреплении",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def register_attachment(
    session: DbSession, principal: CanWrite, data: AttachmentCreate
) -> AttachmentResult:
    return await service.attach(session, principal, data)


@router.get(
    "",
    operation_id="attachment-list",
    summary="Прикреплённые к МО на первое число месяца (Accept: text/csv — файлом)",
    response_model=Page[AttachedPerson],
    responses={**problem_responses(404, 422), **FILE_RESPONSES},
)
async def list_attached(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    mo_id: MoId,
    on: On,
    accept: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> Any:
    if accept is not None and "text/csv" in accept:
        rows = await service.attached_all(session, principal, mo_id, on)
        return _file(export.to_csv(rows), export.CSV_MEDIA_TYPE, mo_id, on, "csv")
    return await service.attached_list(session, principal, mo_id, on, paging)


@router.get(
    "/export",
    operation_id="attachment-export",
    summary="Выгрузка списка прикреплённых на первое число месяца (CSV или XLSX)",
    response_class=Response,
    responses={**problem_responses(404, 422), **FILE_RESPONSES},
)
async def export_attached(
    session: DbSession,
    principal: CanRead,
    mo_id: MoId,
    on: On,
    format: Annotated[Literal["csv", "xlsx"], Query(description="Формат файла")] = "csv",
) -> Response:
    rows = await service.attached_all(session, principal, mo_id, on)
    if format == "xlsx":
        return _file(export.to_xlsx(rows), export.XLSX_MEDIA_TYPE, mo_id, on, "xlsx")
    return _file(export.to_csv(rows), export.CSV_MEDIA_TYPE, mo_id, on, "csv")


def _file(content: bytes, media_type: str, mo_id: uuid.UUID, on: date, extension: str) -> Response:
    name = f"attachments-{mo_id}-{on:%Y-%m-%d}.{extension}"
    return Response(
        content, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
