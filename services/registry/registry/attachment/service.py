"""Attachment applications and the monthly attachment list of an MO."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Forbidden, NotFound
from oms_kit.pagination import Page, PageParams
from registry.attachment.repository import AttachmentRepository
from registry.attachment.schemas import AttachedPerson, AttachmentCreate, AttachmentResult
from registry.events.published import AttachmentChanged
from registry.models.person import Person
from registry.person import service as persons
from registry.person.access import sees_whole_register
from registry.person.errors import field_error
from registry.person.facts import FactDraft, FactKind
from registry.person.organizations import require_organization
from registry.person.repository import PersonRepository
from registry.person.view import attachment_read


async def attach(session: AsyncSession, principal: Principal, data: AttachmentCreate) -> AttachmentResult:
    """Register an application: the person is attached to ``mo_id`` from ``attached_from``, the
    previous open attachment ends the day before. An MO attaches only to itself."""
    if not sees_whole_register(principal) and data.mo_id != principal.org_id:
        raise Forbidden("Прикрепить можно только к своей медицинской организации")
    await require_organization(session, data.mo_id, "mo", field="mo_id")
    found = await PersonRepository(session).get(data.person_id)
    if found is None:
        raise NotFound("Персона не найдена")
    person_id = (await PersonRepository(session).resolve(found)).id
    repo = AttachmentRepository(session)
    previous = await repo.mo_on(person_id, data.attached_from - timedelta(days=1))
    draft = FactDraft(
        kind=FactKind.attachment,
        valid_from=data.attached_from,
        org_id=data.mo_id,
        data={
            "mo_id": str(data.mo_id),
            "area_code": data.area_code,
            "method": data.method.value,
            "application_date": data.application_date.isoformat() if data.application_date else None,
        },
        field_prefix="",
    )

    def event(person: Person) -> AttachmentChanged:
        return AttachmentChanged(
            person_id=person.id,
            mo_id=data.mo_id,
            previous_mo_id=previous,
            area_code=data.area_code,
            valid_from=data.attached_from,
        )

    person = await persons.record_fact(
        session,
        principal,
        person_id,
        draft,
        reason="Заявление о прикреплении",
        event=event,
        require_visible=False,
    )
    person_repo = PersonRepository(session)
    facts = await person_repo.facts_on(person.id, data.attached_from, await person_repo.clock())
    fact = next(f for f in facts if f.kind == FactKind.attachment.value)
    return AttachmentResult(person_id=person.id, attachment=attachment_read(fact), previous_mo_id=previous)


def _check_list(principal: Principal, mo_id: uuid.UUID, on: date) -> None:
    if on.day != 1:
        raise field_error("on", "Список прикреплённых строится на первое число месяца", location="query")
    if not sees_whole_register(principal) and mo_id != principal.org_id:
        raise NotFound("Медицинская организация не найдена")


async def attached_list(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, on: date, paging: PageParams
) -> Page[AttachedPerson]:
    _check_list(principal, mo_id, on)
    rows, total = await AttachmentRepository(session).page(
        mo_id, on, limit=paging.limit, offset=paging.offset
    )
    await audit_access_many(
        session,
        principal,
        (r.person_id for r in rows),
        action="read",
        resource=f"attachment.list:{mo_id}",
        reason=f"Список прикреплённых на {on:%d.%m.%Y}",
    )
    return Page[AttachedPerson](
        items=[AttachedPerson.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def attached_all(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, on: date
) -> list[AttachedPerson]:
    """The whole list for an export (one MO: tens of thousands of rows at most)."""
    _check_list(principal, mo_id, on)
    rows = await AttachmentRepository(session).all(mo_id, on)
    await audit_access_many(
        session,
        principal,
        (r.person_id for r in rows),
        action="export",
        resource=f"attachment.list:{mo_id}",
        reason=f"Выгрузка списка прикреплённых на {on:%d.%m.%Y}",
    )
    return [AttachedPerson.model_validate(r) for r in rows]
