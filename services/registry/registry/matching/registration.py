"""Registration refuses a probable duplicate: before a person is created the register is
searched for the same person (over the whole register, whoever registers), and a candidate
graded *probable* or *certain* is a 409 listing the candidates — unless the operator has
confirmed that this is a new person (``confirm_new``). Confirmed registrations put those pairs
in the review queue, so a register keeper still looks at them.

The 409 lists ОИП, score, grade and reasons only (no names): the registering operator may not
be allowed to see the candidates, and a refused request's transaction — audit rows included —
is rolled back. ``POST /persons/$match`` shows them, audited, to whoever may see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import PROBLEM_JSON, Conflict, Problem
from oms_kit.logging import REQUEST_ID_HEADER, current_request_id
from registry.matching.profiles import Loaded
from registry.matching.queue_repository import DuplicateRepository, Pair
from registry.matching.schemas import MatchCandidate
from registry.matching.scoring import Profile, Scored, profile
from registry.matching.service import candidate_read, scored_candidates
from registry.matching.weights import Grade
from registry.person.drafts import document_key
from registry.person.schemas import PersonCreate


class ProbableDuplicateProblem(Problem):
    """The 409 of ``POST /persons``. A probable duplicate (type
    ``urn:oms:problem:probable-duplicate``) lists the candidates; another conflict (an
    identifier held by another person) is a plain problem without them."""

    candidates: list[MatchCandidate] | None = None


PROBABLE_DUPLICATE_RESPONSE: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ProbableDuplicateProblem,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ProbableDuplicateProblem"}}},
    }
}


class ProbableDuplicate(Conflict):
    code = "probable-duplicate"
    title = "Похоже, эта персона уже есть в регистре"

    def __init__(self, candidates: list[MatchCandidate]) -> None:
        oips = ", ".join(str(c.oip) for c in candidates)
        super().__init__(
            f"Найдены вероятные совпадения (ОИП {oips}). Проверьте их; если это другой человек, "
            "повторите регистрацию с confirm_new: true"
        )
        self.candidates = candidates


async def on_probable_duplicate(request: Request, exc: Exception) -> JSONResponse:
    """The problem+json of a refused registration with the ``candidates`` extension member."""
    assert isinstance(exc, ProbableDuplicate)
    rid = current_request_id()
    body = Problem(
        type=f"urn:oms:problem:{exc.code}",
        title=exc.title,
        status=exc.status,
        detail=exc.detail,
        instance=request.url.path,
        request_id=rid,
    ).model_dump(exclude_none=True)
    body["candidates"] = jsonable_encoder(exc.candidates)
    headers = {REQUEST_ID_HEADER: rid} if rid else None
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


def creation_profile(data: PersonCreate) -> Profile:
    return profile(
        surname=data.surname,
        first_name=data.first_name,
        patronymic=data.patronymic,
        birth_date=data.birth_date,
        sex=data.sex.value,
        snils=data.snils,
        enp=data.enp,
        documents=[(d.type, document_key(d.series, d.number)) for d in data.documents],
    )


@dataclass
class RegistrationDuplicates:
    """The probable duplicates of a person being registered (the operator confirmed it new)."""

    found: list[tuple[Loaded, Scored]] = field(default_factory=list)

    async def queue(self, session: AsyncSession, person_id: uuid.UUID) -> None:
        pairs = [Pair(person_id, item.row.person_id, scored) for item, scored in self.found]
        await DuplicateRepository(session).upsert(pairs, source="registration")


async def find_probable_duplicates(session: AsyncSession, data: PersonCreate) -> list[tuple[Loaded, Scored]]:
    """Persons of the whole register graded *probable* or *certain* against ``data``."""
    return await scored_candidates(session, creation_profile(data), visible_to=None, minimum=Grade.probable)


async def duplicate_check(session: AsyncSession, data: PersonCreate) -> RegistrationDuplicates:
    """Raise ``ProbableDuplicate`` (409) unless ``data.confirm_new``; the duplicates to queue."""
    found = await find_probable_duplicates(session, data)
    if found and not data.confirm_new:
        raise ProbableDuplicate([candidate_read(item, s, with_person=False) for item, s in found[:10]])
    return RegistrationDuplicates(found)
