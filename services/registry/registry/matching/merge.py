"""Merge a duplicate into the surviving person, and undo it exactly.

Merge: both persons locked (in id order); the merged person's current facts are closed at
the merge instant and replayed onto the survivor (``merge_plan``); ``merged_into`` points to
the survivor, so the merged ОИП and id keep resolving; open queue rows of the pair become
*merged*; the survivor's search row is rebuilt. The ``person_merge`` row lists every fact row
the merge closed and wrote. Unmerge, allowed while neither person changed since, deletes the
rows the merge wrote and reopens the rows it closed: both histories are again what they were.
Both are audited for both persons and published through the outbox."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.events import add_event
from registry.events.published import PersonDied, PersonMerged, PersonUnmerged
from registry.matching.access import require_register_keeper
from registry.matching.merge_plan import plan_merge
from registry.matching.merge_repository import MergeRepository
from registry.matching.queue_repository import DuplicateRepository
from registry.matching.schemas import MergeRead, MergeRequest, UnmergeRequest
from registry.models.matching import PersonMerge
from registry.models.person import Person
from registry.person.errors import field_error
from registry.person.facts import PROJECTED, FactKind
from registry.person.repository import PersonRepository
from registry.person.view import projection

SOURCE = "registry"


async def _locked_pair(repo: PersonRepository, first: uuid.UUID, second: uuid.UUID) -> tuple[Person, Person]:
    found: dict[uuid.UUID, Person] = {}
    for person_id in sorted({first, second}):  # one lock order: two merges never deadlock
        person = await repo.lock(person_id)
        if person is None:
            raise NotFound("Персона не найдена")
        found[person_id] = person
    return found[first], found[second]


async def refresh_projection(repo: PersonRepository, person: Person) -> None:
    facts = await repo.current_facts(person.id, [k.value for k in PROJECTED])
    values = projection(person, facts, date.today())
    if values is not None:
        await repo.upsert_projection(values)


def merge_read(merge: PersonMerge, survivor: Person, merged: Person) -> MergeRead:
    return MergeRead(
        id=merge.id,
        survivor_id=merge.survivor_id,
        survivor_oip=survivor.oip,
        merged_id=merge.merged_id,
        merged_oip=merged.oip,
        reason=merge.reason,
        merged_at=merge.merged_at,
        merged_by=merge.merged_by,
        facts_moved=len(merge.snapshot.get("copied_from", {})),
        unmerged_at=merge.unmerged_at,
        unmerged_by=merge.unmerged_by,
        unmerge_reason=merge.unmerge_reason,
    )


async def _audit_both(
    session: AsyncSession, principal: Principal, action: str, survivor: Person, merged: Person, reason: str
) -> None:
    for person in (survivor, merged):
        await audit_access(
            session, principal, action=action, resource="person", person_id=person.id, reason=reason
        )


async def merge(
    session: AsyncSession, principal: Principal, survivor_id: uuid.UUID, data: MergeRequest
) -> MergeRead:
    require_register_keeper(principal, "Объединение персон")
    if data.merged_id == survivor_id:
        raise field_error("merged_id", "Персону нельзя объединить с ней самой")
    repo, merges = PersonRepository(session), MergeRepository(session)
    survivor, merged = await _locked_pair(repo, survivor_id, data.merged_id)
    if survivor.merged_into is not None:
        raise Conflict("Персона-продолжатель сама объединена с другой: объединяйте с ней")
    if merged.merged_into is not None:
        raise Conflict("Эта персона уже объединена с другой")
    at = await repo.clock()
    survivor_facts = await merges.current_facts(survivor.id)
    merged_facts = await merges.current_facts(merged.id)
    births = [
        date.fromisoformat(f.data["birth_date"]) for f in merged_facts if f.kind == FactKind.birth.value
    ]
    plan = plan_merge(survivor_facts, merged_facts, merged_birth=min(births, default=None))

    await merges.close_all([f.id for f in merged_facts], at)
    await merges.close_all([f.id for f, _ in plan.shorten], at)
    copied_from: dict[str, int] = {}
    for fact, (lower, upper) in [*plan.shorten, *plan.copy]:
        copy_id = await repo.copy_fact(
            fact, Range(lower, upper, bounds="[)"), at, principal.subject, person_id=survivor.id
        )
        copied_from[str(copy_id)] = fact.id
    survivor.merged_into = None
    merged.merged_into = survivor.id
    await session.flush()
    queue = DuplicateRepository(session)
    resolved = await queue.open_between(survivor.id, merged.id)
    await queue.set_status(
        [d.id for d in resolved], "merged", by=principal.subject, resolution=data.reason, resolved=True
    )
    record = await merges.add(
        PersonMerge(
            id=uuid.uuid4(),
            survivor_id=survivor.id,
            merged_id=merged.id,
            reason=data.reason,
            merged_at=at,
            merged_by=principal.subject,
            snapshot={
                "closed": [f.id for f in merged_facts] + [f.id for f, _ in plan.shorten],
                "copied_from": copied_from,
                "kept_apart": [f.id for f in plan.kept_apart],
                "duplicates": [str(d.id) for d in resolved],
            },
        )
    )
    await refresh_projection(repo, survivor)
    await _audit_both(session, principal, "merge", survivor, merged, f"Объединение дубликатов: {data.reason}")
    payload = PersonMerged(
        merge_id=record.id,
        survivor_id=survivor.id,
        survivor_oip=survivor.oip,
        merged_id=merged.id,
        merged_oip=merged.oip,
    )
    await add_event(session, payload, source=SOURCE, subject=str(survivor.id))
    death = [f for f, _ in plan.copy if f.kind == FactKind.death.value]
    if death:  # the survivor learnt of a death only through the merge
        died = PersonDied(
            person_id=survivor.id,
            oip=survivor.oip,
            death_date=date.fromisoformat(death[0].data["death_date"]),
        )
        await add_event(session, died, source=SOURCE, subject=str(survivor.id))
    return merge_read(record, survivor, merged)


async def unmerge(
    session: AsyncSession, principal: Principal, merged_id: uuid.UUID, data: UnmergeRequest
) -> MergeRead:
    require_register_keeper(principal, "Разъединение персон")
    repo, merges = PersonRepository(session), MergeRepository(session)
    if await repo.get(merged_id) is None:
        raise NotFound("Персона не найдена")
    record = await merges.active_for(merged_id)
    if record is None:
        raise Conflict("Эта персона не объединена с другой")
    survivor, merged = await _locked_pair(repo, record.survivor_id, merged_id)
    if survivor.merged_into is not None:
        raise Conflict("Персона-продолжатель объединена с третьей: сначала разъедините то объединение")
    inserted = [int(i) for i in record.snapshot["copied_from"]]
    closed = [int(i) for i in record.snapshot["closed"]]
    unchanged = (
        await merges.changed_since([survivor.id, merged.id], record.merged_at) == 0
        and await merges.count_current(inserted) == len(inserted)
        and await merges.count_closed_at(closed, record.merged_at) == len(closed)
    )
    if not unchanged:
        raise Conflict(
            "После объединения сведения персон изменялись: точное разъединение невозможно, "
            "исправьте сведения вручную"
        )
    await merges.delete_facts(inserted)
    await merges.reopen(closed)
    merged.merged_into = None
    record.unmerged_at = await repo.clock()
    record.unmerged_by = principal.subject
    record.unmerge_reason = data.reason
    await session.flush()
    await DuplicateRepository(session).set_status(
        [uuid.UUID(d) for d in record.snapshot["duplicates"]],
        "open",
        by=None,
        resolution=None,
        resolved=False,
    )
    for person in (survivor, merged):
        await refresh_projection(repo, person)
    await _audit_both(session, principal, "unmerge", survivor, merged, f"Разъединение персон: {data.reason}")
    payload = PersonUnmerged(
        merge_id=record.id,
        survivor_id=survivor.id,
        survivor_oip=survivor.oip,
        merged_id=merged.id,
        merged_oip=merged.oip,
    )
    await add_event(session, payload, source=SOURCE, subject=str(merged.id))
    return merge_read(record, survivor, merged)


async def merges_of(session: AsyncSession, principal: Principal, person_id: uuid.UUID) -> list[MergeRead]:
    require_register_keeper(principal, "Просмотр объединений")
    repo = PersonRepository(session)
    if await repo.get(person_id) is None:
        raise NotFound("Персона не найдена")
    out: list[MergeRead] = []
    for record in await MergeRepository(session).of_person(person_id):
        survivor, merged = await repo.get(record.survivor_id), await repo.get(record.merged_id)
        assert survivor is not None and merged is not None
        out.append(merge_read(record, survivor, merged))
    return out
