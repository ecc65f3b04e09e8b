"""НИЛ: register an unidentified patient, find them, link them to a person once identified.
An MO sees and registers only its own records; reads and changes are audited; a link is
published (``registry.unidentified.linked``) through the outbox."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, Forbidden, NotFound
from oms_kit.events import add_event
from oms_kit.pagination import Page, PageParams
from registry.events.published import UnidentifiedLinked
from registry.models.person import UnidentifiedPerson
from registry.person.access import sees_whole_register
from registry.person.errors import field_error
from registry.person.organizations import require_organization
from registry.person.repository import PersonRepository
from registry.person.unidentified.repository import UnidentifiedRepository
from registry.person.unidentified.schemas import UnidentifiedCreate, UnidentifiedLink, UnidentifiedRead

RESOURCE = "unidentified_person"
SOURCE = "registry"


async def register(session: AsyncSession, principal: Principal, data: UnidentifiedCreate) -> UnidentifiedRead:
    if not sees_whole_register(principal) and data.mo_id != principal.org_id:
        raise Forbidden("Зарегистрировать НИЛ можно только в своей медицинской организации")
    await require_organization(session, data.mo_id, "mo", field="mo_id")
    record = await UnidentifiedRepository(session, principal).add(
        UnidentifiedPerson(id=uuid.uuid4(), **data.model_dump(mode="python"), created_by=principal.subject)
    )
    await audit_access(
        session,
        principal,
        action="create",
        resource=f"{RESOURCE}:{record.id}",
        reason="Регистрация неидентифицированного лица",
    )
    return UnidentifiedRead.model_validate(record)


async def get(session: AsyncSession, principal: Principal, record_id: uuid.UUID) -> UnidentifiedRead:
    record = await UnidentifiedRepository(session, principal).get(record_id)
    if record is None:
        raise NotFound("НИЛ не найден")
    await audit_access(
        session,
        principal,
        action="read",
        resource=f"{RESOURCE}:{record.id}",
        person_id=record.person_id,
        reason="Просмотр сведений о НИЛ",
    )
    return UnidentifiedRead.model_validate(record)


async def search(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    sheet_number: str | None,
    oip: int | None,
    mo_id: uuid.UUID | None,
    linked: bool | None,
    admitted_from: date | None,
    admitted_to: date | None,
) -> Page[UnidentifiedRead]:
    person_id: uuid.UUID | None = None
    if oip is not None:  # the НИЛ records linked to the person with this ОИП (or its successor)
        repo = PersonRepository(session)
        found = await repo.by_oip(oip)
        if found is None:
            return Page[UnidentifiedRead](items=[], total=0, limit=paging.limit, offset=paging.offset)
        person_id = (await repo.resolve(found)).id
    rows, total = await UnidentifiedRepository(session, principal).page(
        sheet_number=sheet_number,
        mo_id=mo_id,
        person_id=person_id,
        linked=linked,
        admitted_from=admitted_from,
        admitted_to=admitted_to,
        limit=paging.limit,
        offset=paging.offset,
    )
    for row in rows:
        await audit_access(
            session,
            principal,
            action="read",
            resource=f"{RESOURCE}:{row.id}",
            person_id=row.person_id,
            reason="Поиск НИЛ",
        )
    return Page[UnidentifiedRead](
        items=[UnidentifiedRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def link(
    session: AsyncSession, principal: Principal, record_id: uuid.UUID, data: UnidentifiedLink
) -> UnidentifiedRead:
    """The patient was identified: link the record to the person (after a merge, its successor)."""
    repo = UnidentifiedRepository(session, principal)
    record = await repo.get(record_id)
    if record is None:
        raise NotFound("НИЛ не найден")
    persons = PersonRepository(session)
    found = await persons.get(data.person_id)
    if found is None:
        raise field_error("person_id", "Персона не найдена")
    person = await persons.resolve(found)
    if record.person_id is not None and record.person_id != person.id:
        raise Conflict("НИЛ уже связан с другой персоной")
    if record.person_id == person.id:  # a repeated request: already linked, nothing to publish
        await audit_access(
            session,
            principal,
            action="read",
            resource=f"{RESOURCE}:{record.id}",
            person_id=person.id,
            reason="Повторное связывание НИЛ (уже связан с этой персоной)",
        )
        return UnidentifiedRead.model_validate(record)
    record.person_id = person.id
    record.linked_at = datetime.now(UTC)
    record.linked_by = principal.subject
    await session.flush()
    await audit_access(
        session,
        principal,
        action="update",
        resource=f"{RESOURCE}:{record.id}",
        person_id=person.id,
        reason="Установление личности НИЛ",
    )
    await add_event(
        session,
        UnidentifiedLinked(
            unidentified_id=record.id,
            mo_id=record.mo_id,
            admitted_on=record.admitted_on,
            person_id=person.id,
            oip=person.oip,
        ),
        source=SOURCE,
        subject=str(person.id),
    )
    return UnidentifiedRead.model_validate(record)
