"""Database rows → the cells of the exported files (pure): the register columns as the TFOMS
file holds them, and the exclusion list's columns in Russian."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from verification.register.columns import COLUMNS
from verification.rules import REASON_TITLES

SEX_LETTERS = {"male": "М", "female": "Ж"}
SOURCE_TITLES = {
    "zags": "ЗАГС",
    "sfr": "СФР",
    "fns": "ФНС",
    "mvd": "МВД",
    "military": "Военный комиссариат",
    "register": "Регистр (дубль)",
}

EXCLUSION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_no", "Строка регистра"),
    ("surname", "Фамилия"),
    ("first_name", "Имя"),
    ("patronymic", "Отчество"),
    ("birth_date", "Дата рождения"),
    ("sex", "Пол"),
    ("snils", "СНИЛС"),
    ("enp", "ЕНП"),
    ("district", "Район"),
    ("reason", "Основание (код)"),
    ("reason_title", "Основание"),
    ("reasons", "Все основания"),
    ("months_excluded", "Исключено месяцев"),
    ("periods", "Исключённые периоды"),
    ("evidence", "Доказательства (источник, вид, дата, вероятность)"),
    ("duplicate_of", "Сохранена запись (для дубля)"),
    ("decided_by", "Решение"),
    ("savings", "Экономия, руб."),
    ("months_without_tariff", "Месяцев без тарифа"),
)


def _day(value: Any) -> str | None:
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, str) and value:
        return date.fromisoformat(value).strftime("%d.%m.%Y")
    return None


def register_cells(row: Mapping[str, Any]) -> dict[str, Any]:
    """One person of the actual register by column code, the outcome's new personal data
    applied (a name change, a new passport)."""
    values: dict[str, Any] = {c: row[c] for c in COLUMNS}
    for field, value in (row.get("updates") or {}).items():
        if field in values:
            values[field] = value
    values["birth_date"] = _day(values["birth_date"])
    values["sex"] = SEX_LETTERS.get(values["sex"], values["sex"])
    return values


def periods_text(periods: list[dict[str, Any]]) -> str:
    parts = []
    for p in periods:
        title = REASON_TITLES.get(p["reason"], p["reason"])
        parts.append(f"{_day(p['from'])}–{_day(p['to'])} ({title}, {p['months']} мес.)")
    return "; ".join(parts)


def evidence_text(evidence: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]]) -> str:
    """The accepted facts and pairs an exclusion rests on: source, kind, date, probability."""
    parts = []
    for item in evidence.get("items", []):
        if item.get("status") not in ("auto", "confirmed"):
            continue
        record = records.get(item.get("record_id") or "")
        if record:
            source = SOURCE_TITLES.get(record["source"], record["source"])
        else:  # a fact without a source record names its source (the registry), else a duplicate
            source = item.get("source") or SOURCE_TITLES["register"]
        kind = item.get("kind") or (record["kind"] if record else "duplicate")
        when = _day(item.get("date_from"))
        confirmed = ", подтверждено оператором" if item["status"] == "confirmed" else ""
        parts.append(
            f"{source}: {kind}"
            + (f" от {when}" if when else "")
            + f", p={item['match_probability']:.3f}{confirmed}"
        )
    return "; ".join(parts)


def exclusion_cells(row: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]]) -> list[Any]:
    values = {
        **{c: row[c] for c in ("row_no", "surname", "first_name", "patronymic", "snils", "enp", "district")},
        "birth_date": _day(row["birth_date"]),
        "sex": SEX_LETTERS.get(row["sex"], row["sex"]),
        "reason": row["reason"],
        "reason_title": REASON_TITLES.get(row["reason"] or "", row["reason"]),
        "reasons": ", ".join(REASON_TITLES.get(r, r) for r in row["reasons"] or []),
        "months_excluded": row["months_excluded"],
        "periods": periods_text(row["periods"]),
        "evidence": evidence_text(row["evidence"], records),
        "duplicate_of": str(row["duplicate_of"]) if row["duplicate_of"] else None,
        "decided_by": "правило" if row["decided_by"] == "rule" else f"оператор {row['decided_by']}",
        "savings": Decimal(row["savings"]),
        "months_without_tariff": row["months_without_tariff"],
    }
    return [values[c] for c, _ in EXCLUSION_COLUMNS]
