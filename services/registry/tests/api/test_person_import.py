"""The register import job end to end on a database of its own: CSV (UTF-8 with and without
BOM, windows-1251, «;» and «,») and XLSX, the per-row error report with the valid rows kept,
an idempotent re-run of the same job, and files that are not a register."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.api.person_import_support import (
    XLSX,
    Register,
    csv_bytes,
    import_file,
    output,
    person_row,
    register_app,
    tfoms,
    wait_job,
)

from oms_kit.jobs import wake_runners
from oms_kit.testing.tokens import TokenFactory


@pytest.fixture
async def register(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[Register]:
    async with register_app(service_dir, fresh_database, tokens) as reg:
        yield reg


async def _by_snils(register: Register, auth: dict[str, str], snils: str) -> list[dict[str, object]]:
    found = await register.client.get(f"/persons?snils={snils}", headers=auth)
    assert found.status_code == 200, found.text
    items: list[dict[str, object]] = found.json()["items"]
    return items


async def test_csv_rows_become_persons_and_bad_rows_are_reported(
    register: Register, tokens: TokenFactory
) -> None:
    auth = tfoms(tokens)
    married = person_row(previous_surname="Петрова", surname_from="2010-06-12")
    plain = person_row(surname="Ёлкин", first_name="Пётр", patronymic="", sex="М", document_type="")
    plain |= {"document_series": "", "document_number": "", "document_issue_date": ""}
    bad_snils = person_row(snils="123-456-789 00")
    future = person_row(birth_date="2999-01-01", enp="1234567890123456")
    unknown_doc = person_row(document_type="99")
    same_snils = person_row(snils=married["snils"])
    unknown_policy = person_row(policy_type="9")
    rows = [married, plain, bad_snils, future, unknown_doc, same_snils, unknown_policy]
    job = await import_file(register.client, auth, csv_bytes(rows))
    assert job["status"] == "succeeded", job
    result = job["result"]
    report = (await output(register.client, auth, job, "errors")).decode("utf-8-sig").splitlines()
    assert result["rows_total"] == 7 and result["imported"] == 2 and result["rejected"] == 5, report
    assert result["file_format"] == "csv"

    report = (await output(register.client, auth, job, "errors")).decode("utf-8-sig").splitlines()
    assert report[0] == "Строка;Поле;Наименование поля;Ошибка"
    assert "4;snils;СНИЛС;СНИЛС должен состоять из 11 цифр с верным контрольным числом" in report
    assert "5;birth_date;Дата рождения;Дата не может быть в будущем" in report
    assert any(line.startswith("5;enp;") for line in report)
    assert "6;document_type;Вид документа (F011);Кода «99» нет в справочнике видов документов F011" in report
    assert any(line.startswith("7;snils;") and "уже принадлежит" in line for line in report)
    assert any(line.startswith("8;policy_type;") and "F008" in line for line in report), report

    [found] = await _by_snils(register, auth, married["snils"])
    assert found["surname"] == "Соколова" and found["enp"] == married["enp"]
    person = (await register.client.get(f"/persons/{found['id']}", headers=auth)).json()
    assert person["insurance"]["insurer_id"] == str(register.insurer_id)
    assert person["attachment"]["mo_id"] == str(register.mo_id) and person["attachment"]["area_code"] == "07"
    assert person["documents"][0]["type"] == "14" and person["employment"] == "working"
    assert person["addresses"][0]["valid_from"] == "2012-03-01"
    before = (await register.client.get(f"/persons/{found['id']}?on=2009-01-01", headers=auth)).json()
    assert before["name"]["surname"] == "Петрова"  # the maiden name, on a date before the marriage
    [elkin] = await _by_snils(register, auth, plain["snils"])
    assert elkin["sex"] == "male" and elkin["first_name"] == "Пётр"
    # search by name with a typo finds the imported person (the projection is written too)
    by_name = await register.client.get(
        "/persons?surname=Саколова&first_name=Мария&birth_date=1985-07-21", headers=auth
    )
    assert any(p["id"] == found["id"] for p in by_name.json()["items"])


@pytest.mark.parametrize(
    ("encoding", "delimiter", "bom"), [("utf-8", ",", True), ("cp1251", ";", False), ("utf-8", ";", False)]
)
async def test_csv_encodings_and_delimiters(
    register: Register, tokens: TokenFactory, encoding: str, delimiter: str, bom: bool
) -> None:
    auth = tfoms(tokens)
    row = person_row(surname="Щёголева", birth_place="с. Озёрное, «Заречный» р-н")
    body = csv_bytes([row], delimiter=delimiter, encoding=encoding)
    job = await import_file(register.client, auth, (b"\xef\xbb\xbf" if bom else b"") + body)
    assert job["status"] == "succeeded" and job["result"]["imported"] == 1, job
    [found] = await _by_snils(register, auth, row["snils"])
    assert found["surname"] == "Щёголева"
    person = (await register.client.get(f"/persons/{found['id']}", headers=auth)).json()
    assert person["birth_place"] == "с. Озёрное, «Заречный» р-н"


async def test_xlsx_with_date_and_number_cells(register: Register, tokens: TokenFactory) -> None:
    from datetime import datetime

    from tests.api.person_import_support import xlsx_bytes

    auth = tfoms(tokens)
    row = person_row(birth_date=datetime(1979, 2, 3), policy_type=3)
    row["snils"] = int(row["snils"])  # a spreadsheet keeps digits as a number
    bad = person_row(sex="X")
    job = await import_file(register.client, auth, xlsx_bytes([row, bad]), XLSX)
    assert job["status"] == "succeeded", job
    assert job["result"] | {"file_format": "xlsx"} == job["result"]
    assert job["result"]["imported"] == 1 and job["result"]["rejected"] == 1
    [found] = await _by_snils(register, auth, f"{row['snils']:011d}")
    assert found["birth_date"] == "1979-02-03"


async def test_a_rerun_of_the_same_job_adds_nobody_twice(register: Register, tokens: TokenFactory) -> None:
    auth = tfoms(tokens)
    rows = [person_row() for _ in range(7)] + [person_row(snils="СНИЛС нет")]
    job = await import_file(register.client, auth, csv_bytes(rows))
    assert job["result"]["imported"] == 7
    # As after a crash: the runner takes the same job (same parameters, same file) again.
    engine = create_async_engine(register.url)
    async with engine.begin() as conn:
        await conn.execute(
            text("UPDATE job SET status = 'queued', finished_at = NULL, result = NULL WHERE id = :id"),
            {"id": job["id"]},
        )
    wake_runners()
    again = await wait_job(register.client, auth, job["id"])
    async with engine.connect() as conn:
        persons = (await conn.execute(text("SELECT count(*) FROM person"))).scalar_one()
        facts = (
            await conn.execute(text("SELECT count(*) FROM person_fact WHERE kind = 'name'"))
        ).scalar_one()
    await engine.dispose()
    assert again["status"] == "succeeded", again
    assert again["result"]["imported"] == 0 and again["result"]["already_imported"] == 7
    assert again["result"]["rejected"] == 1
    assert persons == 7 and facts == 7


async def test_files_that_are_not_a_register(register: Register, tokens: TokenFactory) -> None:
    auth = tfoms(tokens)
    pdf = await import_file(register.client, auth, b"%PDF-1.7\n\x00\x01binary")
    assert pdf["status"] == "failed" and pdf["error"]["title"] == "Файл не распознан"
    assert "CSV или XLSX" in pdf["error"]["detail"]
    broken_xlsx = await import_file(register.client, auth, b"PK\x03\x04 not really a zip", XLSX)
    assert broken_xlsx["status"] == "failed" and "XLSX" in broken_xlsx["error"]["detail"]
    no_header = await import_file(register.client, auth, b"a;b\n1;2\n")
    assert no_header["status"] == "failed" and "заголовок" in no_header["error"]["detail"]
    missing = await import_file(register.client, auth, "surname;first_name\nИванов;Иван\n".encode())
    assert missing["status"] == "failed" and "birth_date" in missing["error"]["detail"]
    wrong_type = await register.client.post(
        "/persons/imports", content=b"x", headers={**auth, "Content-Type": "application/pdf"}
    )
    assert wrong_type.status_code == 415


async def test_too_large_an_upload_is_refused_before_reading(
    register: Register, tokens: TokenFactory
) -> None:
    auth = tfoms(tokens)
    response = await register.client.post(
        "/persons/imports",
        content=b"surname",
        headers={**auth, "Content-Type": "text/csv", "Content-Length": str(2 * 1024**3)},
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_import_needs_the_write_permission(register: Register, tokens: TokenFactory) -> None:
    reader = tokens.auth(roles=["tfoms_analyst"], perms=["registry.person:read"])
    response = await register.client.post(
        "/persons/imports", content=csv_bytes([person_row()]), headers={**reader, "Content-Type": "text/csv"}
    )
    assert response.status_code == 403
