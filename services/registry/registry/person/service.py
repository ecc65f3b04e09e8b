"""Registering persons and recording facts about them: the rules, no SQL.

Every read or change of a person's data is audited in the same transaction; every change
writes its event to the outbox in that transaction too."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.events import EventPayload, add_event
from oms_kit.masking import mask_personal_data
from registry.events.published import (
    AttachmentChanged,
    InsuranceChanged,
    PersonDeathRetracted,
    PersonDied,
    PersonRegistered,
    PersonUpdated,
)
from registry.matching.registration import duplicate_check
from registry.models.person import Person, PersonFact
from registry.person import drafts, reference
from registry.person.access import can_see
from registry.person.errors import field_error
from registry.person.facts import PROJECTED, FactDraft, FactKind, range_bounds
from registry.person.history import record_facts
from registry.person.repository import PersonRepository
from registry.person.schemas import (
    BirthIn,
    EnpIn,
    NameIn,
    PersonCreate,
    PersonHistory,
    PersonRead,
    SexIn,
    SnilsIn,
)
from registry.person.view import fact_read, person_on, projection

SOURCE = "registry"
EventFactory = Callable[[Person], EventPayload]
log = logging.getLogger("registry.person")
UNIQUE_KINDS = {FactKind.snils: "snils", FactKind.enp: "enp"}
# What a death ends on the death date: the person is insured and attached no longer.
ENDED_BY_DEATH = (FactKind.insurance, FactKind.attachment)


async def find_visible(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> tuple[Person, Person]:
    """``(requested, current)``: the person asked for and, after a merge, its successor; 404
    when it does not exist or the caller may not see it."""
    repo = PersonRepository(session)
    requested = await repo.get(person_id)
    if requested is None:
        raise NotFound("Персона не найдена")
    person = await repo.resolve(requested)
    if not await can_see(session, principal, person.id):
        raise NotFound("Персона не найдена")
    return requested, person


async def register_person(session: AsyncSession, principal: Principal, data: PersonCreate) -> PersonRead:
    repo = PersonRepository(session)
    if data.mother_id is not None and await repo.get(data.mother_id) is None:
        raise field_error("mother_id", "Персона-мать не найдена")
    birth = data.birth_date
    plan: list[FactDraft] = [
        drafts.name_draft(
            NameIn(surname=data.surname, first_name=data.first_name, patronymic=data.patronymic), birth
        ),
        drafts.sex_draft(SexIn(sex=data.sex), birth),
        drafts.birth_draft(BirthIn(birth_date=birth, birth_place=data.birth_place)),
    ]
    if data.snils:
        plan.append(drafts.snils_draft(SnilsIn(snils=data.snils), birth, prefix=""))
    if data.enp:
        plan.append(drafts.enp_draft(EnpIn(enp=data.enp), birth, prefix=""))
    plan += [drafts.document_draft(d, prefix=f"documents.{i}.") for i, d in enumerate(data.documents)]
    plan += [drafts.address_draft(a, prefix=f"addresses.{i}.") for i, a in enumerate(data.addresses)]
    plan += [drafts.contact_draft(c, prefix=f"contacts.{i}.") for i, c in enumerate(data.contacts)]
    if data.employment:
        plan.append(drafts.employment_draft(data.employment, prefix="employment."))
    for draft in plan:
        if draft.corrects is not None:
            raise field_error(draft.field_prefix + "corrects", "При регистрации исправлять нечего")
        await _check_draft(session, repo, None, draft, birth_date=birth)
    duplicates = await duplicate_check(session, data)  # 409 on a probable duplicate unless confirmed
    person = await repo.add_person(Person(id=uuid.uuid4(), mother_id=data.mother_id))
    at = await repo.clock()
    await record_facts(repo, person.id, plan, at=at, actor=principal.subject)
    await _refresh_projection(repo, person)
    await duplicates.queue(session, person.id)
    await audit_access(
        session,
        principal,
        action="create",
        resource="person",
        person_id=person.id,
        reason="Регистрация застрахованного лица",
    )
    await add_event(
        session, PersonRegistered(person_id=person.id, oip=person.oip), source=SOURCE, subject=str(person.id)
    )
    log.info(
        "person registered",
        extra={
            "person_id": str(person.id),
            "identifiers": mask_personal_data(f"{data.snils or ''} {data.enp or ''}"),
        },
    )
    return await _read(session, person, person, on=date.today(), as_of=await repo.clock())


async def get_person(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    *,
    on: date | None,
    as_of: datetime | None,
) -> PersonRead:
    requested, person = await find_visible(session, principal, person_id)
    await audit_access(
        session,
        principal,
        action="read",
        resource="person",
        person_id=person.id,
        reason="Просмотр сведений о застрахованном лице",
    )
    repo = PersonRepository(session)
    return await _read(session, requested, person, on=on or date.today(), as_of=as_of or await repo.clock())


async def get_by_oip(session: AsyncSession, principal: Principal, oip: int) -> PersonRead:
    found = await PersonRepository(session).by_oip(oip)
    if found is None:
        raise NotFound("Персона с таким ОИП не найдена")
    return await get_person(session, principal, found.id, on=None, as_of=None)


async def history(session: AsyncSession, principal: Principal, person_id: uuid.UUID) -> PersonHistory:
    _, person = await find_visible(session, principal, person_id)
    await audit_access(
        session,
        principal,
        action="read",
        resource="person.history",
        person_id=person.id,
        reason="Просмотр истории сведений о застрахованном лице",
    )
    rows = await PersonRepository(session).history(person.id)
    return PersonHistory(person_id=person.id, oip=person.oip, facts=[fact_read(f) for f in rows])


async def record(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, draft: FactDraft, *, reason: str
) -> PersonRead:
    """Record one fact (a change or a correction) about a visible person; the person now."""
    person = await record_fact(session, principal, person_id, draft, reason=reason)
    return await _read(
        session, person, person, on=date.today(), as_of=await PersonRepository(session).clock()
    )


async def record_fact(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    draft: FactDraft,
    *,
    reason: str,
    event: EventFactory | None = None,
    require_visible: bool = True,
) -> Person:
    """Record ``draft`` for the person ``person_id`` (after a merge, its successor);
    ``event`` builds the event to publish instead of ``registry.person.updated``. Without
    ``require_visible`` (an attachment application to the caller's own MO) the person only
    has to exist."""
    repo = PersonRepository(session)
    if require_visible:
        _, person = await find_visible(session, principal, person_id)
    else:
        found = await repo.get(person_id)
        if found is None:
            raise NotFound("Персона не найдена")
        person = await repo.resolve(found)
    await repo.lock(person.id)
    birth_date = await _birth_date(repo, person.id)
    await _check_draft(session, repo, person.id, draft, birth_date=birth_date)
    ending = await _ended_by_death(repo, person.id, draft) if draft.kind is FactKind.death else []
    at = await repo.clock()
    async with session.begin_nested():  # the death and what it ends, or nothing
        await record_facts(repo, person.id, [draft], at=at, actor=principal.subject)
        for fact in ending:
            await _end_on(repo, fact, draft.valid_from, at=at, actor=principal.subject)
    await _after_change(session, repo, principal, person, FactKind(draft.kind), reason=reason, event=event)
    for fact in ending:
        await _after_change(
            session,
            repo,
            principal,
            person,
            FactKind(fact.kind),
            reason="Окончание периода в связи со смертью",
            event=_period_event(fact, draft.valid_from),
        )
    return person


async def birth_date_of(session: AsyncSession, principal: Principal, person_id: uuid.UUID) -> date:
    """The birth date a new name or identifier defaults to be valid from."""
    _, person = await find_visible(session, principal, person_id)
    birth = await _birth_date(PersonRepository(session), person.id)
    if birth is None:
        raise field_error("valid_from", "У персоны нет даты рождения: укажите valid_from")
    return birth


async def retract(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, fact_id: int
) -> PersonRead:
    """Withdraw a fact recorded in error (an erroneous death record): it stops being held
    from now on, and stays in the history. A withdrawn death that leaves the person without
    one publishes ``registry.person.death_retracted`` too (the person is alive again)."""
    _, person = await find_visible(session, principal, person_id)
    repo = PersonRepository(session)
    await repo.lock(person.id)
    fact = await repo.current_fact(fact_id)
    if fact is None or fact.person_id != person.id:
        raise NotFound("Действующая запись не найдена")
    at = await repo.clock()
    await repo.close(fact, at)
    await _after_change(
        session, repo, principal, person, FactKind(fact.kind), reason="Отзыв ошибочной записи"
    )
    if fact.kind == FactKind.death.value and not await repo.current_facts(person.id, [FactKind.death.value]):
        retracted = PersonDeathRetracted(
            person_id=person.id,
            oip=person.oip,
            retracted_death_date=date.fromisoformat(fact.data["death_date"]),
        )
        await add_event(session, retracted, source=SOURCE, subject=str(person.id))
        for reopened, valid in await _reopen_ended_by_death(repo, person.id, at=at, actor=principal.subject):
            _, upper = range_bounds(valid)
            await _after_change(
                session,
                repo,
                principal,
                person,
                FactKind(reopened.kind),
                reason="Период восстановлен: запись о смерти отозвана",
                event=_period_event(reopened, upper),
            )
    return await _read(session, person, person, on=date.today(), as_of=await repo.clock())


async def _reopen_ended_by_death(
    repo: PersonRepository, person_id: uuid.UUID, *, at: datetime, actor: str
) -> list[tuple[PersonFact, Range[date]]]:
    """The insurance and attachment periods deaths ended, held again as they were before the
    first of those deaths (the person has none left): each current row a death's recording
    re-recorded is followed back through its predecessors to the row no death recorded, and
    that row's period is re-recorded (a succession, as the death's own was). A period another
    current fact of its kind now overlaps stays ended: an operator decides."""
    deaths = await repo.recording_times(person_id, FactKind.death.value)
    reopened: list[tuple[PersonFact, Range[date]]] = []
    for current in await repo.current_facts(person_id, [k.value for k in ENDED_BY_DEATH]):
        row = current
        while row.recorded.lower in deaths and (before := await repo.predecessor(row)) is not None:
            row = before
        if row is current or row.valid == current.valid:
            continue
        overlapping = await repo.current_overlapping(person_id, current.kind, current.slot, row.valid)
        if any(other.id != current.id for other in overlapping):
            continue
        await repo.close(current, at)
        await repo.copy_fact(current, row.valid, at, actor)
        reopened.append((current, row.valid))
    return reopened


async def _after_change(
    session: AsyncSession,
    repo: PersonRepository,
    principal: Principal,
    person: Person,
    kind: FactKind,
    *,
    reason: str,
    event: EventFactory | None = None,
) -> None:
    if kind in PROJECTED:
        await _refresh_projection(repo, person)
    await audit_access(
        session,
        principal,
        action="update",
        resource=f"person.{kind.value}",
        person_id=person.id,
        reason=reason,
    )
    payload: EventPayload = (
        event(person) if event else PersonUpdated(person_id=person.id, oip=person.oip, kinds=[kind.value])
    )
    if kind is FactKind.death:
        facts = await repo.current_facts(person.id, [FactKind.death.value])
        if facts:
            payload = PersonDied(
                person_id=person.id,
                oip=person.oip,
                death_date=date.fromisoformat(facts[0].data["death_date"]),
            )
    await add_event(session, payload, source=SOURCE, subject=str(person.id))


async def _ended_by_death(repo: PersonRepository, person_id: uuid.UUID, death: FactDraft) -> list[PersonFact]:
    """The insurance and attachment periods the death ends (those still valid after the death
    date); 422 naming ``death_date`` when a fact the register holds begins after it."""
    died = death.valid_from
    facts = await repo.current_facts(person_id, [k.value for k in FactKind if k is not FactKind.death])
    for fact in sorted(facts, key=lambda f: (f.valid.lower or date.min, f.id)):
        start, _ = range_bounds(fact.valid)
        if start > died:
            raise field_error(
                "death_date",
                f"Дата смерти {died:%d.%m.%Y} раньше начала действующей записи «{fact.kind}» "
                f"с {start:%d.%m.%Y} (запись {fact.id}); сначала исправьте или отзовите её",
            )
    after = died + timedelta(days=1)
    return [
        f
        for f in facts
        if FactKind(f.kind) in ENDED_BY_DEATH and (f.valid.upper is None or f.valid.upper > after)
    ]


async def _end_on(
    repo: PersonRepository, fact: PersonFact, last_day: date, *, at: datetime, actor: str
) -> None:
    """A succession (decision 0007): the row is closed and re-recorded ending on ``last_day``."""
    assert fact.valid.lower is not None
    await repo.close(fact, at)
    await repo.copy_fact(fact, Range(fact.valid.lower, last_day + timedelta(days=1), bounds="[)"), at, actor)


def _period_event(fact: PersonFact, last_day: date | None) -> EventFactory:
    """The insurance or attachment period of ``fact`` as it now ends on ``last_day`` (the death
    date; ``None`` — open again after a death was withdrawn)."""
    start, _ = range_bounds(fact.valid)
    assert fact.org_id is not None
    org_id = fact.org_id

    def event(person: Person) -> EventPayload:
        if fact.kind == FactKind.insurance.value:
            return InsuranceChanged(
                person_id=person.id, insurer_id=org_id, valid_from=start, valid_to=last_day
            )
        return AttachmentChanged(
            person_id=person.id,
            mo_id=org_id,
            area_code=fact.data.get("area_code"),
            valid_from=start,
            valid_to=last_day,
        )

    return event


async def _check_draft(
    session: AsyncSession,
    repo: PersonRepository,
    person_id: uuid.UUID | None,
    draft: FactDraft,
    *,
    birth_date: date | None,
) -> None:
    prefix = draft.field_prefix
    if draft.kind in UNIQUE_KINDS and draft.key is not None:
        holders = [p for p in await repo.holders_of_key(draft.kind.value, draft.key) if p != person_id]
        if holders:
            raise Conflict(
                f"{UNIQUE_KINDS[draft.kind].upper()} уже принадлежит другой персоне (поле {prefix}"
                f"{UNIQUE_KINDS[draft.kind]})"
            )
    if draft.kind is FactKind.document:
        # Checked against the dictionary in force today (as format control checks codes on the
        # date of submission): an old passport keeps a type that is still in F011.
        await reference.require_document_type(
            session, draft.slot, on=date.today(), field=f"body.{prefix}type"
        )
        others = await repo.holders_of_key(draft.kind.value, draft.key or "", slot=draft.slot)
        if any(p != person_id for p in others):
            raise Conflict(
                f"Документ с такими серией и номером уже принадлежит другой персоне (поле {prefix}number)"
            )
    if draft.kind is FactKind.death and birth_date is not None and draft.valid_from < birth_date:
        raise field_error("death_date", "Дата смерти раньше даты рождения")
    if draft.kind is FactKind.birth and person_id is not None:
        death = await repo.current_facts(person_id, [FactKind.death.value])
        if death and date.fromisoformat(death[0].data["death_date"]) < draft.valid_from:
            raise field_error("birth_date", "Дата рождения позже даты смерти")


async def _birth_date(repo: PersonRepository, person_id: uuid.UUID) -> date | None:
    facts = await repo.current_facts(person_id, [FactKind.birth.value])
    return min((date.fromisoformat(f.data["birth_date"]) for f in facts), default=None)


async def _refresh_projection(repo: PersonRepository, person: Person) -> None:
    facts = await repo.current_facts(person.id, [k.value for k in PROJECTED])
    values = projection(person, facts, date.today())
    if values is not None:
        await repo.upsert_projection(values)


async def read_now(session: AsyncSession, person: Person) -> PersonRead:
    return await _read(
        session, person, person, on=date.today(), as_of=await PersonRepository(session).clock()
    )


async def _read(
    session: AsyncSession, requested: Person, person: Person, *, on: date, as_of: datetime
) -> PersonRead:
    facts = await PersonRepository(session).facts_on(person.id, on, as_of)
    return person_on(person, requested, facts, on=on, as_of=as_of.astimezone(UTC))
