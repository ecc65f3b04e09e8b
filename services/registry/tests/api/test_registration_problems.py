"""The problems of person registration as clients see them: an unknown document type names
its field in the body, and the 409 of a probable duplicate is a typed problem in OpenAPI that
the actual response satisfies."""

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory
from registry.matching.registration import ProbableDuplicateProblem
from registry.models import PersonFact


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def test_an_unknown_document_type_names_its_field_in_the_body(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    before = await session.scalar(select(func.count()).select_from(PersonFact))
    document = {"type": "99", "number": "123456", "issue_date": "2010-01-01"}
    passport = person_body()["documents"][0]
    refused = await client.post("/persons", json=person_body(documents=[passport, document]), headers=auth)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["type"] == "urn:oms:problem:nsi-unknown-code"
    assert [e["field"] for e in problem["errors"]] == ["body.documents.1.type"]
    assert await session.scalar(select(func.count()).select_from(PersonFact)) == before

    pid = (await client.post("/persons", json=person_body(surname="Ильина"), headers=auth)).json()["id"]
    later = await client.post(f"/persons/{pid}/documents", json=document, headers=auth)
    assert later.status_code == 422 and later.json()["errors"][0]["field"] == "body.type"


async def test_the_409_of_registration_is_a_typed_problem_with_the_candidates(
    app: FastAPI, client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    document = app.openapi()
    conflict = document["paths"]["/persons"]["post"]["responses"]["409"]["content"]
    ref = "#/components/schemas/ProbableDuplicateProblem"
    assert conflict["application/problem+json"]["schema"] == {"$ref": ref}
    schema = document["components"]["schemas"]["ProbableDuplicateProblem"]
    assert {"type", "title", "status", "detail", "candidates"} <= set(schema["properties"])
    candidates = schema["properties"]["candidates"]["anyOf"][0]
    assert candidates == {"type": "array", "items": {"$ref": "#/components/schemas/MatchCandidate"}}

    auth = operator(tokens)
    existing = await client.post(
        "/persons", json=person_body(snils=None, enp=None, documents=[]), headers=auth
    )
    assert existing.status_code == 201, existing.text
    body = person_body(surname="Иваноба", snils=None, enp=None, documents=[])
    refused = await client.post("/persons", json=body, headers=auth)
    assert refused.status_code == 409, refused.text
    problem = ProbableDuplicateProblem.model_validate(refused.json())
    assert problem.type == "urn:oms:problem:probable-duplicate"
    assert problem.candidates and [str(c.person_id) for c in problem.candidates] == [existing.json()["id"]]
