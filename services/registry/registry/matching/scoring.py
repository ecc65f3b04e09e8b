"""The scorer: two profiles → per-field agreement levels → Fellegi–Sunter total and grade.

Pure functions, no database: the unit tests drive them with hand-made Russian examples and
the scan, the match endpoint and the quality measurement all score the same way."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from registry.matching import normalize
from registry.matching.weights import WEIGHTS, Grade, grade_of

FIELD_TITLES = {
    "surname": "Фамилия",
    "first_name": "Имя",
    "patronymic": "Отчество",
    "birth_date": "Дата рождения",
    "sex": "Пол",
    "snils": "СНИЛС",
    "enp": "ЕНП",
    "document": "Документ",
}
LEVEL_TEXTS = {
    "exact": "совпадает",
    "part": "совпадает часть двойной фамилии",
    "former": "совпадает с прежней фамилией",
    "close": "отличается одной буквой",
    "similar": "похожа",
    "disagree": "не совпадает",
    "disagree_female": "не совпадает (возможна смена фамилии)",
    "swapped": "переставлены день и месяц",
    "one_digit": "отличается одной цифрой",
    "transposed": "переставлены две соседние цифры",
    "agree": "совпадает",
}


@dataclass(frozen=True)
class Profile:
    """What the matcher knows of a person (or of a request): normal forms of the name parts,
    earlier surnames, birth date, sex, identifiers; ``documents`` as ``(type, key)``."""

    person_id: uuid.UUID | None = None
    oip: int | None = None
    surname: str = ""
    first_name: str = ""
    patronymic: str = ""
    former_surnames: frozenset[str] = frozenset()
    birth_date: date | None = None
    sex: str | None = None
    snils: str | None = None
    enp: str | None = None
    documents: frozenset[tuple[str, str]] = frozenset()
    latin: bool = False  # the name was typed in Latin letters


def profile(
    *,
    surname: str | None = None,
    first_name: str | None = None,
    patronymic: str | None = None,
    former_surnames: Iterable[str] = (),
    person_id: uuid.UUID | None = None,
    oip: int | None = None,
    birth_date: date | None = None,
    sex: str | None = None,
    snils: str | None = None,
    enp: str | None = None,
    documents: Iterable[tuple[str, str]] = (),
) -> Profile:
    """A profile from raw name parts (Cyrillic in any case, or Latin)."""
    norm = normalize.normal(surname)
    return Profile(
        person_id=person_id,
        oip=oip,
        surname=norm,
        first_name=normalize.normal(first_name),
        patronymic=normalize.normal(patronymic),
        former_surnames=frozenset(
            n for n in (normalize.normal(s) for s in former_surnames) if n and n != norm
        ),
        birth_date=birth_date,
        sex=sex,
        snils=snils or None,
        enp=enp or None,
        documents=frozenset(documents),
        latin=any(normalize.has_latin(p) for p in (surname, first_name, patronymic)),
    )


@dataclass(frozen=True)
class Reason:
    field: str
    level: str
    weight: float
    detail: str


@dataclass
class Scored:
    score: float
    grade: Grade | None
    reasons: list[Reason] = field(default_factory=list)


def _word_level(a: str, b: str, *, latin: bool = False) -> str:
    """exact: the same name however spelt or transliterated (the skeletons agree); close: one
    typo — one edit or swap of neighbours, on what was typed or on the folded letters (and on
    the skeletons when a side was typed in Latin letters); two in a name of 8 letters or more;
    similar: Jaro–Winkler ≥ 0.85 of the folded letters (or skeletons); else disagree.

    Typos are not counted on the skeletons of two Cyrillic spellings: я→иа would make «Мария»
    («МАРИА») one letter from «Марина»."""
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return "exact"
    sa, sb = normalize.skeleton(a), normalize.skeleton(b)
    if sa == sb or sa.replace(" ", "") == sb.replace(" ", ""):
        return "exact"
    forms = [(normalize.fold(a), normalize.fold(b))] + ([(sa, sb)] if latin else [])
    edits = min(normalize.distance(x, y) for x, y in [(a, b), *forms])
    shorter = min(len(a), len(b))
    if (edits <= 1 and shorter >= 3) or (edits <= 2 and shorter >= 8):
        return "close"
    if max(normalize.jaro_winkler(x, y) for x, y in forms) >= 0.85:
        return "similar"
    return "disagree"


def surname_level(a: Profile, b: Profile) -> str:
    latin = a.latin or b.latin
    level = _word_level(a.surname, b.surname, latin=latin)
    if level == "exact":
        return level
    a_parts = {normalize.skeleton(p) for p in normalize.parts(a.surname)}
    b_parts = {normalize.skeleton(p) for p in normalize.parts(b.surname)}
    if (len(a_parts) > 1 or len(b_parts) > 1) and a_parts & b_parts:
        return "part"
    earlier = [(a.surname, f) for f in b.former_surnames] + [(f, b.surname) for f in a.former_surnames]
    earlier += [(f, g) for f in a.former_surnames for g in b.former_surnames]
    if any(_word_level(x, y, latin=latin) == "exact" for x, y in earlier):
        return "former"
    return level


def birth_date_level(a: date, b: date) -> str:
    """exact; swapped (day and month exchanged); one_digit (one digit of ДДММГГГГ differs);
    transposed (two neighbouring digits of ДДММГГГГ exchanged: 1967/1976, 13/31); disagree."""
    if a == b:
        return "exact"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return "swapped"
    digits_a, digits_b = f"{a:%d%m%Y}", f"{b:%d%m%Y}"
    differ = [i for i, (x, y) in enumerate(zip(digits_a, digits_b, strict=True)) if x != y]
    if len(differ) == 1:
        return "one_digit"
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        i = differ[0]
        if digits_a[i] == digits_b[i + 1] and digits_a[i + 1] == digits_b[i]:
            return "transposed"
    return "disagree"


def _reason(field_name: str, level: str) -> Reason:
    weight = WEIGHTS[field_name][level]
    return Reason(field_name, level, weight, f"{FIELD_TITLES[field_name]}: {LEVEL_TEXTS[level]}")


def compare(query: Profile, candidate: Profile) -> Scored:
    """Score ``candidate`` against ``query``; a field missing on either side is no evidence."""
    reasons: list[Reason] = []
    female = "female" in (query.sex, candidate.sex)
    if query.surname and candidate.surname:
        level = surname_level(query, candidate)
        reasons.append(_reason("surname", "disagree_female" if level == "disagree" and female else level))
    for name in ("first_name", "patronymic"):
        mine, theirs = getattr(query, name), getattr(candidate, name)
        if mine and theirs:
            reasons.append(_reason(name, _word_level(mine, theirs, latin=query.latin or candidate.latin)))
    if query.birth_date and candidate.birth_date:
        reasons.append(_reason("birth_date", birth_date_level(query.birth_date, candidate.birth_date)))
    if query.sex and candidate.sex:
        reasons.append(_reason("sex", "agree" if query.sex == candidate.sex else "disagree"))
    for name in ("snils", "enp"):
        mine, theirs = getattr(query, name), getattr(candidate, name)
        if mine and theirs:
            reasons.append(_reason(name, "exact" if mine == theirs else "disagree"))
    if query.documents and candidate.documents:
        keys = {key for _, key in candidate.documents}
        if any(key in keys for _, key in query.documents):
            reasons.append(_reason("document", "exact"))
        elif {t for t, _ in query.documents} & {t for t, _ in candidate.documents}:
            reasons.append(_reason("document", "disagree"))
    total = round(sum(r.weight for r in reasons), 2)
    snils_conflict = any(r.field == "snils" and r.level == "disagree" for r in reasons)
    return Scored(total, grade_of(total, snils_conflict=snils_conflict), reasons)
