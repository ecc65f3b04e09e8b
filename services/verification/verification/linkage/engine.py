"""Scoring with a trained model: duplicates within a register, links register ↔ source.

Results are Arrow tables, ready to COPY into PostgreSQL:

- pairs: ``left_id``, ``right_id``, ``match_probability``, ``match_weight``, ``evidence``
  (JSON text for a JSONB column: per field, the comparison level it reached, its gamma and
  its match weight, e.g. ``{"snils": {"level": "совпадает", "gamma": 2, "weight": 14.2}, …}``);
  for ``dedupe`` left_id < right_id, for ``link`` left is the register record and right the
  source record;
- clusters (dedupe): ``unique_id``, ``cluster_id`` for every record in a cluster of two or
  more (connected components of the pairs at the threshold; cluster_id = smallest member id).

The work happens in DuckDB (bounded memory, spilling to disk); only the pairs above the
threshold come back to Python.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker

from verification.config import Settings
from verification.linkage.frames import PersonInput, connect, load_normalised
from verification.linkage.model import LinkageModel, register

PAIR_SCHEMA = pa.schema(
    [
        ("left_id", pa.string()),
        ("right_id", pa.string()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("evidence", pa.string()),
    ]
)


@dataclass(frozen=True)
class DedupeResult:
    pairs: pa.Table
    clusters: pa.Table


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def evidence_sql(model: LinkageModel) -> str:
    """A ``json_object`` expression over the gamma_/mw_ columns of a Splink prediction."""
    parts = []
    for name, labels in model.comparison_labels().items():
        cases = " ".join(f"WHEN {gamma} THEN {_sql_text(label)}" for gamma, label in labels.items())
        parts.append(
            f"{_sql_text(name)}, json_object('level', CASE \"gamma_{name}\" {cases} END, "
            f"'gamma', \"gamma_{name}\", 'weight', round(\"mw_{name}\", 3))"
        )
    return "CAST(json_object(" + ", ".join(parts) + ") AS VARCHAR)"


def _select_pairs(
    con: duckdb.DuckDBPyConnection, predictions: str, model: LinkageModel, swap_if: str | None
) -> pa.Table:
    left, right = '"unique_id_l"', '"unique_id_r"'
    if swap_if:
        left = f'CASE WHEN {swap_if} THEN "unique_id_r" ELSE "unique_id_l" END'
        right = f'CASE WHEN {swap_if} THEN "unique_id_l" ELSE "unique_id_r" END'
    sql = f"""
        SELECT {left} AS left_id, {right} AS right_id,
               match_probability, match_weight, {evidence_sql(model)} AS evidence
        FROM {predictions}
    """  # noqa: S608  (Splink's table name, columns from the model)
    return con.sql(sql).to_arrow_table().cast(PAIR_SCHEMA)


def _clusters(con: duckdb.DuckDBPyConnection, pairs: pa.Table) -> pa.Table:
    """Connected components of the pair graph by iterated min-label propagation in DuckDB."""
    con.register("cluster_pairs", pairs.select(["left_id", "right_id"]))
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cluster_edges AS
        SELECT left_id AS a, right_id AS b FROM cluster_pairs
        UNION ALL SELECT right_id, left_id FROM cluster_pairs
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cluster_labels AS
        SELECT a AS unique_id, least(a, min(b)) AS cluster_id FROM cluster_edges GROUP BY a
        """
    )
    while True:
        con.execute(
            """
            CREATE OR REPLACE TEMP TABLE cluster_next AS
            SELECT l.unique_id, least(l.cluster_id, min(n.cluster_id)) AS cluster_id
            FROM cluster_labels l
            JOIN cluster_edges e ON e.a = l.unique_id
            JOIN cluster_labels n ON n.unique_id = e.b
            GROUP BY l.unique_id, l.cluster_id
            """
        )
        changed = con.execute(
            """
            SELECT count(*) FROM cluster_next x JOIN cluster_labels l USING (unique_id)
            WHERE x.cluster_id <> l.cluster_id
            """
        ).fetchall()
        con.execute("CREATE OR REPLACE TEMP TABLE cluster_labels AS SELECT * FROM cluster_next")
        if changed[0][0] == 0:
            break
    con.unregister("cluster_pairs")
    return con.sql(
        "SELECT unique_id, cluster_id FROM cluster_labels ORDER BY cluster_id, unique_id"
    ).to_arrow_table()


def dedupe(
    records: PersonInput,
    model: LinkageModel,
    threshold: float = 0.9,
    *,
    memory_limit: str = "2GB",
) -> DedupeResult:
    """Pairs of records of the same person within a register, and their clusters."""
    if Settings().linkage_backend == "spark":
        from verification.linkage import spark

        return spark.dedupe(records, model, threshold, memory_limit=memory_limit)
    con = connect(memory_limit=memory_limit)
    try:
        load_normalised(con, records, "dedupe_input")
        linker = Linker(
            register(DuckDBAPI(connection=con), "dedupe_input"),
            model.with_link_type("dedupe_only"),
            log_level=logging.ERROR,
        )
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        pairs = _select_pairs(con, predictions.physical_name, model, swap_if=None)
        return DedupeResult(pairs=pairs, clusters=_clusters(con, pairs))
    finally:
        con.close()


def link(
    register_records: PersonInput,
    source_records: PersonInput,
    model: LinkageModel,
    threshold: float = 0.9,
    *,
    memory_limit: str = "2GB",
) -> pa.Table:
    """Pairs (register record, source record) of the same person."""
    if Settings().linkage_backend == "spark":
        from verification.linkage import spark

        return spark.link(register_records, source_records, model, threshold, memory_limit=memory_limit)
    con = connect(memory_limit=memory_limit)
    try:
        load_normalised(con, register_records, "link_register")
        load_normalised(con, source_records, "link_source")
        db_api = DuckDBAPI(connection=con)
        linker = Linker(
            [register(db_api, "link_register"), register(db_api, "link_source")],
            model.with_link_type("link_only"),
            log_level=logging.ERROR,
        )
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        return _select_pairs(
            con, predictions.physical_name, model, swap_if="\"source_dataset_l\" <> 'link_register_splink'"
        )
    finally:
        con.close()
