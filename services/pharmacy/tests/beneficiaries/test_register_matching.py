"""The federal register's lines matched to registry persons by SNILS: one person with the same
birth date — the line's beneficiary is that person's (a person registered here by hand takes
the line, an earlier unmatched beneficiary folded into it); not found, several persons, another
birth date — left without a person, listed in the load's matching report with the SNILS
masked; the registry down — the load completes unmatched and says why; a repeated load asks
only for what is still unmatched and changes nothing; the re-matching job links them later.

The registry here is a fake of the port (a dict) or of its HTTP answers (httpx.MockTransport):
a service's tests may not run another service; the real registry app answers the adapter in
services/embedded/tests/test_pharmacy_registry.py."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Collection
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import AuditRecord
from oms_kit.auth import Principal
from oms_kit.events.inprocess import InProcessBus
from oms_kit.identifiers.snils import complete_snils
from oms_kit.masking import mask_snils
from oms_kit.testing.tokens import TokenFactory
from pharmacy.beneficiaries import jobs, register_match, service
from pharmacy.beneficiaries.federal_file import read_register
from pharmacy.beneficiaries.registry_persons import (
    NOT_CONFIGURED,
    REFUSED,
    UNAVAILABLE,
    HttpRegistryPersons,
    RegistryPerson,
    RegistryUnavailable,
)
from pharmacy.config import Settings
from pharmacy.main import create_app
from pharmacy.models import Beneficiary, BeneficiaryDiagnosis, Entitlement, InKindRefusal

from .support import WRITE
from .test_federal_load import _finished, csv_file, row

OPERATOR = Principal(subject="operator", org_id=uuid.uuid4(), roles=frozenset({"registry_operator"}))
BORN = date(1950, 2, 1)  # the birth date of every line of test_federal_load.row
AS_OF = date(2026, 7, 1)


def snils() -> str:
    return complete_snils(str(random.randint(200_000_000, 999_999_999)))


class FakeRegistry:
    """The port over a dict SNILS → persons; ``down`` raises as an unreachable registry does."""

    def __init__(self, persons: dict[str, list[RegistryPerson]] | None = None) -> None:
        self.persons = persons or {}
        self.asked: list[set[str]] = []
        self.down = False

    async def by_snils(self, snils: Collection[str]) -> dict[str, list[RegistryPerson]]:
        self.asked.append(set(snils))
        if self.down:
            raise RegistryUnavailable(UNAVAILABLE, "Нет связи с регистром застрахованных (тест)")
        return {s: list(self.persons.get(s, [])) for s in snils}


async def load(session: AsyncSession, registry: FakeRegistry, data: bytes) -> Any:
    """The job's steps: the SNILS to match, the registry asked, the load applied."""
    parsed = read_register(data)
    todo = await service.snils_to_match(session, {ln.snils for ln in parsed.lines})
    lookup = await register_match.look_up(registry, todo)
    return await service.apply_federal_register(
        session, parsed, as_of=AS_OF, file_name="reg.csv", data=data, actor=OPERATOR, lookup=lookup
    )


async def person_of(session: AsyncSession, s: str) -> uuid.UUID | None:
    return await session.scalar(select(Beneficiary.person_id).where(Beneficiary.snils == s))


async def test_matched_not_found_mismatch_and_ambiguous(session: AsyncSession) -> None:
    matched, missing, other_birth, twice = snils(), snils(), snils(), snils()
    person = uuid.uuid4()
    registry = FakeRegistry(
        {
            matched: [RegistryPerson(person, BORN)],
            other_birth: [RegistryPerson(uuid.uuid4(), date(1951, 2, 1))],
            twice: [RegistryPerson(uuid.uuid4(), BORN), RegistryPerson(uuid.uuid4(), BORN)],
        }
    )
    data = csv_file(
        row(matched, "082"),
        row(matched, "030"),
        row(missing, "081"),
        row(other_birth, "083"),
        row(twice, "084"),
    )
    loaded = await load(session, registry, data)
    assert registry.asked == [{matched, missing, other_birth, twice}]
    assert (loaded.new, loaded.problems) == (5, [])
    assert await person_of(session, matched) == person
    for s in (missing, other_birth, twice):
        assert await person_of(session, s) is None
    m = loaded.matching
    assert (m["status"], m["matched"], m["unmatched"]) == ("done", 1, 3)
    assert m["reasons"] == {"not_found": 1, "birth_date_mismatch": 1, "ambiguous": 1}
    assert {(x["line"], x["snils_masked"], x["reason"]) for x in m["lines"]} == {
        (4, mask_snils(missing), "not_found"),
        (5, mask_snils(other_birth), "birth_date_mismatch"),
        (6, mask_snils(twice), "ambiguous"),
    }
    assert next(x for x in m["lines"] if x["reason"] == "not_found")["message"] == (
        "не найден в регистре застрахованных"
    )
    assert missing not in json.dumps(m)  # SNILS only masked in the report

    # The matched person's entitlements on a date are the file's.
    answer = await service.entitlement(session, OPERATOR, person, date(2026, 7, 1))
    assert sorted(c.code for c in answer.categories) == ["030", "082"]
    reads = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.person_id == person, AuditRecord.resource == "pharmacy.beneficiary.registry_match")
    )
    assert reads == 1

    # Loaded again: only the unmatched are asked; nothing changes.
    again = await load(session, registry, data)
    assert registry.asked[-1] == {missing, other_birth, twice}
    assert (again.new, again.changed, again.ended, again.unchanged) == (0, 0, 0, 5)
    assert (again.matching["matched"], again.matching["unmatched"]) == (0, 3)
    assert await person_of(session, matched) == person
    count = await session.scalar(
        select(func.count()).select_from(Beneficiary).where(Beneficiary.snils.in_([matched, missing]))
    )
    assert count == 2


async def test_registry_down_the_load_completes_unmatched(session: AsyncSession) -> None:
    a, b = snils(), snils()
    registry = FakeRegistry({a: [RegistryPerson(uuid.uuid4(), BORN)]})
    registry.down = True
    loaded = await load(session, registry, csv_file(row(a, "082"), row(b, "081")))
    assert loaded.new == 2
    m = loaded.matching
    assert (m["status"], m["title"], m["unmatched"], m["matched"]) == ("unavailable", UNAVAILABLE, 2, 0)
    assert "Нет связи" in m["detail"]
    assert await person_of(session, a) is None and await person_of(session, b) is None

    registry.down = False  # back: the next load of the same file matches a and adds nothing
    again = await load(session, registry, csv_file(row(a, "082"), row(b, "081")))
    assert (again.new, again.unchanged, again.matching["matched"], again.matching["unmatched"]) == (
        0,
        2,
        1,
        1,
    )
    assert await person_of(session, a) == registry.persons[a][0].person_id


async def test_a_person_registered_by_hand_takes_the_line(session: AsyncSession) -> None:
    """A beneficiary registered here by id (no SNILS) gets the federal line; an earlier
    unmatched beneficiary of that SNILS is folded into it (entitlements, refusals)."""
    s, person = snils(), uuid.uuid4()
    registry = FakeRegistry()
    first = await load(session, registry, csv_file(row(s, "082", refused="1")))
    assert first.matching["unmatched"] == 1
    unmatched_id = await session.scalar(select(Beneficiary.id).where(Beneficiary.snils == s))
    manual = Beneficiary(
        id=uuid.uuid4(), person_id=person, surname="Сидоров", first_name="Иван", source="manual"
    )
    session.add(manual)
    await session.flush()

    registry.persons[s] = [RegistryPerson(person, None)]  # birth date unknown: SNILS alone decides
    again = await load(session, registry, csv_file(row(s, "082", refused="1")))
    assert (again.new, again.unchanged, again.matching["matched"]) == (0, 1, 1)
    assert await session.get(Beneficiary, unmatched_id) is None
    assert await person_of(session, s) == person
    held = await session.scalars(
        select(Entitlement.category_code).where(Entitlement.beneficiary_id == manual.id)
    )
    assert list(held) == ["082"]
    refusals = await session.scalar(
        select(func.count()).select_from(InKindRefusal).where(InKindRefusal.beneficiary_id == manual.id)
    )
    assert refusals == 1


def _by_hand(beneficiary_id: uuid.UUID, code: str = "082", start: date = date(2026, 1, 1)) -> Entitlement:
    return Entitlement(
        id=uuid.uuid4(),
        beneficiary_id=beneficiary_id,
        category_code=code,
        valid_from=start,
        valid_to=date(2026, 3, 31),
        document_number="вручную",
        source="manual",
    )


async def _entitlements(session: AsyncSession, beneficiary_id: uuid.UUID) -> list[tuple[Any, ...]]:
    rows = await session.execute(
        select(
            Entitlement.category_code,
            Entitlement.valid_from,
            Entitlement.valid_to,
            Entitlement.source,
            Entitlement.document_number,
        )
        .where(Entitlement.beneficiary_id == beneficiary_id)
        .order_by(Entitlement.category_code, Entitlement.valid_from)
    )
    return [tuple(r) for r in rows]


async def test_the_federal_line_takes_over_an_entitlement_registered_by_hand(session: AsyncSession) -> None:
    """A person registered by hand (with SNILS) holding the same category from the same day: the
    load does not add a second one (uq_entitlement_start, was an IntegrityError) — the one held
    becomes the register's (its document, end, source), the report says so; a re-load changes
    nothing, and a later file without it ends it."""
    s, person = snils(), uuid.uuid4()
    manual = Beneficiary(id=uuid.uuid4(), person_id=person, snils=s, source="manual")
    session.add(manual)
    await session.flush()
    session.add(_by_hand(manual.id))
    await session.flush()

    data = csv_file(row(s, "082", end="31.12.2026"))
    loaded = await load(session, FakeRegistry(), data)
    assert (loaded.new, loaded.changed, loaded.problems) == (0, 1, [])
    assert loaded.matching["status"] == "not_needed"
    assert loaded.changes == [
        {
            "kind": "changed",
            "snils_masked": mask_snils(s),
            "category": "082",
            "line": 2,
            "source_was": "manual",
        }
    ]
    assert await _entitlements(session, manual.id) == [
        ("082", date(2026, 1, 1), date(2026, 12, 31), "federal_register", "1234567")
    ]

    report = jobs.diff_report(loaded.changes, loaded.problems, loaded.matching).decode("utf-8-sig")
    assert f"2;изменена;082;{mask_snils(s)};{jobs.TAKEN_OVER}" in report.splitlines()

    again = await load(session, FakeRegistry(), data)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 1)

    # The register moved its start to the day of another hand-registered one: that one is taken
    # over, the register's earlier row goes (one entitlement of the category from that day).
    session.add(_by_hand(manual.id, start=date(2026, 2, 1)))
    await session.flush()
    moved = await load(session, FakeRegistry(), csv_file(row(s, "082", start="01.02.2026")))
    assert (moved.new, moved.changed) == (0, 1)
    assert await _entitlements(session, manual.id) == [
        ("082", date(2026, 2, 1), None, "federal_register", "1234567")
    ]

    other = snils()
    ended = await load(session, FakeRegistry(), csv_file(row(other, "081")))
    assert ended.ended >= 1
    assert await _entitlements(session, manual.id) == [
        ("082", date(2026, 2, 1), date(2026, 6, 30), "federal_register", "1234567")
    ]


async def test_folding_into_a_person_registered_by_hand_collides_on_nothing(session: AsyncSession) -> None:
    """The unmatched beneficiary of a SNILS folded into the person registered by hand who holds
    the same entitlement (category, start), the same year's refusal and the same diagnosis: no
    unique constraint hit, one of each; the entitlement and the refusal become the register's,
    the diagnosis keeps the earlier date. Through the load and through the re-matching."""
    for through in ("load", "rematch"):
        s, person = snils(), uuid.uuid4()
        registry = FakeRegistry()
        data = csv_file(row(s, "082", refused="1"))
        await load(session, registry, data)
        unmatched_id = await session.scalar(select(Beneficiary.id).where(Beneficiary.snils == s))
        assert unmatched_id is not None
        await service.repository.upsert_diagnosis(session, unmatched_id, "E11.9", date(2020, 5, 1))
        manual = Beneficiary(id=uuid.uuid4(), person_id=person, source="manual")
        session.add(manual)
        await session.flush()
        session.add(_by_hand(manual.id))
        session.add(InKindRefusal(beneficiary_id=manual.id, year=AS_OF.year, source="manual"))
        await service.repository.upsert_diagnosis(session, manual.id, "E11.9", date(2021, 1, 1))
        await session.flush()

        registry.persons[s] = [RegistryPerson(person, BORN)]
        if through == "load":
            again = await load(session, registry, data)
            assert (again.matching["matched"], again.new, again.unchanged) == (1, 0, 1), through
        else:
            outcome = await service.rematch(
                session,
                OPERATOR,
                await register_match.look_up(registry, await service.snils_to_match(session)),
            )
            assert outcome.matched >= 1
        assert await session.get(Beneficiary, unmatched_id) is None
        assert await person_of(session, s) == person
        assert await _entitlements(session, manual.id) == [
            ("082", date(2026, 1, 1), None, "federal_register", "1234567")
        ], through
        refusals = (
            await session.execute(
                select(InKindRefusal.year, InKindRefusal.source).where(
                    InKindRefusal.beneficiary_id == manual.id
                )
            )
        ).all()
        assert [tuple(r) for r in refusals] == [(AS_OF.year, "federal_register")], through
        diagnoses = (
            await session.execute(
                select(BeneficiaryDiagnosis.icd10, BeneficiaryDiagnosis.since).where(
                    BeneficiaryDiagnosis.beneficiary_id == manual.id
                )
            )
        ).all()
        assert [tuple(r) for r in diagnoses] == [("E11.9", date(2020, 5, 1))], through
        # The next load of the same file: the register's own entitlement, unchanged.
        third = await load(session, registry, data)
        assert (third.new, third.changed, third.unchanged) == (0, 0, 1), through


async def test_rematching_links_the_unmatched(session: AsyncSession) -> None:
    a, b = snils(), snils()
    registry = FakeRegistry()
    await load(session, registry, csv_file(row(a, "082"), row(b, "081")))
    registry.persons[a] = [RegistryPerson(uuid.uuid4(), BORN)]
    todo = await service.snils_to_match(session)
    assert {a, b} <= todo
    outcome = await service.rematch(session, OPERATOR, await register_match.look_up(registry, todo))
    assert outcome.status == "done" and outcome.matched == 1
    assert await person_of(session, a) == registry.persons[a][0].person_id
    assert await person_of(session, b) is None
    assert mask_snils(b) in [x["snils_masked"] for x in outcome.lines]


# --- the HTTP adapter ------------------------------------------------------------------------------


def registry_answering(
    handler: Callable[[httpx.Request], Awaitable[httpx.Response]], **kw: Any
) -> HttpRegistryPersons:
    return HttpRegistryPersons(
        base_url="http://gateway", api_key="oms_test_key", transport=httpx.MockTransport(handler), **kw
    )


def searching(persons: dict[str, list[dict[str, Any]]], seen: list[httpx.Request]) -> Any:
    """The registry's ``GET /persons?snils=`` answers over ``persons``."""

    async def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        await asyncio.sleep(0.01)
        items = persons.get(request.url.params["snils"], [])
        return httpx.Response(200, json={"items": items, "total": len(items), "limit": 10, "offset": 0})

    return answer


async def test_the_adapter_asks_once_per_snils_with_the_key() -> None:
    found, missing = snils(), snils()
    person = uuid.uuid4()
    seen: list[httpx.Request] = []
    adapter = registry_answering(
        searching({found: [{"id": str(person), "birth_date": "1950-02-01", "surname": "Сидоров"}]}, seen),
        concurrency=2,
    )
    answer = await adapter.by_snils([found, missing, found])
    assert answer == {found: [RegistryPerson(person, BORN)], missing: []}
    assert sorted(r.url.params["snils"] for r in seen) == sorted([found, missing])
    assert {r.url.path for r in seen} == {"/api/registry/persons"}
    assert {r.headers["x-api-key"] for r in seen} == {"oms_test_key"}


async def test_adapter_failures_name_the_registry_and_the_reason() -> None:
    with pytest.raises(RegistryUnavailable) as caught:
        await HttpRegistryPersons().by_snils([snils()])
    assert caught.value.title == NOT_CONFIGURED and "OMS_PHARMACY_REGISTRY_URL" in caught.value.detail

    with pytest.raises(RegistryUnavailable) as caught:
        await HttpRegistryPersons(base_url="http://127.0.0.1:9", api_key="k").by_snils([snils()])
    assert caught.value.title == UNAVAILABLE and "Нет связи" in caught.value.detail

    async def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            403, json={"title": "Недостаточно прав", "detail": "Нужно право registry.person:read"}
        )

    with pytest.raises(RegistryUnavailable) as caught:
        await registry_answering(refuse).by_snils([snils(), snils()])
    assert caught.value.title == REFUSED and "registry.person:read" in caught.value.detail

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"items": []})

    with pytest.raises(RegistryUnavailable) as caught:
        await registry_answering(slow, timeout_seconds=0.2).by_snils([snils()])
    assert "не ответил за 0.2 с" in caught.value.detail

    async def nonsense(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"persons": []})

    with pytest.raises(RegistryUnavailable) as caught:
        await registry_answering(nonsense).by_snils([snils()])
    assert "не по формату поиска персон" in caught.value.detail


async def test_the_adapter_waits_out_the_gateways_rate_limit() -> None:
    """429 from the gateway (the API key's rate limit): asked again after ``Retry-After``
    (capped), then the answer is the registry's; still 429 after the retries — unavailable."""
    found, person = snils(), uuid.uuid4()
    seen: list[httpx.Request] = []
    answer = searching({found: [{"id": str(person), "birth_date": "1950-02-01"}]}, seen)
    limited = {"left": 2}

    async def rate_limited(request: httpx.Request) -> httpx.Response:
        if limited["left"]:
            limited["left"] -= 1
            seen.append(request)
            return httpx.Response(
                429, headers={"Retry-After": "30" if limited["left"] else "2"}, json={"title": "Too Many"}
            )
        return await answer(request)

    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    adapter = registry_answering(rate_limited, retry_wait_cap_seconds=10, sleep=sleep)
    assert await adapter.by_snils([found]) == {found: [RegistryPerson(person, BORN)]}
    assert waits == [10, 2]  # 30 s asked, capped at 10; then the 2 s asked
    assert len(seen) == 3 and {r.headers["x-api-key"] for r in seen} == {"oms_test_key"}

    always: list[httpx.Request] = []

    async def always_limited(request: httpx.Request) -> httpx.Response:
        always.append(request)
        return httpx.Response(429, headers={"Retry-After": "soon"}, json={"detail": "Превышен лимит"})

    waits.clear()
    with pytest.raises(RegistryUnavailable) as caught:
        await registry_answering(always_limited, rate_limit_retries=2, sleep=sleep).by_snils([found])
    assert caught.value.title == UNAVAILABLE
    assert "429" in caught.value.detail and "Превышен лимит" in caught.value.detail
    assert (len(always), waits) == (3, [1.0, 1.0])  # unreadable Retry-After: 1 s

    # The real wait is taken (a short one here).
    limited["left"] = 1
    started = asyncio.get_running_loop().time()
    fast = registry_answering(rate_limited, retry_wait_cap_seconds=0.2)
    assert await fast.by_snils([found]) == {found: [RegistryPerson(person, BORN)]}
    assert asyncio.get_running_loop().time() - started >= 0.2


# --- through the API: the load's job and the re-matching job -----------------------------------------


@pytest.fixture
async def pharmacy(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, list[dict[str, Any]]]]]:
    url = await fresh_database(service_dir)
    settings = Settings(
        OMS_PHARMACY_DATABASE_URL=url, OMS_PHARMACY_REGISTRY_API_KEY="oms_test_key", env="test"
    )  # type: ignore[call-arg]
    persons: dict[str, list[dict[str, Any]]] = {}
    transport = httpx.MockTransport(searching(persons, []))
    app = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source(), registry_transport=transport)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pharmacy") as c,
    ):
        yield c, persons


async def _report(client: httpx.AsyncClient, auth: dict[str, str], job: dict[str, Any]) -> list[str]:
    output = next(f for f in job["files"] if f["role"] == "output")
    response = await client.get(f"/jobs/{job['id']}/files/{output['id']}", headers=auth)
    assert response.status_code == 200, response.text
    return response.content.decode("utf-8-sig").splitlines()


async def test_the_load_and_the_rematching_through_the_api(
    pharmacy: tuple[httpx.AsyncClient, dict[str, list[dict[str, Any]]]], tokens: TokenFactory
) -> None:
    client, persons = pharmacy
    auth = tokens.auth(roles=["registry_operator"], perms=WRITE, subject="operator")
    found, missing = snils(), snils()
    person = uuid.uuid4()
    persons[found] = [{"id": str(person), "birth_date": "1950-02-01"}]
    headers = {**auth, "Content-Type": "text/csv"}
    started = await client.post(
        "/federal-register/loads",
        params={"as_of": "2026-07-01"},
        content=csv_file(row(found, "082"), row(missing, "081")),
        headers=headers,
    )
    assert started.status_code == 202, started.text
    job = await _finished(client, auth, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["matching"] == {
        "status": "done",
        "title": None,
        "detail": None,
        "matched": 1,
        "unmatched": 1,
        "reasons": {"not_found": 1},
    }
    lines = await _report(client, auth, job)
    assert f"3;не сопоставлен;;{mask_snils(missing)};не найден в регистре застрахованных" in lines
    report = (await client.get(f"/federal-register/loads/{job['result']['load_id']}", headers=auth)).json()
    assert report["matching"]["lines"][0]["reason"] == "not_found"
    card = await client.get(f"/beneficiaries/{person}", headers=auth)
    assert card.status_code == 200 and [e["category_code"] for e in card.json()["entitlements"]] == ["082"]

    persons[missing] = [{"id": str(uuid.uuid4()), "birth_date": "1950-02-01"}]
    reader = tokens.auth(roles=["pharmacist"], perms=["pharmacy.beneficiary:read"])
    assert (await client.post("/federal-register/matching", headers=reader)).status_code == 403
    started = await client.post("/federal-register/matching", headers=auth)
    assert started.status_code == 202, started.text
    job = await _finished(client, auth, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert (job["result"]["matched"], job["result"]["unmatched"], job["result"]["reasons"]) == (1, 0, {})
    card = await client.get(f"/beneficiaries/{persons[missing][0]['id']}", headers=auth)
    assert card.status_code == 200 and [e["category_code"] for e in card.json()["entitlements"]] == ["081"]
