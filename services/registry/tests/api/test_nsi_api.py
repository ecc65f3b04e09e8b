"""The NSI read API and the import endpoint's refusals, through the app with real tokens
(the request's session is the test's, rolled back after it)."""

from datetime import date

import httpx
from sqlalchemy.ext.asyncio import AsyncSession
from tests.nsi_samples import ICD_ROWS, icd_csv

from oms_kit.testing.tokens import TokenFactory
from registry.formats.nsi import read_table
from registry.nsi.catalog import DOCUMENT_TYPE, ICD10
from registry.nsi.imports import ensure_dictionary, load_version
from registry.nsi.mapping import map_rows

READ = ["registry.nsi:read"]
HEADER = "IDDoc;DocName;DocSer;DocNum;DATEBEG;DATEEND\n"


async def seed(session: AsyncSession, version: str, valid_from: date, body: str) -> None:
    dictionary = await ensure_dictionary(session, DOCUMENT_TYPE.code)
    assert dictionary is not None
    mapped = map_rows(
        read_table((HEADER + body).encode()), DOCUMENT_TYPE.columns, version_valid_from=valid_from
    )
    await load_version(session, dictionary, mapped, version=version, valid_from=valid_from)
    await session.flush()


async def two_versions(session: AsyncSession) -> None:
    await seed(
        session, "1.0", date(2011, 1, 1), "03;Свидетельство о рождении;;;;\n21;Паспорт гражданина РФ;;;;\n"
    )
    await seed(
        session,
        "2.0",
        date(2020, 1, 1),
        "03;Свидетельство о рождении;;;;\n21;Паспорт гражданина Российской Федерации;;;;\n"
        "25;Паспорт моряка;;;;\n",
    )


async def test_dictionaries_and_entries_on_a_date(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await two_versions(session)
    auth = tokens.auth(roles=["doctor"], perms=READ)
    listed = await client.get("/nsi/dictionaries", headers=auth)
    assert listed.status_code == 200, listed.text
    doc = next(d for d in listed.json() if d["code"] == "document_type")
    assert doc["identifier"] == "F011" and doc["current_version"]["version"] == "2.0"
    assert doc["record_count"] == 3 and doc["version_count"] == 2

    detail = (await client.get("/nsi/dictionaries/document_type", headers=auth)).json()
    assert [v["version"] for v in detail["versions"]] == ["2.0", "1.0"]
    assert detail["columns"]["code"] == "IDDoc"

    today = (await client.get("/nsi/dictionaries/document_type/entries", headers=auth)).json()
    assert today["version"]["version"] == "2.0" and today["total"] == 3
    assert [e["code"] for e in today["items"]] == ["03", "21", "25"]
    old = await client.get("/nsi/dictionaries/document_type/entries?on=2015-06-01&q=паспорт", headers=auth)
    assert [(e["code"], e["name"]) for e in old.json()["items"]] == [("21", "Паспорт гражданина РФ")]
    pinned = await client.get("/nsi/dictionaries/document_type/entries?version=1.0", headers=auth)
    assert pinned.json()["total"] == 2

    entry = await client.get("/nsi/dictionaries/document_type/entries/25?on=2021-01-01", headers=auth)
    assert entry.status_code == 200 and entry.json()["version"]["version"] == "2.0"
    missing = await client.get("/nsi/dictionaries/document_type/entries/25?on=2015-01-01", headers=auth)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "01.01.2015" in missing.json()["detail"]
    before = await client.get("/nsi/dictionaries/document_type/entries?on=2000-01-01", headers=auth)
    assert before.status_code == 404
    assert (await client.get("/nsi/dictionaries/no_such/entries", headers=auth)).status_code == 404


async def test_diff_endpoint_is_paged(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await two_versions(session)
    auth = tokens.auth(roles=["admin"], perms=READ)
    first = await client.get("/nsi/dictionaries/document_type/diff?from=1.0&to=2.0&limit=1", headers=auth)
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["summary"] == {"added": 1, "removed": 0, "changed": 1, "unchanged": 1}
    assert body["total"] == 2 and body["from_version"]["version"] == "1.0"
    assert [(r["code"], r["status"], r["changed_fields"]) for r in body["items"]] == [
        ("21", "changed", ["name"])
    ]
    second = await client.get("/nsi/dictionaries/document_type/diff?limit=1&offset=1", headers=auth)
    assert [(r["code"], r["status"]) for r in second.json()["items"]] == [("25", "added")]
    added = await client.get("/nsi/dictionaries/document_type/diff?change=added", headers=auth)
    assert added.json()["total"] == 1
    bad = await client.get("/nsi/dictionaries/document_type/diff?change=renamed", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.change.0"


async def test_etag_and_304(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> None:
    await two_versions(session)
    auth = tokens.auth(roles=["doctor"], perms=READ)
    url = "/nsi/dictionaries/document_type/entries?on=2021-01-01"
    first = await client.get(url, headers=auth)
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "private, max-age=60"
    again = await client.get(url, headers={**auth, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
    weak = await client.get(url, headers={**auth, "If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    other_query = await client.get(url + "&q=паспорт", headers={**auth, "If-None-Match": etag})
    assert other_query.status_code == 200 and other_query.headers["etag"] != etag
    other_date = await client.get(
        "/nsi/dictionaries/document_type/entries?on=2015-01-01", headers={**auth, "If-None-Match": etag}
    )
    assert other_date.status_code == 200  # another version answers: another tag

    pinned = await client.get(
        "/nsi/dictionaries/document_type/entries/21?version=1.0&on=2015-01-01", headers=auth
    )
    assert pinned.headers["cache-control"] == "private, max-age=86400"
    assert (
        await client.get(
            "/nsi/dictionaries/document_type/entries/21?version=1.0&on=2015-01-01",
            headers={**auth, "If-None-Match": pinned.headers["etag"]},
        )
    ).status_code == 304

    listed = await client.get("/nsi/dictionaries", headers=auth)
    tag = listed.headers["etag"]
    assert (await client.get("/nsi/dictionaries", headers={**auth, "If-None-Match": tag})).status_code == 304
    # a new version changes what the list says, so its tag changes too
    await seed(session, "3.0", date(2021, 1, 1), "21;Паспорт;;;;\n")
    assert (await client.get("/nsi/dictionaries", headers={**auth, "If-None-Match": tag})).status_code == 200


async def test_versions_are_paged(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await two_versions(session)
    await seed(session, "3.0", date(2024, 1, 1), "21;Паспорт;;;;\n")
    auth = tokens.auth(roles=["doctor"], perms=READ)
    url = "/nsi/dictionaries/document_type/versions"
    first = await client.get(f"{url}?limit=2", headers=auth)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 2, 0)
    assert [(v["version"], v["record_count"]) for v in body["items"]] == [("3.0", 1), ("2.0", 3)]
    rest = (await client.get(f"{url}?limit=2&offset=2", headers=auth)).json()
    assert [v["version"] for v in rest["items"]] == ["1.0"] and rest["total"] == 3
    # the same order as the dictionary's card, which lists every version
    whole = (await client.get("/nsi/dictionaries/document_type", headers=auth)).json()["versions"]
    assert [v["id"] for v in body["items"] + rest["items"]] == [v["id"] for v in whole]

    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "private, max-age=60"
    again = await client.get(f"{url}?limit=2", headers={**auth, "If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    other_page = await client.get(f"{url}?limit=2&offset=2", headers={**auth, "If-None-Match": tag})
    assert other_page.status_code == 200 and other_page.headers["etag"] != tag
    await seed(session, "4.0", date(2025, 1, 1), "21;Паспорт РФ;;;;\n")
    newer = await client.get(f"{url}?limit=2", headers={**auth, "If-None-Match": tag})
    assert newer.status_code == 200 and [v["version"] for v in newer.json()["items"]] == ["4.0", "3.0"]

    assert (await client.get(f"{url}?limit=0", headers=auth)).status_code == 422
    missing = await client.get("/nsi/dictionaries/no_such/versions", headers=auth)
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    no_read = tokens.auth(roles=["patient"], perms=["registry.organization:read"])
    assert (await client.get(url, headers=no_read)).status_code == 403


async def test_top_level_entries_of_a_hierarchy(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    dictionary = await ensure_dictionary(session, ICD10.code)
    assert dictionary is not None
    # a second class, so the top level is more than one row
    rows = [*ICD_ROWS, ["100", "02", "II", "НОВООБРАЗОВАНИЯ", "", "", "1", ""]]
    mapped = map_rows(read_table(icd_csv(rows)), ICD10.columns, version_valid_from=date(2024, 1, 1))
    await load_version(session, dictionary, mapped, version="2.27", valid_from=date(2024, 1, 1))
    await session.flush()
    auth = tokens.auth(roles=["doctor"], perms=READ)
    url = "/nsi/dictionaries/icd10/entries"

    every = await client.get(url, headers=auth)
    assert every.json()["total"] == len(rows)
    top = await client.get(f"{url}?top_level=true", headers=auth)
    assert top.status_code == 200, top.text
    assert [(e["code"], e["parent_code"]) for e in top.json()["items"]] == [("I", None), ("II", None)]
    assert top.json()["total"] == 2 and top.headers["etag"] != every.headers["etag"]
    paged = (await client.get(f"{url}?top_level=true&limit=1&offset=1", headers=auth)).json()
    assert [e["code"] for e in paged["items"]] == ["II"] and paged["total"] == 2
    searched = (await client.get(f"{url}?top_level=true&q=новообр", headers=auth)).json()
    assert [e["code"] for e in searched["items"]] == ["II"]
    # not top level: the whole list, the same as without the parameter
    off = await client.get(f"{url}?top_level=false", headers=auth)
    assert off.json()["total"] == len(rows)
    assert off.headers["etag"] == every.headers["etag"]
    assert (
        await client.get(f"{url}?top_level=true", headers={**auth, "If-None-Match": every.headers["etag"]})
    ).status_code == 200
    children = (await client.get(f"{url}?parent=I", headers=auth)).json()
    assert [e["code"] for e in children["items"]] == ["A00-A09"]

    both = await client.get(f"{url}?top_level=true&parent=I", headers=auth)
    assert both.status_code == 422 and both.json()["errors"][0]["field"] == "query.top_level"
    bad = await client.get(f"{url}?top_level=maybe", headers=auth)
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.top_level"


async def test_permissions(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> None:
    await two_versions(session)
    assert (await client.get("/nsi/dictionaries")).status_code == 401
    no_read = tokens.auth(roles=["patient"], perms=["registry.organization:read"])
    refused = await client.get("/nsi/dictionaries/document_type/entries", headers=no_read)
    assert refused.status_code == 403 and "registry.nsi:read" in refused.json()["detail"]
    reader = tokens.auth(roles=["doctor"], perms=READ)
    upload = await client.post(
        "/nsi/dictionaries/document_type/imports?version=9.0&valid_from=2024-01-01",
        content=(HEADER + "21;Паспорт;;;;\n").encode(),
        headers={**reader, "Content-Type": "text/csv"},
    )
    assert upload.status_code == 403 and "registry.nsi:write" in upload.json()["detail"]


async def test_import_refusals_before_any_job(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await two_versions(session)
    writer = tokens.auth(roles=["admin"], perms=["registry.nsi:read", "registry.nsi:write"])
    body = (HEADER + "21;Паспорт;;;;\n").encode()
    url = "/nsi/dictionaries/document_type/imports"
    exists = await client.post(
        f"{url}?version=2.0&valid_from=2024-01-01",
        content=body,
        headers={**writer, "Content-Type": "text/csv"},
    )
    assert exists.status_code == 409 and "2.0" in exists.json()["detail"]
    wrong_type = await client.post(
        f"{url}?version=9.0&valid_from=2024-01-01",
        content=body,
        headers={**writer, "Content-Type": "image/png"},
    )
    assert wrong_type.status_code == 415
    no_date = await client.post(
        f"{url}?version=9.0", content=body, headers={**writer, "Content-Type": "text/csv"}
    )
    assert no_date.status_code == 422 and no_date.json()["errors"][0]["field"] == "query.valid_from"
    unknown = await client.post(
        "/nsi/dictionaries/nope/imports?version=1&valid_from=2024-01-01",
        content=body,
        headers={**writer, "Content-Type": "text/csv"},
    )
    assert unknown.status_code == 404
    accepted = await client.post(
        f"{url}?version=9.0&valid_from=2024-01-01",
        content=body,
        headers={**writer, "Content-Type": "text/csv"},
    )
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert job["kind"] == "registry.nsi_import" and job["status"] == "queued"
    assert [f["role"] for f in job["files"]] == ["input"]
