"""Search in the register: one mode per request (SNILS, ENP, policy, document, name + birth
date); every person returned is audited as read."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from oms_kit.identifiers.snils import digits_of
from oms_kit.pagination import Page, PageParams
from registry.person.dates import swapped_day_month
from registry.person.drafts import document_key
from registry.person.errors import field_error
from registry.person.facts import FactKind
from registry.person.names import normalize_name
from registry.person.schemas import PersonSummary
from registry.person.search_repository import PersonSearchRepository
from registry.person.service import find_visible
from registry.person.view import summary_of


@dataclass
class PersonQuery:
    snils: str | None = None
    enp: str | None = None
    policy: str | None = None
    document_type: str | None = None
    document_series: str | None = None
    document_number: str | None = None
    surname: str | None = None
    first_name: str | None = None
    patronymic: str | None = None
    birth_date: date | None = None

    def modes(self) -> list[str]:
        found = [m for m in ("snils", "enp", "policy") if getattr(self, m)]
        if self.document_number or self.document_type or self.document_series:
            found.append("document")
        if self.surname or self.first_name or self.patronymic or self.birth_date:
            found.append("name")
        return found


async def search_persons(
    session: AsyncSession, principal: Principal, query: PersonQuery, paging: PageParams
) -> Page[PersonSummary]:
    modes = query.modes()
    if len(modes) != 1:
        raise field_error(
            "snils",
            "Укажите один способ поиска: snils, enp, policy, документ или ФИО с датой рождения",
            location="query",
        )
    repo = PersonSearchRepository(session, principal)
    mode, swapped = modes[0], False
    if mode == "snils":
        hits, total = await repo.by_key(
            [FactKind.snils.value], digits_of(query.snils or ""), limit=paging.limit, offset=paging.offset
        )
    elif mode == "enp":
        hits, total = await repo.by_key(
            [FactKind.enp.value], query.enp or "", limit=paging.limit, offset=paging.offset
        )
    elif mode == "policy":  # the ЕНП or the number of an older policy / temporary certificate
        hits, total = await repo.by_key(
            [FactKind.enp.value, FactKind.insurance.value],
            query.policy or "",
            limit=paging.limit,
            offset=paging.offset,
        )
    elif mode == "document":
        if not (query.document_type and query.document_number):
            raise field_error(
                "document_number", "Для поиска по документу нужны вид и номер", location="query"
            )
        hits, total = await repo.by_key(
            [FactKind.document.value],
            document_key(query.document_series, query.document_number),
            slot=query.document_type,
            limit=paging.limit,
            offset=paging.offset,
        )
    else:
        name = normalize_name(query.surname, query.first_name, query.patronymic)
        if not query.surname or not name:
            raise field_error("surname", "Для поиска по ФИО нужна фамилия", location="query")
        if query.birth_date is None and not query.first_name:
            raise field_error("first_name", "Без даты рождения нужны фамилия и имя", location="query")
        hits, total = await repo.by_name(name, query.birth_date, limit=paging.limit, offset=paging.offset)
        alternative = swapped_day_month(query.birth_date) if query.birth_date and total == 0 else None
        if alternative is not None:
            hits, total = await repo.by_name(name, alternative, limit=paging.limit, offset=paging.offset)
            swapped = True
    await audit_access_many(
        session,
        principal,
        (h[0].person_id for h in hits),
        action="read",
        resource="person.search",
        reason=f"Поиск застрахованного лица ({mode})",
    )
    return Page[PersonSummary](
        items=[summary_of(row, score=score, swapped=swapped) for row, score in hits],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def newborns(
    session: AsyncSession,
    principal: Principal,
    mother_id: uuid.UUID,
    birth_date: date | None,
    paging: PageParams,
) -> Page[PersonSummary]:
    """Children registered with ``mother_id``: whoever may see the mother may see them."""
    _, mother = await find_visible(session, principal, mother_id)
    hits, total = await PersonSearchRepository(session, principal).children_of(
        mother.id, birth_date, limit=paging.limit, offset=paging.offset
    )
    await audit_access_many(
        session,
        principal,
        [mother.id, *(h[0].person_id for h in hits)],
        action="read",
        resource="person.newborns",
        reason="Поиск новорождённых по матери",
    )
    return Page[PersonSummary](
        items=[summary_of(row, score=score) for row, score in hits],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )
