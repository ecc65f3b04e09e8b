"""The Splink comparisons and blocking rules of person linkage, as plain settings dicts.

Plain dicts (not Splink's creator objects) so the trained model is one JSON document that
``load()`` reads back without this module. Names are compared on the normalised,
one-ASCII-character-per-letter forms (``normalise.py``), so Levenshtein and Jaro-Winkler
count letters. Damerau-Levenshtein is not used: ~6× slower in DuckDB for the same accuracy.
"""

from __future__ import annotations

from typing import Any

Level = dict[str, Any]
Comparison = dict[str, Any]


def null_level(column: str) -> Level:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "нет данных",
        "is_null_level": True,
    }


def level(sql: str, label: str) -> Level:
    return {"sql_condition": sql, "label_for_charts": label}


def else_level() -> Level:
    return {"sql_condition": "ELSE", "label_for_charts": "не совпадает"}


def exact_level(column: str) -> Level:
    return level(f'"{column}_l" = "{column}_r"', "совпадает")


def identifier_comparison(column: str, *, typo_level: bool = False, personal: bool = True) -> Comparison:
    """An identifier: equal is strong evidence, different is evidence against, absent is neutral.

    A ``personal`` identifier (SNILS, ENP, a document) is shared by two persons too rarely for
    random sampling to see it: its u is fixed (one pair in a million; a mistyped digit ten
    times as often) and only m is estimated. Shared codes (a postcode) are sampled as usual.
    """
    fixed_u = {"fix_u_probability": True} if personal else {}
    exact = exact_level(column) | ({"u_probability": 1e-6} | fixed_u if personal else {})
    levels = [null_level(column), exact]
    if typo_level:
        typo = level(f'levenshtein("{column}_l", "{column}_r") <= 1', "одна цифра отличается")
        levels.append(typo | ({"u_probability": 1e-5} | fixed_u if personal else {}))
    levels.append(else_level())
    return {"output_column_name": column, "comparison_levels": levels}


def name_comparison(
    column: str,
    *,
    parts_column: str | None = None,
    changed_if: str | None = None,
    jw: float = 0.9,
) -> Comparison:
    """A name: exact / a part of a double name / one letter / Jaro-Winkler / two letters / else.

    ``changed_if`` (SQL on both sides) splits the disagreement level in two, so that a
    disagreement which often happens between true matches (a woman's surname changed by
    marriage) is weighed apart from the others instead of killing the match.
    """
    levels = [null_level(column), exact_level(column)]
    if parts_column:
        levels.append(
            level(
                f'(len("{parts_column}_l") > 1 OR len("{parts_column}_r") > 1) '
                f'AND list_has_any("{parts_column}_l", "{parts_column}_r")',
                "совпадает часть двойной фамилии",
            )
        )
    levels += [
        level(f'levenshtein("{column}_l", "{column}_r") <= 1', "одна буква отличается"),
        level(
            f'jaro_winkler_similarity("{column}_l", "{column}_r") >= {jw}', f"похожи (Джаро-Винклер ≥ {jw})"
        ),
        level(f'levenshtein("{column}_l", "{column}_r") <= 2', "две буквы отличаются"),
    ]
    if changed_if:
        levels.append(level(changed_if, "другая (возможна смена фамилии)"))
    levels.append(else_level())
    return {"output_column_name": column, "comparison_levels": levels}


def birth_date_comparison(column: str = "dob", output_name: str = "birth_date") -> Comparison:
    """A birth date as ``YYYYMMDD`` text: exact / day and month swapped / one digit / year ±1."""
    left, right = f'"{column}_l"', f'"{column}_r"'
    swapped_right = f"substr({right}, 1, 4) || substr({right}, 7, 2) || substr({right}, 5, 2)"
    year_gap = f"abs(TRY_CAST(substr({left}, 1, 4) AS INTEGER) - TRY_CAST(substr({right}, 1, 4) AS INTEGER))"
    return {
        "output_column_name": output_name,
        "comparison_levels": [
            null_level(column),
            exact_level(column),
            level(f"{left} = {swapped_right}", "день и месяц переставлены"),
            level(f"levenshtein({left}, {right}) <= 1", "одна цифра отличается"),
            level(f"substr({left}, 5, 4) = substr({right}, 5, 4) AND {year_gap} = 1", "год отличается на 1"),
            level(f"levenshtein({left}, {right}) <= 2", "две цифры отличаются"),
            else_level(),
        ],
    }


def person_comparisons() -> list[Comparison]:
    """The comparisons of the person model (register ↔ register and register ↔ source)."""
    return [
        identifier_comparison("snils", typo_level=True),
        identifier_comparison("enp"),
        identifier_comparison("document"),
        name_comparison(
            "surname",
            parts_column="surname_parts",
            changed_if="\"sex_l\" = 'f' AND \"sex_r\" = 'f'",
        ),
        name_comparison("first_name", jw=0.88),
        name_comparison("patronymic", jw=0.88),
        birth_date_comparison(),
        {
            "output_column_name": "sex",
            "comparison_levels": [null_level("sex"), exact_level("sex"), else_level()],
        },
        # The district of residence: records of one person mostly share it, namesakes rarely.
        identifier_comparison("district", personal=False),
    ]


# Candidate pairs: each rule is cheap (blocks of a few records), together they catch the
# duplicates a single key would miss: a changed surname (birth date + first letter), a
# typo in the birth date (the three names), a typo in a name and a date (name key + year).
PREDICTION_BLOCKING_RULES: list[str] = [
    "l.snils = r.snils",
    "l.enp = r.enp",
    "l.document = r.document",
    "l.dob = r.dob AND left(l.first_name, 1) = left(r.first_name, 1)",
    "l.surname = r.surname AND l.first_name = r.first_name AND l.patronymic = r.patronymic",
    "l.name_key = r.name_key AND l.birth_year = r.birth_year",
    "l.dob_swapped = r.dob AND l.first_name = r.first_name",
    "l.dob = r.dob_swapped AND l.first_name = r.first_name",
    # Two errors in one pair (mostly two later records of one person, each with its own):
    "l.dob = r.dob AND l.surname = r.surname",
    "l.first_name = r.first_name AND l.patronymic = r.patronymic AND left(l.dob, 6) = left(r.dob, 6)",
    "l.surname = r.surname AND l.first_name = r.first_name AND right(l.dob, 4) = right(r.dob, 4)",
]

# EM training: m of a comparison is estimated only from a rule that does not use its columns,
# so each comparison is free in at least one of these (names in 1 and 3, the date in 2).
TRAINING_BLOCKING_RULES: list[str] = [
    "l.dob = r.dob AND l.patronymic = r.patronymic",
    "l.surname = r.surname AND l.first_name = r.first_name AND l.patronymic = r.patronymic",
    "l.dob = r.dob AND l.first_name = r.first_name",
]

DETERMINISTIC_RULES: list[str] = [
    "l.snils = r.snils AND l.dob = r.dob",
    "l.surname = r.surname AND l.first_name = r.first_name AND l.patronymic = r.patronymic AND l.dob = r.dob",
]
