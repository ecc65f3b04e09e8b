"""``GET /persons/{person_id}/exclusions``: the person's exclusions from the non-working
register with the reasons in Russian, to whoever may see the person (others get a 404), audited."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.non_working_support import seed_organizations, write_persons
from tests.api.person_import_support import person_row
from tests.person_support import operator

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import Person, PersonExclusion

READ = ["registry.person:read"]


async def test_the_exclusions_of_a_person_newest_first_with_russian_reasons(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo = await seed_organizations(session)
    person, other = await write_persons(session, [person_row(), person_row()])
    payer, old_run, new_run = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    session.add_all(
        [
            PersonExclusion(
                person_id=person,
                run_id=old_run,
                organization_id=payer,
                subject_id=uuid.uuid4(),
                reason="employed",
                reasons=["employed", "entrepreneur"],
                months_excluded=5,
                excluded_at=datetime(2026, 2, 1, tzinfo=UTC),
                reinstated_at=datetime(2026, 8, 1, tzinfo=UTC),
                reinstated_on=date(2026, 6, 30),
                reinstated_by_run=new_run,
            ),
            PersonExclusion(
                person_id=person,
                run_id=new_run,
                organization_id=payer,
                subject_id=uuid.uuid4(),
                reason="something_new",
                reasons=["something_new"],
                months_excluded=2,
                excluded_at=datetime(2026, 8, 1, tzinfo=UTC),
            ),
        ]
    )
    await session.flush()
    auth = operator(tokens)
    r = await client.get(f"/persons/{person}/exclusions", headers=auth)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["person_id"] == str(person)
    newest, oldest = body["items"]
    assert (newest["run_id"], newest["reason_title"], newest["reinstated_at"]) == (
        str(new_run),
        "something_new",  # a reason the registry does not know yet: shown as its code
        None,
    )
    assert oldest["reason"] == "employed" and oldest["reason_title"] == "Работающий"
    assert oldest["reason_titles"] == ["Работающий", "Индивидуальный предприниматель"]
    assert (oldest["months_excluded"], oldest["reinstated_on"]) == (5, "2026-06-30")
    audited = await session.scalar(
        select(func.count()).where(
            AuditRecord.person_id == person, AuditRecord.resource == "person.exclusions"
        )
    )
    assert audited == 1

    none = await client.get(f"/persons/{other}/exclusions", headers=auth)
    assert none.status_code == 200 and none.json()["items"] == []

    # merged into another person: the survivor's card shows them, asked by either id
    merged_person = await session.get(Person, person)
    assert merged_person is not None
    merged_person.merged_into = other
    await session.flush()
    for asked in (other, person):
        merged = await client.get(f"/persons/{asked}/exclusions", headers=auth)
        assert merged.json()["person_id"] == str(other)
        assert {i["run_id"] for i in merged.json()["items"]} == {str(old_run), str(new_run)}

    attached_mo = tokens.auth(roles=["doctor"], perms=READ, org_id=mo, org_type="mo")
    assert (await client.get(f"/persons/{person}/exclusions", headers=attached_mo)).status_code == 200
    another_mo = tokens.auth(roles=["doctor"], perms=READ, org_id=uuid.uuid4(), org_type="mo")
    hidden = await client.get(f"/persons/{person}/exclusions", headers=another_mo)
    assert hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"


async def test_an_unknown_person_is_a_404_problem(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    r = await client.get(f"/persons/{uuid.uuid4()}/exclusions", headers=operator(tokens))
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
