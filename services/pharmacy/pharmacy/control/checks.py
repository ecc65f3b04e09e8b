"""The checks of the medico-economic control that only a batch over dispensed prescriptions can
make, and the sums each violation withholds.

The control re-runs the dispensing checks (``pharmacy.dispensing.checks.prescription_violations_from``
on the day of the dispense, against the drug and quantity given, from facts read for a whole
chunk — ``repository.judged_facts``) and adds:

- ``dispensed_after_validity`` — dispensed after the prescription's term and not accepted for
  deferred service within it;
- ``dispensed_after_death`` — dispensed on or after the person's date of death;
- ``duplicate_across_pharmacies`` — the same prescription (series and number compared as printed:
  case, spaces and dashes aside) dispensed in another pharmacy too;
- ``amount_mismatch`` — the sum claimed is not the sum of the packages' unit prices;
- ``trace_not_reported`` — a dispensed marked package never reported to МДЛП;
- ``trace_rejected`` — the package's report was rejected by МДЛП (or failed to be sent);
- ``funding_mismatch`` — packages of a batch bought from another budget than the
  prescription's funding source (a federal prescription served from regional stock).

Sums: a violation withholds the whole dispense, except ``amount_mismatch`` which withholds the
overcharge only; a dispense withholds the largest of its violations' sums (never more than its
amount)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

DISPENSED_AFTER_VALIDITY = "dispensed_after_validity"
DISPENSED_AFTER_DEATH = "dispensed_after_death"
DUPLICATE_ACROSS_PHARMACIES = "duplicate_across_pharmacies"
AMOUNT_MISMATCH = "amount_mismatch"
TRACE_NOT_REPORTED = "trace_not_reported"
TRACE_REJECTED = "trace_rejected"
FUNDING_MISMATCH = "funding_mismatch"

BATCH_CODES = (
    DISPENSED_AFTER_VALIDITY,
    DISPENSED_AFTER_DEATH,
    DUPLICATE_ACROSS_PHARMACIES,
    AMOUNT_MISMATCH,
    TRACE_NOT_REPORTED,
    TRACE_REJECTED,
    FUNDING_MISMATCH,
)
# A dispensing check the batch states more precisely (the same finding is listed once).
SUPERSEDES = {DISPENSED_AFTER_VALIDITY: "expired", DISPENSED_AFTER_DEATH: "person_dead"}

TITLES = {
    "missing_fields": "Не заполнены обязательные реквизиты рецепта",
    "unknown_form": "Неизвестная форма рецептурного бланка",
    "not_yet_valid": "Отпуск до даты выписки",
    "expired": "Рецепт просрочен",
    "duplicate_number": "Серия и номер рецепта не уникальны",
    "inn_mismatch": "МНН не соответствует выписанному",
    "form_mismatch": "Лекарственная форма не соответствует выписанной",
    "dosage_mismatch": "Дозировка не соответствует выписанной",
    "quantity_mismatch": "Количество не соответствует выписанному",
    "person_dead": "Пациент умер",
    "not_entitled": "Нет права на льготу",
    "not_on_drug_list": "Препарат не входит в перечень категории",
    "nsi_invalid": "Запись НСИ о препарате не действует",
    DISPENSED_AFTER_VALIDITY: "Отпуск после окончания срока действия рецепта",
    DISPENSED_AFTER_DEATH: "Отпуск после даты смерти",
    DUPLICATE_ACROSS_PHARMACIES: "Повторный отпуск по тому же рецепту в другой аптеке",
    AMOUNT_MISMATCH: "Сумма не равна сумме цен упаковок",
    TRACE_NOT_REPORTED: "Выбытие не передано в МДЛП",
    TRACE_REJECTED: "Выбытие отклонено МДЛП",
    FUNDING_MISMATCH: "Отпуск из запасов другого источника финансирования",
}


def title_of(code: str) -> str:
    return TITLES.get(code, code)


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    amount: Decimal


def normal_designation(series: str, number: int) -> str:
    return f"{re.sub(r'[^0-9A-ZА-ЯЁ]', '', series.upper())}/{number}"


def after_validity(
    dispensed_on: date, valid_until: date, deferred_on: date | None, amount: Decimal, designation: str
) -> Finding | None:
    if dispensed_on <= valid_until or (deferred_on is not None and deferred_on <= valid_until):
        return None
    return Finding(
        DISPENSED_AFTER_VALIDITY,
        f"Рецепт {designation} действовал до {valid_until:%d.%m.%Y}, отпущен {dispensed_on:%d.%m.%Y}",
        amount,
    )


def after_death(dispensed_on: date, death_date: date | None, amount: Decimal) -> Finding | None:
    if death_date is None or dispensed_on < death_date:
        return None
    return Finding(
        DISPENSED_AFTER_DEATH,
        f"Отпущено {dispensed_on:%d.%m.%Y}, дата смерти пациента {death_date:%d.%m.%Y}",
        amount,
    )


def amount_check(amount: Decimal, unit_prices: list[Decimal]) -> Finding | None:
    total = sum(unit_prices, Decimal("0.00"))
    if amount == total:
        return None
    over = max(amount - total, Decimal("0.00"))
    return Finding(
        AMOUNT_MISMATCH,
        f"Сумма отпуска {amount:.2f} ₽, сумма цен отпущенных упаковок {total:.2f} ₽",
        over,
    )


FUNDING_NAMES = {"federal": "федеральный бюджет", "regional": "региональный бюджет"}


def funding_check(prescribed: str, batches: dict[str, int], amount: Decimal) -> Finding | None:
    """``batches``: the funding sources of the dispensed packages' batches → packages."""
    foreign = {source: n for source, n in batches.items() if source != prescribed}
    if not foreign:
        return None
    given = ", ".join(f"{FUNDING_NAMES.get(s, s)} — {n} уп." for s, n in sorted(foreign.items()))
    return Finding(
        FUNDING_MISMATCH,
        f"Рецепт за счёт средств: {FUNDING_NAMES.get(prescribed, prescribed)}; отпущено из запасов: {given}",
        amount,
    )


def trace_checks(statuses: dict[str, str | None], amount: Decimal) -> list[Finding]:
    """``statuses``: each dispensed SGTIN → the best status of its МДЛП reports (None — none)."""
    missing = sorted(s for s, st in statuses.items() if st is None)
    refused = sorted(s for s, st in statuses.items() if st in ("rejected", "failed"))
    found: list[Finding] = []
    if missing:
        found.append(
            Finding(TRACE_NOT_REPORTED, f"Не переданы в МДЛП упаковки: {', '.join(missing)}", amount)
        )
    if refused:
        found.append(
            Finding(
                TRACE_REJECTED, f"МДЛП не приняла сведения о выбытии упаковок: {', '.join(refused)}", amount
            )
        )
    return found


def withheld_of(amount: Decimal, findings: list[Finding]) -> Decimal:
    if not findings:
        return Decimal("0.00")
    return min(amount, max(f.amount for f in findings))
