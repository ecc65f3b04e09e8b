"""The printable report of a run as plain data (pure): the title, the lines under it, the
tables and the notes — rendered to XLSX (``xlsx``) and PDF (``pdf``) alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from verification.reports.schemas import RunSavingsRead, RunStatisticsRead
from verification.reports.service import NO_DISTRICT

Cell = str | int | Decimal | None
OUTCOME_TITLES = {
    "keep": "Оставлены в регистре",
    "exclude": "Исключены",
    "update": "Обновлены персональные данные",
    "review": "На проверке у оператора",
}
TITLE = "Статистический отчёт о проверке регистра неработающих застрахованных лиц"


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Cell]]
    sheet: str  # the XLSX sheet name (≤ 31 characters)


@dataclass
class Report:
    title: str
    lines: list[str]
    tables: list[Table]
    notes: list[str] = field(default_factory=list)


def day(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def rubles(amount: Decimal | None) -> str:
    """``1 234 567,89`` (a no-break space between thousands)."""
    if amount is None:
        return "—"
    whole, _, kopecks = f"{amount:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    digits = whole.lstrip("-")
    groups: list[str] = []
    while digits:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    return f"{sign}{' '.join(groups)},{kopecks}"


def period_text(stats: RunStatisticsRead) -> str:
    return f"Проверяемый период: {day(stats.period_from)} – {day(stats.period_to)}"


def build(stats: RunStatisticsRead, savings: RunSavingsRead) -> Report:
    amount_by_reason = {x.key: x.amount for x in savings.by_reason}
    amount_by_district = {x.key: x.amount for x in savings.by_district}
    forecast = savings.forecast
    lines = [
        period_text(stats),
        f"Дата, на которую проверен регистр: {day(stats.as_of)}",
        f"Записей регистра: {stats.entries}",
        f"Исключено лиц: {stats.outcomes['exclude']}, месяцев: {stats.months_excluded}",
        f"Экономия: {rubles(savings.total.amount)} руб.",
    ]
    tables = [
        Table(
            "Итоги проверки",
            ["Итог", "Лиц"],
            [[OUTCOME_TITLES[k], n] for k, n in stats.outcomes.items()],
            "Итоги",
        ),
        Table(
            "Исключённые по основаниям",
            ["Основание", "Лиц", "Месяцев", "Экономия, руб."],
            [
                [r.title, r.persons, r.months, amount_by_reason.get(r.reason, Decimal("0.00"))]
                for r in stats.by_reason
            ],
            "По основаниям",
        ),
        Table(
            "По районам",
            ["Район", "Записей", "Исключено", "Месяцев", "Экономия, руб."],
            [
                [
                    d.district or NO_DISTRICT,
                    d.entries,
                    d.excluded,
                    d.months,
                    amount_by_district.get(d.district, Decimal("0.00")),
                ]
                for d in stats.by_district
            ],
            "По районам",
        ),
        Table(
            "Исключённые по возрасту и полу (возраст на дату проверки)",
            ["Возраст", "Мужчины", "Женщины", "Всего"],
            [[a.age_group, a.male, a.female, a.total] for a in stats.by_age_sex],
            "Возраст и пол",
        ),
        Table(
            "Экономия и прогноз",
            ["Показатель", "Значение"],
            [
                ["Экономия за период, руб.", savings.total.amount],
                ["Исключённых человеко-месяцев", savings.total.months],
                ["Месяцев без тарифа (не оценены)", savings.months_without_tariff],
                ["Актуальный регистр на конец периода, лиц", forecast.actual_register],
                [f"Взнос на одно лицо в {forecast.year} г., руб.", forecast.per_capita],
                [f"Прогноз ассигнований на {forecast.year} г., руб.", forecast.amount],
            ],
            "Экономия",
        ),
    ]
    notes = [n for n in (savings.note, forecast.note) if n] + [forecast.assumption]
    return Report(TITLE, lines, tables, notes)
