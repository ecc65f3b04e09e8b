"""Names as the matcher compares them.

- ``normal``: upper case, ё→е, separators as one space (``registry.person.names``), and Latin
  input transliterated back to Cyrillic, so «Ivanova» is compared as «ИВАНОВА».
- ``skeleton``: the normal form with what transliteration cannot tell apart folded together:
  й/ы→и, э→е, ъ/ь dropped (``fold``), then я→иа, ю→иу, тс→ц and a doubled и as one. «Sergey» and «Сергей» meet
  at «СЕРГЕИ»; «Natalia», «Natalya», «Наталья» and «Наталия» at «НАТАЛИА»; «Diana» (read
  «ДЯНА» by ICAO's IA=Я) and «Диана» at «ДИАНА»; «Iurii», «Yuriy» and «Юрий» at «ИУРИ».
- ``distance`` (optimal string alignment: one edit or one swap of neighbours is 1) and
  ``jaro_winkler`` for typos.

The reverse transliteration reads the systems Russian names actually arrive in: ICAO Doc 9303
(Russian passports since 2013: Ж=ZH, Х=KH, Ц=TS, Щ=SHCH, Ю=IU, Я=IA), GOST 7.79-2000 system B
(Щ=SHH, Ц=CZ, Х=X, Й=J, Ё=YO) and the older "English" habit (Ю=YU, Я=YA, Й=Y, Е=YE, Ё=YO).
YE is Е wherever it stands («Yelena», «Andreyev», «Grigoryevich»: Е, ЬЕ or ЙЕ, the same
skeleton); YO after a vowel is ЙО («Mayorova» = «Майорова»), elsewhere Ё («Fyodorov»)."""

from __future__ import annotations

import re

from registry.person.names import normalize_name

# Longest sequences first; applied left to right over the upper-cased Latin text.
_LATIN_SEQUENCES = [
    ("SHCH", "Щ"),
    ("SHH", "Щ"),
    ("SCH", "Щ"),
    ("ZH", "Ж"),
    ("KH", "Х"),
    ("TS", "Ц"),
    ("CZ", "Ц"),
    ("CH", "Ч"),
    ("SH", "Ш"),
    ("YU", "Ю"),
    ("IU", "Ю"),
    ("JU", "Ю"),
    ("YA", "Я"),
    ("IA", "Я"),
    ("JA", "Я"),
    ("YE", "Е"),
    ("YO", "Е"),
    ("JO", "Е"),
    ("E'", "Э"),
    ("Y'", "Ы"),
]
_LATIN_LETTERS = {
    "A": "А",
    "B": "Б",
    "V": "В",
    "W": "В",
    "G": "Г",
    "D": "Д",
    "E": "Е",
    "Z": "З",
    "I": "И",
    "Y": "Ы",  # Ы in ICAO; Й in "Sergey" — the skeleton folds both to И
    "J": "Й",
    "K": "К",
    "L": "Л",
    "M": "М",
    "N": "Н",
    "O": "О",
    "P": "П",
    "R": "Р",
    "S": "С",
    "T": "Т",
    "U": "У",
    "F": "Ф",
    "H": "Х",
    "C": "Ц",
    "X": "КС",
    "Q": "К",
}
_SEQUENCE = re.compile("|".join(re.escape(latin) for latin, _ in _LATIN_SEQUENCES))
_SEQUENCE_MAP = dict(_LATIN_SEQUENCES)
_LATIN = re.compile(r"[A-Za-z]")
_VOWELS = frozenset("AEIOUY")
_FOLD = str.maketrans({"Й": "И", "Ы": "И", "Э": "Е", "Ъ": None, "Ь": None, "Ё": "Е"})
_EXPAND = str.maketrans({"Я": "ИА", "Ю": "ИУ"})
_SKELETON_SEQUENCES = re.compile("ТС|И{2,}")


def has_latin(text: str | None) -> bool:
    return bool(text and _LATIN.search(text))


def latin_to_cyrillic(text: str) -> str:
    """Reverse transliteration of a Latin-spelled Russian name (upper case Cyrillic)."""
    upper = text.upper().replace("`", "").replace("’", "'")

    def sequence(m: re.Match[str]) -> str:
        latin = m.group(0)
        if latin in ("YO", "JO") and m.start() > 0 and upper[m.start() - 1] in _VOWELS:
            return "ЙО"  # «Mayorova»: Й and О, not Ё
        return _SEQUENCE_MAP[latin]

    upper = _SEQUENCE.sub(sequence, upper)
    return "".join(_LATIN_LETTERS.get(ch, ch) for ch in upper).replace("'", "")


def normal(text: str | None) -> str:
    """«Петрова-Водкина», «ПЕТРОВА ВОДКИНА», «Petrova-Vodkina» → «ПЕТРОВА ВОДКИНА»."""
    if not text:
        return ""
    return normalize_name(latin_to_cyrillic(text) if has_latin(text) else text)


def fold(normalised: str) -> str:
    """The letters that stand for one sound folded (й/ы→и, э→е, ъ/ь dropped), letter for
    letter: what typos are counted on between two Cyrillic spellings."""
    return normalised.translate(_FOLD)


def skeleton(normalised: str) -> str:
    """``fold`` and then я→иа, ю→иу, тс→ц, a doubled и as one: equal skeletons are one name."""
    expanded = fold(normalised).translate(_EXPAND)
    return _SKELETON_SEQUENCES.sub(lambda m: "Ц" if m.group(0) == "ТС" else "И", expanded)


def parts(normalised: str) -> list[str]:
    """The words of a hyphenated (double) surname."""
    return [p for p in normalised.split(" ") if p]


def distance(a: str, b: str) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two neighbouring letters each cost 1 («ИВАНОВ»/«ИВНАОВ» is 1)."""
    if a == b:
        return 0
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def jaro_winkler(a: str, b: str) -> float:
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hits, b_hits = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hits[j] and b[j] == ch:
                a_hits[i] = b_hits[j] = True
                matches += 1
                break
    if matches == 0:
        return 0.0
    a_seq = [ch for ch, hit in zip(a, a_hits, strict=True) if hit]
    b_seq = [ch for ch, hit in zip(b, b_hits, strict=True) if hit]
    transpositions = sum(x != y for x, y in zip(a_seq, b_seq, strict=True)) / 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    prefix = 0
    for x, y in zip(a[:4], b[:4], strict=False):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)
