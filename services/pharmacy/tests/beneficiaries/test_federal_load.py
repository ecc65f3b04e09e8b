"""The federal register's load: CSV (windows-1251) and XML read into lines, bad lines reported
with their number and field, the diff against the register (new, changed, ended), the year's
refusals of the in-kind benefit, an idempotent re-load, audit rows; and the whole path through
the API as a job with its progress and report."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
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
from oms_kit.testing.tokens import TokenFactory
from pharmacy.beneficiaries import service
from pharmacy.beneficiaries.federal_file import RegisterFileError, read_register
from pharmacy.config import Settings
from pharmacy.main import create_app
from pharmacy.models import Beneficiary, Entitlement, InKindRefusal

from .support import WRITE

HEADER = (
    "СНИЛС;Фамилия;Имя;Отчество;ДатаРождения;Пол;КодЛьготы;ДатаНачала;ДатаОкончания;"
    "ВидДокумента;СерияДокумента;НомерДокумента;ДатаДокумента;КемВыдан;ОтказНСУ;КодРегиона"
)
OPERATOR = Principal(subject="operator", org_id=uuid.uuid4(), roles=frozenset({"registry_operator"}))


def snils() -> str:
    return complete_snils(str(random.randint(200_000_000, 999_999_999)))


def row(s: str, code: str, start: str = "01.01.2026", end: str = "", refused: str = "0", **kw: str) -> str:
    number = kw.get("number", "1234567")
    return (
        f"{s};Сидоров;Иван;Петрович;01.02.1950;М;{code};{start};{end};Справка МСЭ;МСЭ-2019;{number};"
        f"20.12.2025;Бюро МСЭ № 3;{refused};{kw.get('region', '')}"
    )


def csv_file(*rows: str) -> bytes:
    return "\r\n".join([HEADER, *rows]).encode("cp1251")


async def load(session: AsyncSession, data: bytes, as_of: date = date(2026, 7, 1)) -> Any:
    return await service.apply_federal_register(
        session, read_register(data), as_of=as_of, file_name="reg.csv", data=data, actor=OPERATOR
    )


async def test_the_diff_the_bad_lines_and_an_idempotent_reload(session: AsyncSession) -> None:
    a, b, c = snils(), snils(), snils()
    first = csv_file(
        row(a, "082"),
        row(b, "010", refused="1"),
        row(c, "030"),
        "123;Плохой;СНИЛС;;;;082;01.01.2026;;;;;;;0;",
        row(snils(), "r-diabetes"),  # a regional code is not the federal register's
        row(snils(), "083", start="31.02.2026"),
    )
    loaded = await load(session, first)
    assert (loaded.lines, loaded.new, loaded.changed, loaded.ended, loaded.unchanged) == (6, 3, 0, 0, 0)
    assert loaded.refusals == 1
    assert [(p["line"], p["field"]) for p in loaded.problems] == [
        (5, "СНИЛС"),
        (6, "КодЛьготы"),
        (7, "ДатаНачала"),
    ]
    assert "123" not in str(loaded.problems)  # the SNILS is masked in the report

    again = await load(session, first)
    assert (again.new, again.changed, again.ended, again.unchanged) == (0, 0, 0, 3)

    second = csv_file(row(a, "082", number="7654321"), row(b, "010"), row(snils(), "084", region="77"))
    diff = await load(session, second)
    assert (diff.new, diff.changed, diff.ended, diff.unchanged) == (1, 1, 1, 1)
    assert {(x["kind"], x["category"]) for x in diff.changes} == {
        ("new", "084"),
        ("changed", "082"),
        ("ended", "030"),
    }
    ended = await session.scalar(select(Entitlement.valid_to).join(Beneficiary).where(Beneficiary.snils == c))
    assert ended == date(2026, 6, 30)
    refusals = await session.scalar(
        select(func.count()).select_from(InKindRefusal).join(Beneficiary).where(Beneficiary.snils == b)
    )
    assert refusals == 0  # the later file no longer lists b as refusing
    other = await session.scalar(
        select(Beneficiary.home_region).where(
            Beneficiary.surname == "Сидоров", Beneficiary.home_region.is_not(None)
        )
    )
    assert other == "77"


async def test_a_known_person_is_matched_by_snils_and_audited(session: AsyncSession) -> None:
    s, person = snils(), uuid.uuid4()
    session.add(
        Beneficiary(
            id=uuid.uuid4(), person_id=person, snils=s, surname="Сидоров", first_name="Иван", source="manual"
        )
    )
    await session.flush()
    loaded = await load(session, csv_file(row(s, "081")))
    assert loaded.new == 1
    answer = await service.entitlement(session, OPERATOR, person, date(2026, 7, 1))
    assert [c.code for c in answer.categories] == ["081"]
    imports = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.person_id == person, AuditRecord.action == "import")
    )
    assert imports == 1


def test_the_xml_shape_in_utf8_and_windows_1251() -> None:
    s = snils()
    bad = f"{s[:9]}{(int(s[9:]) + 1) % 100:02d}"  # the check number off by one
    xml = f"""<?xml version="1.0" encoding="windows-1251"?>
<РегистрЛьготников ДатаФормирования="2026-07-01" КодРегиона="99">
  <Льготник СНИЛС="{s}" Фамилия="Сидоров" Имя="Иван" Отчество="Петрович" ДатаРождения="1950-02-01"
            Пол="М" ОтказНСУ="1">
    <Льгота Код="082" ДатаНачала="2026-01-01" ДатаОкончания="2026-12-31">
      <Документ Вид="Справка МСЭ" Серия="МСЭ-2019" Номер="1234567" Дата="2025-12-20" КемВыдан="Бюро МСЭ № 3"/>
    </Льгота>
    <Льгота Код="030" ДатаНачала="2019-05-01"/>
  </Льготник>
  <Льготник СНИЛС="{bad}" Фамилия="Иванов" Имя="Пётр"><Льгота Код="081" ДатаНачала="2026-01-01"/></Льготник>
</РегистрЛьготников>"""
    parsed = read_register(xml.encode("cp1251"))
    assert parsed.as_of == date(2026, 7, 1) and parsed.encoding == "cp1251"
    assert [(ln.category, ln.valid_to, ln.refused_in_kind, ln.document_number) for ln in parsed.lines] == [
        ("082", date(2026, 12, 31), True, "1234567"),
        ("030", None, True, None),
    ]
    assert [(p.line, p.field) for p in parsed.problems] == [(3, "СНИЛС")]
    utf8 = read_register(xml.replace("windows-1251", "UTF-8").encode("utf-8"))
    assert utf8.lines == parsed.lines
    with pytest.raises(RegisterFileError):
        read_register(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>')
    with pytest.raises(RegisterFileError, match="колонок"):
        read_register("Фамилия;Имя\nА;Б".encode())


@pytest.fixture
async def pharmacy(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[httpx.AsyncClient]:
    url = await fresh_database(service_dir)
    settings = Settings(OMS_PHARMACY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://pharmacy") as client:
            yield client


async def _finished(client: httpx.AsyncClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    job: dict[str, Any] = {}
    for _ in range(600):
        job = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish: {job}")


async def test_the_load_runs_as_a_job_and_reports(pharmacy: httpx.AsyncClient, tokens: TokenFactory) -> None:
    auth = tokens.auth(roles=["registry_operator"], perms=WRITE, subject="operator")
    data = csv_file(row(snils(), "082"), row(snils(), "091"), "bad;line")
    headers = {**auth, "Content-Type": "text/csv", "Content-Disposition": 'attachment; filename="frl.csv"'}
    reader = tokens.auth(roles=["pharmacist"], perms=["pharmacy.beneficiary:read"])
    denied = await pharmacy.post(
        "/federal-register/loads", content=data, headers={**reader, "Content-Type": "text/csv"}
    )
    assert denied.status_code == 403
    started = await pharmacy.post(
        "/federal-register/loads", params={"as_of": "2026-07-01"}, content=data, headers=headers
    )
    assert started.status_code == 202, started.text
    job = await _finished(pharmacy, auth, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert (job["result"]["new"], job["result"]["problems"]) == (2, 1)
    output = next(f for f in job["files"] if f["role"] == "output")
    csv_report = await pharmacy.get(f"/jobs/{job['id']}/files/{output['id']}", headers=auth)
    assert csv_report.status_code == 200, csv_report.text
    lines = csv_report.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Строка;Вид;КодЛьготы;СНИЛС;Сообщение"
    assert sorted(line.split(";")[1] for line in lines[1:]) == [
        "новая льгота",
        "новая льгота",
        "ошибка строки",
        "сопоставление не выполнено",  # no registry configured: the lines stay without a person
    ]
    assert job["result"]["matching"]["status"] == "unavailable"
    assert "OMS_PHARMACY_REGISTRY_URL" in lines[-1]
    report = await pharmacy.get(f"/federal-register/loads/{job['result']['load_id']}", headers=auth)
    assert report.status_code == 200
    assert report.json()["problems"][0]["line"] == 4
    again = await pharmacy.post(
        "/federal-register/loads", params={"as_of": "2026-07-01"}, content=data, headers=headers
    )
    rerun = await _finished(pharmacy, auth, again.json()["id"])
    assert (rerun["result"]["new"], rerun["result"]["unchanged"]) == (0, 2)

    broken = await pharmacy.post("/federal-register/loads", content=b"<not xml", headers=headers)
    failed = await _finished(pharmacy, auth, broken.json()["id"])
    assert failed["status"] == "failed"
    assert "XML" in failed["error"]["detail"]
