"""Age bands of the attached population: the child ages the pediatric areas split (under one
year, preschool, school, adolescents) and ten-year bands of adults, ending with 80+."""

from __future__ import annotations

from collections.abc import Iterable

from registry.mo_register.areas.schemas import AgeSexGroup, AreaPopulation

AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 6),
    (7, 14),
    (15, 17),
    (18, 29),
    (30, 39),
    (40, 49),
    (50, 59),
    (60, 69),
    (70, 79),
    (80, None),
)


def band_label(age_from: int, age_to: int | None) -> str:
    if age_to is None:
        return f"{age_from}+"
    return str(age_from) if age_from == age_to else f"{age_from}–{age_to}"


def groups(counts: Iterable[tuple[int, str, int]]) -> list[AgeSexGroup]:
    """Every band (empty ones too) from ``(age_from, sex, count)`` rows."""
    by_band: dict[int, dict[str, int]] = {}
    for age_from, sex, count in counts:
        by_band.setdefault(age_from, {})[sex] = by_band.get(age_from, {}).get(sex, 0) + count
    out = []
    for age_from, age_to in AGE_BANDS:
        sexes = by_band.get(age_from, {})
        male, female = sexes.get("male", 0), sexes.get("female", 0)
        out.append(
            AgeSexGroup(
                age_from=age_from,
                age_to=age_to,
                label=band_label(age_from, age_to),
                male=male,
                female=female,
                total=male + female,
            )
        )
    return out


def area_population(
    area_code: str | None, area_id: object, on: object, counts: list[tuple[int, str, int]]
) -> AreaPopulation:
    groups_ = groups(counts)
    return AreaPopulation.model_validate(
        {
            "area_code": area_code,
            "area_id": area_id,
            "on": on,
            "total": sum(g.total for g in groups_),
            "groups": groups_,
        }
    )
