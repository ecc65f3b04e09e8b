"""Names brought to one comparable space, as DuckDB SQL over whole columns.

DuckDB's ``levenshtein`` and ``jaro_winkler_similarity`` count bytes, and a Cyrillic
letter is two bytes in UTF-8: ``levenshtein('а','я')`` is 2 and
``jaro_winkler_similarity('Андрей','Сергей')`` is 0.817 on raw text. So every name is
mapped letter by letter to ONE ASCII character before any comparison:

1. lower case, trim;
2. Latin spelling (passport ICAO, GOST 7.79, everyday ``Yuliya``/``Iuliia``/``Julia``)
   brought back to Cyrillic: digraphs first (``shch``, ``zh``, ``kh``, ``ts``, ``ch``,
   ``sh``, ``yu``/``iu``, ``ya``/``ia``, …), ``y`` after a vowel as й, the rest letter by
   letter;
3. Cyrillic to ASCII, one character per letter, with the spellings that vary in
   practice merged: ё and э as е, й as и (ICAO writes й as ``i``), ъ and ь dropped
   (``Natalya``/``Наталья``/``Natalia`` agree);
4. anything that is not a letter or digit (spaces, hyphens, apostrophes, dots) removed.

Hyphenated surnames keep their parts too (``surname_parts``) so ``Петрова-Водкина`` agrees
with ``Петрова``. Everything is plain SQL (``replace``/``translate``/``regexp_replace``):
vectorised, a million records normalise in a few seconds.
"""

from __future__ import annotations

CYRILLIC = "абвгдежзиклмнопрстуфхцчшщыюяёэйъь"
# One ASCII character per letter; ё/э → e, й → i; ъ and ь (past the end) are deleted.
ASCII_OF_CYRILLIC = "abvgdejziklmnoprstufhcqwxy79eei"

# Latin digraphs (and longer) to Cyrillic, longest first; applied in order.
LATIN_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "щ"),
    ("sch", "щ"),
    ("shh", "щ"),
    ("zh", "ж"),
    ("kh", "х"),
    ("tch", "ч"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("cz", "ц"),
    ("yu", "ю"),
    ("iu", "ю"),
    ("ju", "ю"),
    ("ya", "я"),
    ("ia", "я"),
    ("ja", "я"),
    ("yo", "е"),
    ("jo", "е"),
    ("ye", "е"),
    ("je", "е"),
    ("ph", "ф"),
    ("x", "кс"),
    ("w", "в"),
    ("q", "к"),
)
LATIN = "abvgdezijklmnoprstufhcy"
CYRILLIC_OF_LATIN = "абвгдезийклмнопрстуфхцы"

_VOWELS = "aeiouаеиоуыэюяё"


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def latin_to_cyrillic_sql(expr: str) -> str:
    """SQL turning a lower-cased Latin spelling into Cyrillic (Cyrillic passes through)."""
    out = expr
    for latin, cyr in LATIN_DIGRAPHS:
        out = f"replace({out}, {_quote(latin)}, {_quote(cyr)})"
    out = f"regexp_replace({out}, '([{_VOWELS}])y', '\\1й', 'g')"
    return f"translate({out}, {_quote(LATIN)}, {_quote(CYRILLIC_OF_LATIN)})"


def _cyrillic_sql(lowered: str) -> str:
    """Latin spellings to Cyrillic; Cyrillic text (most rows) skips the replace chain."""
    latin = latin_to_cyrillic_sql(lowered)
    return f"CASE WHEN regexp_matches({lowered}, '[a-z]') THEN {latin} ELSE {lowered} END"


def name_key_sql(column: str) -> str:
    """SQL of the comparable form of a name column (NULL for an empty one)."""
    lowered = f"lower(trim({column}))"
    cyrillic = _cyrillic_sql(lowered)
    mapped = f"translate({cyrillic}, {_quote(CYRILLIC)}, {_quote(ASCII_OF_CYRILLIC)})"
    return f"nullif(regexp_replace({mapped}, '[^a-z0-9]', '', 'g'), '')"


def name_parts_sql(column: str) -> str:
    """SQL of the parts of a hyphenated / two-word name, each in the comparable form."""
    lowered = f"lower(trim({column}))"
    cyrillic = _cyrillic_sql(lowered)
    mapped = f"translate({cyrillic}, {_quote(CYRILLIC)}, {_quote(ASCII_OF_CYRILLIC)})"
    cleaned = f"regexp_replace({mapped}, '[^a-z0-9 -]', '', 'g')"
    return f"list_filter(regexp_split_to_array({cleaned}, '[ -]+'), lambda p: p <> '')"


def digits_sql(column: str) -> str:
    """SQL keeping only the digits of an identifier (NULL if none)."""
    return f"nullif(regexp_replace(CAST({column} AS VARCHAR), '[^0-9]', '', 'g'), '')"


def document_sql(series: str, number: str) -> str:
    """One comparable document key: series and number, letters and digits only, upper case."""
    joined = f"coalesce(CAST({series} AS VARCHAR), '') || coalesce(CAST({number} AS VARCHAR), '')"
    return f"nullif(regexp_replace(upper({joined}), '[^0-9A-ZА-ЯЁ]', '', 'g'), '')"


def sex_sql(column: str) -> str:
    """'male'/'female' (also м/ж, m/f, 1/2) → 'm'/'f', anything else NULL."""
    lowered = f"lower(trim(CAST({column} AS VARCHAR)))"
    return (
        f"CASE WHEN {lowered} IN ('male', 'm', 'м', 'муж', '1') THEN 'm' "
        f"WHEN {lowered} IN ('female', 'f', 'ж', 'жен', '2') THEN 'f' ELSE NULL END"
    )


def normalised_select_sql(source: str) -> str:
    """The SELECT that turns a table of ``PersonRecord`` columns into the linkage input.

    Columns: unique_id; surname, first_name, patronymic (comparable forms); surname_parts;
    birth_date (DATE), dob (``YYYYMMDD``), birth_year; sex ('m'/'f'); snils, enp, inn
    (digits); document; district; and the blocking keys name_key (surname key + first
    letters of the first name and patronymic) and dob_swapped (day and month exchanged).
    """
    return f"""
    WITH base AS (
        SELECT
            CAST(unique_id AS VARCHAR) AS unique_id,
            {name_key_sql("surname")} AS surname,
            {name_parts_sql("surname")} AS surname_parts,
            {name_key_sql("first_name")} AS first_name,
            {name_key_sql("patronymic")} AS patronymic,
            CAST(birth_date AS DATE) AS birth_date,
            {sex_sql("sex")} AS sex,
            {digits_sql("snils")} AS snils,
            {digits_sql("enp")} AS enp,
            {digits_sql("inn")} AS inn,
            {document_sql("doc_series", "doc_number")} AS document,
            CAST(district AS VARCHAR) AS district
        FROM {source}
    )
    SELECT
        *,
        strftime(birth_date, '%Y%m%d') AS dob,
        year(birth_date) AS birth_year,
        CASE WHEN day(birth_date) <= 12 AND day(birth_date) <> month(birth_date)
             THEN strftime(birth_date, '%Y') || lpad(CAST(day(birth_date) AS VARCHAR), 2, '0')
                  || lpad(CAST(month(birth_date) AS VARCHAR), 2, '0')
        END AS dob_swapped,
        left(surname, 3) || coalesce(left(first_name, 1), '') || coalesce(left(patronymic, 1), '') AS name_key
    FROM base
    """  # noqa: S608  (column SQL built here, source is the caller's table name)
