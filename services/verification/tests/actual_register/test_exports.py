"""The exports of a finished run: the actual register in CSV, XLSX and XML read back by the
register's own reader and validation equals the entries minus the persons still excluded at
the end of the period (with a changed name applied); the exclusion list with reasons, periods,
evidence and savings per person; audited; org scope, 403 and 409."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from tests.verification_support import Verified, put_tariff, sql, verified  # noqa: F401  (fixture)

from verification.register import open_register
from verification.register.validation import RowErrors, validate_row

TODAY = date(2026, 1, 15)


async def export(v: Verified, path: str, auth: dict[str, str] | None = None) -> tuple[dict[str, Any], bytes]:
    auth = auth or v.auth()
    r = await v.client.get(f"/runs/{v.run_id}/{path}", headers=auth)
    assert r.status_code == 202, r.text
    job_id = r.json()["id"]
    for _ in range(600):
        job = (await v.client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            break
        await asyncio.sleep(0.05)
    assert job["status"] == "succeeded", job
    [file] = [f for f in job["files"] if f["role"] == "output"]
    download = await v.client.get(f"/jobs/{job_id}/files/{file['id']}", headers=auth)
    assert download.status_code == 200
    return job, download.content


def _key(surname: Any, first_name: Any, birth_date: date, snils: Any, enp: Any) -> tuple[Any, ...]:
    return (surname, first_name, birth_date, snils or None, enp or None)


async def _expected(v: Verified) -> set[tuple[Any, ...]]:
    """Entries minus the persons whose excluded months reach December (computed here apart)."""
    rows = await sql(
        v,
        "SELECT e.surname, e.first_name, e.birth_date, e.snils, e.enp, o.outcome, o.periods, "
        "o.evidence->'updates' AS updates FROM register_entry e LEFT JOIN outcome o "
        "ON o.run_id = e.run_id AND o.subject_id = e.subject_id WHERE e.run_id = :r",
        r=uuid.UUID(v.run_id),
    )
    out = set()
    for surname, first, birth, snils, enp, outcome, periods, updates in rows:
        if outcome == "exclude" and any(p["to"] >= "2025-12-31" for p in periods):
            continue
        if outcome == "update":
            surname = updates.get("surname", surname)
        out.add(_key(surname, first, birth, snils, enp))
    return out


def _read_back(path: Path) -> set[tuple[Any, ...]]:
    out = set()
    with open_register(path) as register:
        for row_no, cells in register.rows():
            assert isinstance(cells, dict), cells
            try:
                row = validate_row(row_no, cells, TODAY)
            except RowErrors as exc:  # pragma: no cover - the message says which
                raise AssertionError(f"row {row_no}: {exc}") from exc
            out.add(_key(row.surname, row.first_name, row.birth_date, row.snils, row.enp))
    return out


async def test_the_actual_register_reads_back_as_the_register_minus_exclusions(
    verified: Verified,  # noqa: F811
    tmp_path: Path,
) -> None:
    v = verified
    # A changed surname (an ``update`` outcome) is applied in the file.
    [(kept,)] = await sql(
        v,
        "SELECT e.subject_id FROM register_entry e WHERE e.run_id = :r "
        "AND NOT EXISTS (SELECT 1 FROM outcome o "
        "WHERE o.run_id = e.run_id AND o.subject_id = e.subject_id) ORDER BY e.row_no LIMIT 1",
        r=uuid.UUID(v.run_id),
    )
    await sql(
        v,
        "INSERT INTO outcome (run_id, subject_id, outcome, reason, evidence) VALUES (:r, :s, 'update', "
        "'personal_data_changed', CAST(:e AS jsonb))",
        r=uuid.UUID(v.run_id),
        s=kept,
        e='{"items": [], "updates": {"surname": "Сменилова"}}',
    )
    expected = await _expected(v)
    excluded = v.run["counts"]["outcomes"]["exclude"]
    assert 0 < len(expected) < 400 and len(expected) >= 400 - excluded
    assert any(k[0] == "Сменилова" for k in expected)

    for file_format in ("csv", "xlsx", "xml"):
        job, content = await export(v, f"actual-register?format={file_format}")
        assert job["result"]["persons"] == len(expected) and job["kind"] == "verification.actual_register"
        path = tmp_path / f"actual.{file_format}"
        path.write_bytes(content)
        assert _read_back(path) == expected, file_format
        if file_format == "xml":
            assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<PERS_LIST>')
            assert b"<DATA>2025-12-31</DATA>" in content
    [(audited,)] = await sql(
        v,
        "SELECT count(*) FROM audit_log WHERE action = 'export' AND resource = :res",
        res=f"verification_run:{v.run_id}:actual_register",
    )
    assert audited == 3 * len(expected)


async def test_the_exclusion_list(verified: Verified) -> None:  # noqa: F811
    v = verified
    monthly = await put_tariff(v, 2025)
    rows = await sql(
        v,
        "SELECT e.row_no, o.reason, o.months_excluded FROM outcome o JOIN register_entry e "
        "ON e.run_id = o.run_id AND e.subject_id = o.subject_id "
        "WHERE o.run_id = :r AND o.outcome = 'exclude' "
        "ORDER BY e.row_no",
        r=uuid.UUID(v.run_id),
    )
    _, content = await export(v, "exclusions?format=csv")
    assert content.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [
        (int(t["Строка регистра"]), t["Основание (код)"], int(t["Исключено месяцев"])) for t in table
    ] == [tuple(r) for r in rows]
    for t in table:
        assert Decimal(t["Экономия, руб."]) == monthly * int(t["Исключено месяцев"])
        assert t["Исключённые периоды"] and t["Основание"]
        assert t["Доказательства (источник, вид, дата, вероятность)"]
    dead = [t for t in table if t["Основание (код)"] == "dead"]
    assert dead and all(
        "ЗАГС: zags.death от " in t["Доказательства (источник, вид, дата, вероятность)"] for t in dead
    )
    duplicates = [t for t in table if t["Основание (код)"] == "duplicate"]
    assert all(t["Сохранена запись (для дубля)"] for t in duplicates)

    _, content = await export(v, "exclusions?format=xlsx")
    book = load_workbook(io.BytesIO(content), read_only=True)
    sheet = book["Исключённые"]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Строка регистра" and len(values) == len(rows) + 1
    assert sum(Decimal(str(r[17])) for r in values[1:]) == monthly * sum(r[2] for r in rows)


async def test_problems(verified: Verified) -> None:  # noqa: F811
    v = verified
    other = v.auth(org_id=uuid.uuid4())
    assert (await v.client.get(f"/runs/{v.run_id}/actual-register", headers=other)).status_code == 404
    assert (await v.client.get(f"/runs/{v.run_id}/exclusions", headers=other)).status_code == 404
    nobody = v.auth(perms=frozenset({"verification.source:read"}))
    assert (await v.client.get(f"/runs/{v.run_id}/exclusions", headers=nobody)).status_code == 403
    r = await v.client.get(f"/runs/{v.run_id}/exclusions?format=xml", headers=v.auth())
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["query.format"]
    await sql(
        v, "UPDATE verification_run SET finished_stage = 'rules' WHERE id = :id", id=uuid.UUID(v.run_id)
    )
    try:
        r = await v.client.get(f"/runs/{v.run_id}/actual-register", headers=v.auth())
        assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")
    finally:
        await sql(
            v,
            "UPDATE verification_run SET finished_stage = 'decisions' WHERE id = :id",
            id=uuid.UUID(v.run_id),
        )
