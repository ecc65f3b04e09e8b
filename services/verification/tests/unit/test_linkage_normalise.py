"""Cyrillic normalisation: the byte-counting trap of DuckDB and the spellings brought together."""

import time

import duckdb
import pytest

from verification.linkage.normalise import name_key_sql, name_parts_sql, normalised_select_sql


def key(con: duckdb.DuckDBPyConnection, text: str | None) -> str | None:
    return con.execute(f"SELECT {name_key_sql('$1')}", [text]).fetchall()[0][0]


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def test_raw_cyrillic_is_compared_byte_by_byte(con: duckdb.DuckDBPyConnection) -> None:
    lev, jw = con.execute(
        "SELECT levenshtein('а', 'я'), jaro_winkler_similarity('Андрей', 'Сергей')"
    ).fetchall()[0]
    assert lev == 2
    assert jw == pytest.approx(0.817, abs=0.001)


def test_mapped_letters_are_one_character_each(con: duckdb.DuckDBPyConnection) -> None:
    a, ya, andrei, sergei = (name_key_sql(f"'{v}'") for v in ("а", "я", "Андрей", "Сергей"))
    lev, jw, lev_names = con.execute(
        f"SELECT levenshtein({a}, {ya}), jaro_winkler_similarity({andrei}, {sergei}), "
        f"levenshtein({andrei}, {sergei})"
    ).fetchall()[0]
    assert lev == 1
    assert jw < 0.7
    assert lev_names == 4  # А→С, н→е, д→р, р→г: four letters, not eight bytes


def test_every_cyrillic_letter_becomes_one_ascii_character(con: duckdb.DuckDBPyConnection) -> None:
    alphabet = "абвгдежзиклмнопрстуфхцчшщыюя"
    mapped = key(con, alphabet)
    assert mapped is not None and mapped.isascii()
    assert len(mapped) == len(alphabet)
    assert len(set(mapped)) == len(alphabet)  # no two distinct letters collapse


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Фёдоров", "Федоров"),
        ("ИВАНОВ", "иванов"),
        ("Иванов", "Ivanov"),
        ("Юлия", "Yuliya"),
        ("Юлия", "Iuliia"),  # ICAO (passports since 2013)
        ("Наталья", "Natalya"),
        ("Наталья", "Natalia"),
        ("Андрей", "Andrey"),
        ("Андрей", "Andrei"),
        ("Дмитрий", "Dmitriy"),
        ("Дмитрий", "Dmitrii"),
        ("Щукин", "Shchukin"),
        ("Хабаров", "Khabarov"),
        ("Цветков", "Tsvetkov"),
        ("Цветков", "Cvetkov"),  # GOST 7.79 B
        ("Жуков", "Zhukov"),
        ("Воробьёв", "Vorobyov"),
        ("Эдуард", "Eduard"),
        ("Алексей", "Aleksey"),
        ("Петрова-Водкина", "Петрова Водкина"),
        (" Иванов. ", "иванов"),
    ],
)
def test_spellings_of_one_name_agree(con: duckdb.DuckDBPyConnection, left: str, right: str) -> None:
    assert key(con, left) == key(con, right)


def test_different_names_stay_different(con: duckdb.DuckDBPyConnection) -> None:
    assert key(con, "Иванов") != key(con, "Иванова")
    assert key(con, "Сергей") != key(con, "Андрей")


def test_empty_names_are_null(con: duckdb.DuckDBPyConnection) -> None:
    assert key(con, None) is None
    assert key(con, "  -  ") is None


def test_hyphenated_surname_keeps_its_parts(con: duckdb.DuckDBPyConnection) -> None:
    parts = con.execute(f"SELECT {name_parts_sql('$1')}", ["Петрова-Водкина"]).fetchall()[0][0]
    assert parts == [key(con, "Петрова"), key(con, "Водкина")]


def test_names_normalise_as_vectorised_sql(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TABLE people AS
        SELECT 'R' || i AS unique_id,
               (['Иванов', 'Petrov', 'Соловьёва', 'Петрова-Водкина'])[1 + i % 4] AS surname,
               (['Юлия', 'Andrey', 'Наталья'])[1 + i % 3] AS first_name,
               'Сергеевич' AS patronymic, DATE '1980-01-01' + CAST(i % 9000 AS INTEGER) AS birth_date,
               (['male', 'female'])[1 + i % 2] AS sex, '123-456-789 64' AS snils, NULL AS enp,
               '14' AS doc_type, '45 10' AS doc_series, '123456' AS doc_number, NULL AS inn, '01' AS district
        FROM range(300000) t(i)
        """
    )
    started = time.perf_counter()
    con.execute(f"CREATE TABLE normalised AS {normalised_select_sql('people')}")
    elapsed = time.perf_counter() - started
    row = con.execute(
        "SELECT count(*), count(DISTINCT surname), min(snils), min(document) FROM normalised"
    ).fetchall()[0]
    assert row == (300_000, 4, "12345678964", "4510123456")
    assert elapsed < 15, f"normalising 300,000 records took {elapsed:.1f} s"
