"""The one rule by which a fact enters a person's history.

- A **correction** (``corrects`` = a fact id) closes the recorded period of that fact and the
  new fact takes its place: what was known before stays readable "as of" an earlier time.
- A **succession** (a new name from the marriage date, a new attachment): a current fact of
  the same kind and slot that is open-ended and began earlier is re-recorded ending the day
  before the new one begins; the old open-ended row is closed, never updated.
- Any other overlap with a current fact is refused: 422 naming ``valid_from``.

Callers hold the person's row lock (``PersonRepository.lock``), so the check above sees every
current fact of the person; the unique index on open-ended current facts guards the common
overlap in the database too (decision 0007). The whole operation runs in a savepoint, so a
refusal leaves nothing written, even inside a larger transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.dialects.postgresql import Range
from sqlalchemy.exc import IntegrityError

from registry.person.errors import field_error
from registry.person.facts import FactDraft, range_bounds
from registry.person.repository import PersonRepository

UNIQUE_VIOLATION = "23505"
OPEN_CURRENT_INDEX = "ux_person_fact_open_current"


def _describe(valid: Range[date]) -> str:
    start, end = range_bounds(valid)
    return f"{start:%d.%m.%Y}–{end:%d.%m.%Y}" if end else f"с {start:%d.%m.%Y}"


async def record_facts(
    repo: PersonRepository, person_id: uuid.UUID, drafts: Sequence[FactDraft], *, at: datetime, actor: str
) -> list[int]:
    """Record ``drafts`` (in order) for a locked person; returns the new fact ids."""
    ids: list[int] = []
    try:
        async with repo.session.begin_nested():
            for draft in drafts:
                ids.append(await _record(repo, person_id, draft, at=at, actor=actor))
    except IntegrityError as exc:
        if getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION and OPEN_CURRENT_INDEX in str(exc.orig):
            raise field_error("valid_from", "Период пересекается с другой записью того же вида") from exc
        raise
    return ids


async def _record(
    repo: PersonRepository, person_id: uuid.UUID, draft: FactDraft, *, at: datetime, actor: str
) -> int:
    prefix = draft.field_prefix
    if draft.valid_to is not None and draft.valid_to < draft.valid_from:
        raise field_error(prefix + "valid_to", "Дата окончания раньше даты начала")
    if draft.corrects is not None:
        old = await repo.current_fact(draft.corrects)
        if old is None or old.person_id != person_id or old.kind != draft.kind.value:
            raise field_error(
                prefix + "corrects", "Исправляемая запись не найдена среди действующих записей этого вида"
            )
        await repo.close(old, at)
    new_valid = draft.valid
    for fact in await repo.current_overlapping(person_id, draft.kind.value, draft.slot, new_valid):
        if fact.id == draft.corrects:
            continue  # closed above; the UPDATE is not seen by this ORM-loaded row
        assert fact.valid.lower is not None and new_valid.lower is not None
        if fact.valid.upper is None and fact.valid.lower < new_valid.lower:
            await repo.close(fact, at)
            await repo.copy_fact(fact, Range(fact.valid.lower, new_valid.lower, bounds="[)"), at, actor)
            continue
        raise field_error(
            prefix + "valid_from",
            f"Период {_describe(new_valid)} пересекается с действующей записью ({_describe(fact.valid)}, "
            f"запись {fact.id}); исправьте её, указав corrects",
        )
    return await repo.insert(person_id, draft, new_valid, at, actor)
