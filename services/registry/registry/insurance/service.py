"""Insurance affiliation as facts of the person's history (kind ``insurance``)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.events.published import InsuranceChanged
from registry.insurance.schemas import InsuranceIn, InsuranceOn
from registry.models.person import Person
from registry.person import service as persons
from registry.person.facts import FactDraft, FactKind
from registry.person.organizations import require_organization


async def record_insurance(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, data: InsuranceIn
) -> InsuranceOn:
    await require_organization(session, data.insurer_id, "insurer", field="insurer_id")
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
    day = on or date.today()
    person = await persons.get_person(session, principal, person_id, on=day, as_of=None)
    return InsuranceOn(person_id=person.id, oip=person.oip, on=day, insurance=person.insurance)
