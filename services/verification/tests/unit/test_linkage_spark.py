"""The Spark backend of the linkage (OMS_VERIFICATION_LINKAGE_BACKEND=spark) against the DuckDB one.

A local Spark (``local[1]``, four shuffle partitions) in this process's JVM, the similarity jar
from the splink wheel: the same model trains, scores and links as on DuckDB, with the same
evidence, and Spark compares the same one-ASCII-character-per-letter names.
"""

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pyarrow as pa
import pytest

from oms_kit.synthetic_names import transliterate
from verification.linkage import LinkageModel, PersonRecord, dedupe, link, train
from verification.linkage import spark as spark_backend
from verification.synthetic import SyntheticRegister, generate_register


@pytest.fixture(scope="module")
def on_spark() -> Iterator[pytest.MonkeyPatch]:
    """The Spark settings for this module; ``backend(mp, …)`` switches the linkage over."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OMS_VERIFICATION_SPARK_MASTER", "local[1]")
        mp.setenv("OMS_VERIFICATION_SPARK_SHUFFLE_PARTITIONS", "4")
        mp.setenv("OMS_VERIFICATION_SPARK_DRIVER_MEMORY", "1g")
        yield mp
    spark_backend.stop_spark_session()


def backend(mp: pytest.MonkeyPatch, name: str) -> None:
    mp.setenv("OMS_VERIFICATION_LINKAGE_BACKEND", name)


@pytest.fixture(scope="module")
def register() -> SyntheticRegister:
    return generate_register(800, seed=7)


@pytest.fixture(scope="module")
def models(on_spark: pytest.MonkeyPatch, register: SyntheticRegister) -> dict[str, LinkageModel]:
    backend(on_spark, "duckdb")
    duckdb_model = train(register.records, u_max_pairs=1e5)
    backend(on_spark, "spark")
    spark_model = train(register.records, u_max_pairs=1e5)
    backend(on_spark, "duckdb")
    return {"duckdb": duckdb_model, "spark": spark_model}


def pairs_of(table: pa.Table) -> set[tuple[str, str]]:
    return {
        tuple(sorted(p))
        for p in zip(table["left_id"].to_pylist(), table["right_id"].to_pylist(), strict=True)
    }  # type: ignore[misc]


def f1(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> float:
    return 2 * len(found & truth) / (len(found) + len(truth))


def sql_of(model: LinkageModel) -> list[list[str]]:
    return [[lv["sql_condition"] for lv in c["comparison_levels"]] for c in model.settings["comparisons"]]


def test_a_model_trained_on_spark_is_the_duckdb_models_document(models: dict[str, LinkageModel]) -> None:
    duckdb_model, spark_model = models["duckdb"], models["spark"]
    # The same document in DuckDB's SQL (either backend scores with a model trained on the other) …
    assert spark_model.settings["sql_dialect"] == "duckdb"
    assert sql_of(spark_model) == sql_of(duckdb_model)
    assert (
        spark_model.settings["blocking_rules_to_generate_predictions"]
        == duckdb_model.settings["blocking_rules_to_generate_predictions"]
    )
    # … estimated from the data: the prior by the same deterministic rules, m by EM.
    assert spark_model.settings["probability_two_random_records_match"] == pytest.approx(
        duckdb_model.settings["probability_two_random_records_match"]
    )
    snils_exact = spark_model.settings["comparisons"][0]["comparison_levels"][1]
    assert 0.5 < snils_exact["m_probability"] <= 1.0


def test_spark_finds_the_duplicates_duckdb_finds(
    on_spark: pytest.MonkeyPatch, register: SyntheticRegister, models: dict[str, LinkageModel]
) -> None:
    truth = {tuple(sorted(p)) for p in register.duplicate_pairs()}
    assert len(truth) >= 15
    on_duckdb = dedupe(register.records, models["duckdb"], threshold=0.9)
    backend(on_spark, "spark")
    try:
        same_model = dedupe(register.records, models["duckdb"], threshold=0.9)
        own_model = dedupe(register.records, models["spark"], threshold=0.9)
    finally:
        backend(on_spark, "duckdb")
    duckdb_f1 = f1(pairs_of(on_duckdb.pairs), truth)  # type: ignore[arg-type]
    assert duckdb_f1 >= 0.95
    # The model trained on Spark finds the duplicates as well as DuckDB's own.
    assert f1(pairs_of(own_model.pairs), truth) >= duckdb_f1 - 0.02  # type: ignore[arg-type]
    # One model, two backends: the same pairs, weights and evidence.
    assert pairs_of(same_model.pairs) == pairs_of(on_duckdb.pairs)
    ordered = [("left_id", "ascending"), ("right_id", "ascending")]
    spark_rows = same_model.pairs.sort_by(ordered).to_pylist()
    duckdb_rows = on_duckdb.pairs.sort_by(ordered).to_pylist()
    for s, d in zip(spark_rows, duckdb_rows, strict=True):
        assert s["match_weight"] == pytest.approx(d["match_weight"], abs=1e-6)
        assert json.loads(s["evidence"]) == json.loads(d["evidence"])
    assert same_model.clusters.equals(on_duckdb.clusters)


def test_spark_links_source_records_as_duckdb_does(
    on_spark: pytest.MonkeyPatch, register: SyntheticRegister, models: dict[str, LinkageModel]
) -> None:
    by_id = {r.unique_id: r for r in register.records}
    sources = [
        replace(
            by_id[t.subject_id],
            unique_id=f"S{i}",
            snils=None,
            enp=None,
            surname=transliterate(by_id[t.subject_id].surname or ""),
            doc_series=None,
            doc_number=None,
        )
        for i, t in enumerate(register.truths_of("dead"))
    ]
    strangers = generate_register(100, seed=99).records
    sources += [replace(r, unique_id=f"X{i}", snils=None, enp=None) for i, r in enumerate(strangers)]
    on_duckdb = link(register.records, sources, models["duckdb"], threshold=0.9)
    backend(on_spark, "spark")
    try:
        on_spark_pairs = link(register.records, sources, models["duckdb"], threshold=0.9)
    finally:
        backend(on_spark, "duckdb")
    found = set(
        zip(on_spark_pairs["left_id"].to_pylist(), on_spark_pairs["right_id"].to_pylist(), strict=True)
    )
    # left is the register record, right the source record, on both backends.
    assert found == set(zip(on_duckdb["left_id"].to_pylist(), on_duckdb["right_id"].to_pylist(), strict=True))
    dead = len(sources) - len(strangers)
    assert dead >= 5
    assert len({right for _, right in found if right.startswith("S")}) >= 0.9 * dead
    assert not [right for _, right in found if right.startswith("X")]


def test_a_cyrillic_letter_is_one_character_on_spark(
    on_spark: pytest.MonkeyPatch, models: dict[str, LinkageModel]
) -> None:
    person = PersonRecord(
        unique_id="a",
        surname="Зайцева",
        first_name="Андрей",
        patronymic="Ильич",
        birth_date=date(1980, 5, 20),
        sex="male",
        snils=None,
        enp="5000000000000018",
        doc_type=None,
        doc_series=None,
        doc_number=None,
    )
    other = replace(person, unique_id="b", surname="Зайцевя", first_name="Сергей")
    with spark_backend._spark_tables("1GB", person_a=[person], person_b=[other]) as views:
        sql = (
            "SELECT levenshtein(l.surname, r.surname) AS lev, length(l.surname) AS letters,"  # noqa: S608
            " jaro_winkler(l.first_name, r.first_name) AS jw"
            f" FROM {views['person_a']} l CROSS JOIN {views['person_b']} r"
        )
        row = spark_backend.spark_session().sql(sql).collect()[0]
    # 'а'/'я' one edit apart, a letter one character; Андрей/Сергей as the letters say (0.667,
    # not DuckDB's 0.817 of raw UTF-8 bytes).
    assert (row["lev"], row["letters"]) == (1, 7)
    assert row["jw"] == pytest.approx(2 / 3, abs=1e-3)
    backend(on_spark, "spark")
    try:
        pairs = link([person], [replace(other, first_name="Андрей")], models["duckdb"], threshold=0.01)
    finally:
        backend(on_spark, "duckdb")
    assert json.loads(pairs["evidence"][0].as_py())["surname"]["level"] == "одна буква отличается"
