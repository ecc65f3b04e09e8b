"""Insurance affiliation as facts of the person's history (kind ``insurance``)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from registry import nsi
from registry.events.published import InsuranceChanged
from registry.insurance.schemas import InsuranceIn, InsuranceOn
from registry.models.person import Person
from registry.nsi.catalog import POLICY_TYPE
from registry.person import service as persons
from registry.person.facts import FactDraft, FactKind
from registry.person.organizations import require_organization
from registry.person.repository import PersonRepository


async def record_insurance(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, data: InsuranceIn
) -> InsuranceOn:
    await require_organization(session, data.insurer_id, "insurer", field="insurer_id")
    # Checked against F008 in force on the day of recording, as document types are (F011).
    await nsi.require_code(
        session, POLICY_TYPE.code, data.policy_type, on=date.today(), field="body.policy_type"
    )
    draft = FactDraft(
        kind=FactKind.insurance,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        org_id=data.insurer_id,
        key=data.policy_number.upper(),
        data={
            "insurer_id": str(data.insurer_id),
            "policy_type": data.policy_type,
            "policy_series": data.policy_series,
            "policy_number": data.policy_number,
        },
        corrects=data.corrects,
    )

    def event(person: Person) -> InsuranceChanged:
        return InsuranceChanged(
            person_id=person.id,
            insurer_id=data.insurer_id,
            valid_from=data.valid_from,
            valid_to=data.valid_to,
        )

    person = await persons.record_fact(
        session, principal, person_id, draft, reason="Изменение страховой принадлежности", event=event
    )
    return await insurance_on(session, principal, person.id, data.valid_from)


async def insurance_on(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, on: date | None
) -> InsuranceOn:
    """Scoped and audited as every read of the person (404 for a person the caller may not see)."""
    day = on or date.today()
    person = await persons.get_person(session, principal, person_id, on=day, as_of=None)
    return InsuranceOn(
        person_id=person.id, oip=person.oip, enp=person.enp, on=day, insurance=person.insurance
    )


async def insurance_by_enp(
    session: AsyncSession, principal: Principal, enp: str, on: date | None
) -> InsuranceOn:
    """The federal register's «страховая принадлежность по ЕНП на дату»: the person holding
    ``enp`` (after a merge, its successor), then as ``insurance_on``."""
    repo = PersonRepository(session)
    holders: set[uuid.UUID] = set()
    for holder in await repo.holders_of_key(FactKind.enp.value, enp):
        found = await repo.get(holder)
        if found is not None:
            holders.add((await repo.resolve(found)).id)
    if not holders:
        raise NotFound("Персона с таким ЕНП не найдена")
    if len(holders) > 1:  # refused on recording; only a broken import could leave it so
        raise Conflict("ЕНП числится за несколькими персонами; обратитесь к ведущему регистр")
    return await insurance_on(session, principal, holders.pop(), on)
