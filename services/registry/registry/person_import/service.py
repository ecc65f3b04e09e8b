"""Submitting an import or export of the register: the rules (who, which scope), no SQL."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Forbidden, NotFound
from oms_kit.jobs import JobRead, job_read, receive_upload, submit_job
from registry.person.access import sees_whole_register
from registry.person_import.ids import new_prefix
from registry.person_import.jobs import PERSON_EXPORT, PERSON_IMPORT, XLSX_MEDIA_TYPE

IMPORT_MEDIA_TYPES = ["text/csv", XLSX_MEDIA_TYPE]


class ExportFormat(enum.StrEnum):
    csv = "csv"
    xlsx = "xlsx"


async def start_import(session: AsyncSession, principal: Principal, request: Request) -> JobRead:
    job = await submit_job(
        session,
        PERSON_IMPORT,
        principal,
        params={
            "id_prefix": str(new_prefix()),
            "actor_kind": principal.kind,
            "writers": request.app.state.settings.import_writers,
        },
    )
    await receive_upload(session, job, request, name="register.csv", allowed_media_types=IMPORT_MEDIA_TYPES)
    return await job_read(session, job)


async def start_export(
    session: AsyncSession,
    principal: Principal,
    *,
    file_format: ExportFormat,
    mo_id: uuid.UUID | None,
    on: date | None,
) -> JobRead:
    """Region-wide roles and the TFOMS export any MO or the whole register; an insurer the
    persons it insures; an MO (or another organization) the persons attached to it."""
    if principal.person_id is not None or "patient" in principal.roles:
        raise Forbidden("Выгрузка регистра недоступна")
    params: dict[str, str | None] = {
        "format": file_format.value,
        "on": (on or date.today()).isoformat(),
        "mo_id": str(mo_id) if mo_id else None,
        "actor_kind": principal.kind,
        "scope_kind": None,
        "scope_org_id": None,
    }
    if not sees_whole_register(principal):
        if principal.org_type != "insurer" and mo_id is not None and mo_id != principal.org_id:
            raise NotFound("Медицинская организация не найдена")
        params["scope_kind"] = "insurer" if principal.org_type == "insurer" else "mo"
        params["scope_org_id"] = str(principal.org_id)
    job = await submit_job(session, PERSON_EXPORT, principal, params=params)
    return await job_read(session, job)
