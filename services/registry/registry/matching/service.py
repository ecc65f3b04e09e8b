"""Find before create: the candidates of the register for a described person, scored and
graded with the reasons per field. Only persons the caller may see are returned, and each
returned person is audited as read."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from registry.matching.blocking import candidate_ids
from registry.matching.profiles import Loaded, load_profiles
from registry.matching.schemas import MatchCandidate, MatchReason, MatchRequest, MatchResult
from registry.matching.scoring import Profile, Scored, compare, profile
from registry.matching.weights import GRADE_THRESHOLDS, Grade
from registry.person.drafts import document_key
from registry.person.view import summary_of

GRADE_ORDER = [Grade.certain, Grade.probable, Grade.possible]


def at_least(grade: Grade | None, minimum: Grade) -> bool:
    return grade is not None and GRADE_ORDER.index(grade) <= GRADE_ORDER.index(minimum)


def request_profile(data: MatchRequest) -> Profile:
    return profile(
        surname=data.surname,
        first_name=data.first_name,
        patronymic=data.patronymic,
        birth_date=data.birth_date,
        sex=data.sex.value if data.sex else None,
        snils=data.snils,
        enp=data.enp,
        documents=[(d.type or "", document_key(d.series, d.number)) for d in data.documents],
    )


async def scored_candidates(
    session: AsyncSession, query: Profile, *, visible_to: Principal | None, minimum: Grade
) -> list[tuple[Loaded, Scored]]:
    """Blocking, then scoring: the candidates at ``minimum`` or better, best first."""
    ids = await candidate_ids(session, query)
    loaded = await load_profiles(session, ids, visible_to=visible_to)
    scored = [(item, compare(query, item.profile)) for item in loaded.values()]
    kept = [(item, s) for item, s in scored if at_least(s.grade, minimum)]
    return sorted(kept, key=lambda pair: (-pair[1].score, pair[0].row.oip))


def reasons_read(scored: Scored) -> list[MatchReason]:
    return [
        MatchReason(field=r.field, level=r.level, weight=r.weight, detail=r.detail) for r in scored.reasons
    ]


def candidate_read(item: Loaded, scored: Scored, *, with_person: bool) -> MatchCandidate:
    assert scored.grade is not None
    return MatchCandidate(
        person_id=item.row.person_id,
        oip=item.row.oip,
        score=scored.score,
        grade=scored.grade,
        reasons=reasons_read(scored),
        person=summary_of(item.row) if with_person else None,
    )


async def match(session: AsyncSession, principal: Principal, data: MatchRequest) -> MatchResult:
    found = await scored_candidates(
        session, request_profile(data), visible_to=principal, minimum=data.min_grade
    )
    found = found[: data.limit]
    await audit_access_many(
        session,
        principal,
        (item.row.person_id for item, _ in found),
        action="read",
        resource="person.match",
        reason="Поиск совпадений перед регистрацией",
    )
    return MatchResult(
        candidates=[candidate_read(item, s, with_person=True) for item, s in found],
        thresholds={g.value: t for g, t in GRADE_THRESHOLDS.items()},
    )
