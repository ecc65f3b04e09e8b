"""Attachment applications, the monthly list as of the first day of a month, its CSV/XLSX
export, the attachment event, and the MO scope."""

import csv
import io
import uuid

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def attach(
    client: httpx.AsyncClient, auth: dict[str, str], person: dict, mo: uuid.UUID, start: str, area: str = "01"
) -> httpx.Response:
    return await client.post(
        "/attachments",
        json={
            "person_id": person["id"],
            "mo_id": str(mo),
            "attached_from": start,
            "method": "application",
            "area_code": area,
            "application_date": start,
        },
        headers=auth,
    )


async def test_a_new_attachment_closes_the_previous_one_and_lists_follow_the_dates(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    mo_a, mo_b = await add_org(session, "mo"), await add_org(session, "mo")
    moving = await register(client, region, surname="Абрамова")
    staying = await register(client, region, surname="Борисова")
    assert (await attach(client, region, moving, mo_a, "2023-01-15")).status_code == 201
    assert (await attach(client, region, staying, mo_a, "2022-06-01", area="07")).status_code == 201
    moved = await attach(client, region, moving, mo_b, "2024-03-10")
    assert moved.status_code == 201 and moved.json()["previous_mo_id"] == str(mo_a)

    def ids(page: dict) -> list[str]:
        return [row["person_id"] for row in page["items"]]

    feb = (
        await client.get("/attachments", params={"mo_id": str(mo_a), "on": "2024-02-01"}, headers=region)
    ).json()
    apr = (
        await client.get("/attachments", params={"mo_id": str(mo_a), "on": "2024-04-01"}, headers=region)
    ).json()
    apr_b = (
        await client.get("/attachments", params={"mo_id": str(mo_b), "on": "2024-04-01"}, headers=region)
    ).json()
    assert ids(feb) == [moving["id"], staying["id"]] and feb["total"] == 2
    assert ids(apr) == [staying["id"]] and apr["items"][0]["area_code"] == "07"
    assert ids(apr_b) == [moving["id"]] and apr_b["items"][0]["attached_from"] == "2024-03-10"

    person = (
        await client.get(f"/persons/{moving['id']}", params={"on": "2024-01-01"}, headers=region)
    ).json()
    assert person["attachment"]["mo_id"] == str(mo_a) and person["attachment"]["valid_to"] == "2024-03-09"

    events = (
        (
            await session.execute(
                text(
                    "SELECT envelope->'data' FROM outbox_event WHERE type = 'registry.attachment.changed' "
                    "AND envelope->>'subject' = :p ORDER BY created_at"
                ),
                {"p": moving["id"]},
            )
        )
        .scalars()
        .all()
    )
    assert [(e["mo_id"], e["previous_mo_id"]) for e in events] == [(str(mo_a), None), (str(mo_b), str(mo_a))]


async def test_the_list_is_on_the_first_day_of_a_month_and_exports_as_csv_and_xlsx(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    mo = await add_org(session, "mo")
    person = await register(client, region, surname="Ёжикова")
    assert (await attach(client, region, person, mo, "2023-01-01")).status_code == 201
    not_first = await client.get(
        "/attachments", params={"mo_id": str(mo), "on": "2024-02-02"}, headers=region
    )
    assert not_first.status_code == 422 and not_first.json()["errors"][0]["field"] == "query.on"

    as_csv = await client.get(
        "/attachments",
        params={"mo_id": str(mo), "on": "2024-02-01"},
        headers={**region, "Accept": "text/csv"},
    )
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["oip", "enp", "surname"]
    assert rows[1][1:3] == [person["enp"], "Ёжикова"]
    exported = await client.get(
        "/attachments/export", params={"mo_id": str(mo), "on": "2024-02-01", "format": "csv"}, headers=region
    )
    assert exported.content == as_csv.content

    xlsx = await client.get(
        "/attachments/export", params={"mo_id": str(mo), "on": "2024-02-01", "format": "xlsx"}, headers=region
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][2] == "Ёжикова" and len(values) == 2


async def test_an_mo_attaches_only_to_itself_and_lists_only_its_own(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    ours, theirs = await add_org(session, "mo"), await add_org(session, "mo")
    person = await register(client, region)
    clerk = operator(tokens, org_id=ours, org_type="mo")
    assert (await attach(client, clerk, person, theirs, "2024-01-01")).status_code == 403
    assert (await attach(client, clerk, person, ours, "2024-01-01")).status_code == 201
    other_list = await client.get(
        "/attachments", params={"mo_id": str(theirs), "on": "2024-02-01"}, headers=clerk
    )
    assert other_list.status_code == 404
    not_an_mo = await attach(client, region, person, await add_org(session, "insurer"), "2024-05-01")
    assert not_an_mo.status_code == 422 and not_an_mo.json()["errors"][0]["field"] == "body.mo_id"
    nobody = await client.post(
        "/attachments",
        json={
            "person_id": str(uuid.uuid4()),
            "mo_id": str(ours),
            "attached_from": "2024-01-01",
            "method": "territorial",
        },
        headers=clerk,
    )
    assert nobody.status_code == 404
