"""Exclusions of a person from the payer's register of non-working insured persons, as the
verification service reports them: recorded from its events (idempotently — the inbox and
one row per person and run), shown on the person card with the reasons in Russian.

An event without the registry person id (a run on a TFOMS file rather than on the registry's
extract) or with a person the registry does not know changes nothing."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.events import EventEnvelope
from registry.events.consumed import VerificationPersonExcluded, VerificationPersonReinstated
from registry.models.person_exclusion import PersonExclusion
from registry.person.exclusion_repository import ExclusionRepository
from registry.person.schemas import ExclusionRead, PersonExclusions
from registry.person.service import find_visible

log = logging.getLogger("registry.person.exclusions")

# The verification's outcome reasons (its ``rules.model.REASON_TITLES``; the codes are in the
# event contract). A code not listed here is shown as it is.
REASON_TITLES: Mapping[str, str] = {
    "dead": "Умер",
    "duplicate": "Дублирующая запись",
    "military": "Военнослужащий",
    "entrepreneur": "Индивидуальный предприниматель",
    "employed": "Работающий",
    "missing": "Признан безвестно отсутствующим",
    "personal_data_changed": "Изменены персональные данные",
    "invalid_document": "Недействительный документ",
}


def reason_title(code: str) -> str:
    return REASON_TITLES.get(code, code)


async def record_excluded(
    session: AsyncSession, envelope: EventEnvelope, payload: VerificationPersonExcluded
) -> None:
    if payload.person_id is None:
        return
    repo = ExclusionRepository(session)
    if not await repo.person_exists(payload.person_id):
        log.warning("exclusion of an unknown person ignored", extra={"event_id": str(envelope.id)})
        return
    await repo.add(
        PersonExclusion(
            person_id=payload.person_id,
            run_id=payload.run_id,
            organization_id=payload.organization_id,
            subject_id=payload.subject_id,
            reason=payload.reason,
            reasons=list(payload.reasons) or [payload.reason],
            months_excluded=payload.months_excluded,
            duplicate_of=payload.duplicate_of,
            excluded_at=envelope.time,
        )
    )


async def record_reinstated(
    session: AsyncSession, envelope: EventEnvelope, payload: VerificationPersonReinstated
) -> None:
    if payload.person_id is None:
        return
    await ExclusionRepository(session).close_open(
        payload.person_id,
        payload.organization_id,
        run_id=payload.run_id,
        at=envelope.time,
        on=payload.as_of,
    )


async def exclusions_of(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> PersonExclusions:
    """The exclusions of the person, of the person it was merged into (when asked by the merged
    id) and of the persons merged into it; 404 when the person does not exist or the caller may
    not see it. Audited."""
    requested, person = await find_visible(session, principal, person_id)
    rows = await ExclusionRepository(session).of_persons(list({requested.id, person.id}))
    await audit_access(
        session,
        principal,
        action="read",
        resource="person.exclusions",
        person_id=person.id,
        reason="Исключения из регистра неработающих",
    )
    return PersonExclusions(person_id=person.id, items=[_read(r) for r in rows])


def _read(row: PersonExclusion) -> ExclusionRead:
    return ExclusionRead(
        run_id=row.run_id,
        organization_id=row.organization_id,
        reason=row.reason,
        reason_title=reason_title(row.reason),
        reasons=list(row.reasons),
        reason_titles=[reason_title(r) for r in row.reasons],
        months_excluded=row.months_excluded,
        duplicate_of=row.duplicate_of,
        excluded_at=row.excluded_at,
        reinstated_at=row.reinstated_at,
        reinstated_on=row.reinstated_on,
    )
