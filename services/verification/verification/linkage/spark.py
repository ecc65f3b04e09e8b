"""The Spark backend of the linkage (``OMS_VERIFICATION_LINKAGE_BACKEND=spark``).

The same model, training and scoring as the DuckDB engine, on Splink's ``SparkAPI``, for
registers too large for one machine (a cluster's master URL in ``OMS_VERIFICATION_SPARK_MASTER``;
``local[N]`` runs Spark in this process's JVM).

- Normalisation stays where it is: the input is brought to the linkage columns by the same
  DuckDB SQL (``frames.load_normalised``, each Cyrillic letter one ASCII character) and handed
  to Spark as Arrow, so Spark's ``levenshtein`` and Splink's ``jaro_winkler`` see ASCII too.
- The model stays one document in DuckDB's SQL (a model trained on either backend scores on
  either): ``spark_settings`` translates its conditions and blocking rules to Spark SQL with
  sqlglot (quoted identifiers, ``list_has_any`` → ``arrays_overlap``, ``len`` of a list →
  ``size``, ``jaro_winkler_similarity`` → the ``jaro_winkler`` UDF of the jar Splink ships),
  and a model trained on Spark gets its DuckDB SQL back before it is returned.
- Results come back in the engine's shapes: pairs of ``PAIR_SCHEMA`` with the same evidence
  JSON, clusters computed from the pairs exactly as the DuckDB engine does.

One SparkSession per process, created on first use (the similarity jar from the splink
wheel, nothing downloaded) and stopped at exit.
"""

from __future__ import annotations

import atexit
import copy
import logging
import shutil
import tempfile
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pyarrow as pa
import sqlglot
from pyspark.sql import DataFrame, SparkSession
from splink import Linker, SparkAPI
from splink.backends.spark import similarity_jar_location
from splink.internals.spark.jar_location import get_scala_udfs
from sqlglot import exp

from verification.config import Settings
from verification.linkage.comparisons import DETERMINISTIC_RULES, TRAINING_BLOCKING_RULES
from verification.linkage.engine import PAIR_SCHEMA, DedupeResult, _clusters
from verification.linkage.frames import PersonInput, connect, load_normalised
from verification.linkage.model import LinkageModel, base_settings, register, train_on_table

log = logging.getLogger("oms.verification.linkage")

_lock = threading.Lock()
_session: SparkSession | None = None
_temporary_checkpoints: str | None = None


# --- DuckDB SQL of the model → Spark SQL ---------------------------------------------------


def spark_sql(sql: str, list_columns: frozenset[str] = frozenset({"surname_parts"})) -> str:
    """A condition or blocking rule of the model (DuckDB SQL) in Spark SQL.

    ``list_columns``: the linkage columns that are lists (``len`` of one is its ``size``)."""

    def to_spark(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.JarowinklerSimilarity):
            return exp.Anonymous(this="jaro_winkler", expressions=[node.this, node.expression])
        if isinstance(node, exp.ArrayOverlaps):
            return exp.Anonymous(this="arrays_overlap", expressions=[node.this, node.expression])
        if (
            isinstance(node, exp.Length)
            and isinstance(node.this, exp.Column)
            and node.this.name.rsplit("_", 1)[0] in list_columns
        ):
            return exp.Anonymous(this="size", expressions=[node.this])
        return node

    tree = sqlglot.parse_one(sql, read="duckdb").transform(to_spark)
    return tree.sql(dialect="spark")


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """A Splink settings document (DuckDB SQL) with its SQL in Spark's dialect."""
    out = copy.deepcopy(settings)
    for comparison in out.get("comparisons", []):
        for lv in comparison["comparison_levels"]:
            if lv["sql_condition"].strip().upper() != "ELSE":
                lv["sql_condition"] = spark_sql(lv["sql_condition"])
    rules: list[Any] = []
    for rule in out.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rules.append(rule | {"blocking_rule": spark_sql(rule["blocking_rule"]), "sql_dialect": "spark"})
        else:
            rules.append(spark_sql(rule))
    out["blocking_rules_to_generate_predictions"] = rules
    if "sql_dialect" in out:
        out["sql_dialect"] = "spark"
    return out


def _with_duckdb_sql(trained: dict[str, Any], original: dict[str, Any]) -> dict[str, Any]:
    """A model trained on Spark, its SQL given back in the original (DuckDB) form."""
    out = copy.deepcopy(trained)
    for comparison, source in zip(out["comparisons"], original["comparisons"], strict=True):
        levels, source_levels = comparison["comparison_levels"], source["comparison_levels"]
        for lv, source_lv in zip(levels, source_levels, strict=True):
            lv["sql_condition"] = source_lv["sql_condition"]
    out["blocking_rules_to_generate_predictions"] = [
        {"blocking_rule": rule, "sql_dialect": "duckdb"} if isinstance(rule, str) else rule
        for rule in original["blocking_rules_to_generate_predictions"]
    ]
    out["sql_dialect"] = "duckdb"
    return out


# --- the session ---------------------------------------------------------------------------


def spark_session() -> SparkSession:
    """The process's SparkSession (created on first use from ``Settings``)."""
    global _session, _temporary_checkpoints
    with _lock:
        if _session is not None:
            return _session
        settings = Settings()
        session = (
            SparkSession.builder.master(settings.spark_master)
            .appName("oms-verification-linkage")
            .config("spark.jars", similarity_jar_location())
            .config("spark.driver.memory", settings.spark_driver_memory)
            .config("spark.sql.shuffle.partitions", str(settings.spark_shuffle_partitions))
            .config("spark.default.parallelism", str(settings.spark_shuffle_partitions))
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        # jaro_winkler & co. for any SQL on the session, not only Splink's.
        for udf in get_scala_udfs():  # type: ignore[no-untyped-call]
            session.udf.registerJavaFunction(*udf)
        checkpoints = settings.spark_checkpoint_dir
        if not checkpoints:
            checkpoints = _temporary_checkpoints = tempfile.mkdtemp(prefix="verification-spark-")
        session.sparkContext.setCheckpointDir(checkpoints)
        _session = session
        atexit.register(stop_spark_session)
        log.info("Spark session for the linkage: %s", settings.spark_master)
        return session


def stop_spark_session() -> None:
    """Stop the process's SparkSession (at exit; a later call creates a new one)."""
    global _session, _temporary_checkpoints
    with _lock:
        if _session is not None:
            # py4j says goodbye at INFO; at interpreter exit the log handlers may be closed
            # already ("--- Logging error ---" after the tests' summary).
            logging.getLogger("py4j").setLevel(logging.WARNING)
            _session.stop()
            _session = None
        if _temporary_checkpoints:
            shutil.rmtree(_temporary_checkpoints, ignore_errors=True)
            _temporary_checkpoints = None


class _CallSparkAPI(SparkAPI):
    """Splink's SparkAPI that remembers every table it made (Splink forgets those it drops
    itself, but their parquet files stay in the checkpoint directory)."""

    def __init__(self, session: SparkSession) -> None:
        super().__init__(
            spark_session=session, break_lineage_method="parquet", register_udfs_automatically=False
        )  # type: ignore[no-untyped-call]
        self.made: set[str] = set()

    def _cleanup_for_execute_sql(self, table: DataFrame, templated_name: str, physical_name: str) -> Any:
        self.made.add(physical_name)
        return super()._cleanup_for_execute_sql(table, templated_name, physical_name)


@contextmanager
def _spark_api() -> Iterator[SparkAPI]:
    """A SparkAPI for one call; the tables Splink made for it are dropped afterwards."""
    session = spark_session()
    db_api = _CallSparkAPI(session)
    try:
        yield db_api
    finally:
        _drop_tables(session, db_api.made)


def _drop_tables(session: SparkSession, names: set[str]) -> None:
    """Splink's tables of a call: the views, and the parquet files behind them wherever the
    checkpoint directory is (local, HDFS, S3)."""
    checkpoint_dir = session.sparkContext.getCheckpointDir()
    jvm, conf = session._jvm, session._jsc.hadoopConfiguration()
    assert jvm is not None
    for name in names:
        session.catalog.dropTempView(name)
        if checkpoint_dir:
            path = jvm.org.apache.hadoop.fs.Path(f"{checkpoint_dir}/{name}")
            path.getFileSystem(conf).delete(path, True)


@contextmanager
def _spark_tables(memory_limit: str, **inputs: PersonInput) -> Iterator[dict[str, str]]:
    """The inputs normalised (DuckDB SQL, as for the DuckDB engine) as Spark temp views.

    Yields input name → view name (unique per call: calls may run at once in one session)."""
    session = spark_session()
    views: dict[str, str] = {}
    con = connect(memory_limit=memory_limit)
    try:
        for name, data in inputs.items():
            load_normalised(con, data, name)
            table = con.sql(f"SELECT * FROM {name}").to_arrow_table()  # noqa: S608  (our table)
            view = f"{name}_{uuid.uuid4().hex[:12]}"
            session.createDataFrame(table).createOrReplaceTempView(view)
            views[name] = view
    finally:
        con.close()
    try:
        yield views
    finally:
        for view in views.values():
            session.catalog.dropTempView(view)


# --- train, dedupe, link -------------------------------------------------------------------


def train(
    records: PersonInput,
    *,
    memory_limit: str = "2GB",
    u_max_pairs: float = 1e6,
    em_max_pairs: float | None = 2e6,
    seed: int = 42,
) -> LinkageModel:
    """``model.train`` on Spark: the same settings, rules and estimation steps."""
    settings = base_settings()
    with _spark_tables(memory_limit, training_input=records) as views, _spark_api() as db_api:
        trained = train_on_table(
            None,
            views["training_input"],
            settings=spark_settings(settings),
            deterministic_rules=[spark_sql(rule) for rule in DETERMINISTIC_RULES],
            training_rules=[spark_sql(rule) for rule in TRAINING_BLOCKING_RULES],
            u_max_pairs=u_max_pairs,
            em_max_pairs=em_max_pairs,
            seed=seed,
            db_api=db_api,
            # One job per comparison: ten chunks is ten Spark jobs of ~1 s each (DuckDB: ms).
            u_chunks=1,
        )
    return LinkageModel(settings=_with_duckdb_sql(trained.settings, settings))


def _text(value: str) -> str:
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def evidence_sql(model: LinkageModel) -> str:
    """The engine's evidence JSON (``engine.evidence_sql``) in Spark SQL."""
    parts = []
    for name, labels in model.comparison_labels().items():
        cases = " ".join(f"WHEN {gamma} THEN {_text(label)}" for gamma, label in labels.items())
        parts.append(
            f"named_struct('level', CASE `gamma_{name}` {cases} END, 'gamma', `gamma_{name}`, "
            f"'weight', round(`mw_{name}`, 3)) AS `{name}`"
        )
    return "to_json(struct(" + ", ".join(parts) + "), map('ignoreNullFields', 'false'))"


def _select_pairs(
    session: SparkSession, predictions: str, model: LinkageModel, swap_if: str | None
) -> pa.Table:
    left, right = "`unique_id_l`", "`unique_id_r`"
    if swap_if:
        left = f"CASE WHEN {swap_if} THEN `unique_id_r` ELSE `unique_id_l` END"
        right = f"CASE WHEN {swap_if} THEN `unique_id_l` ELSE `unique_id_r` END"
    sql = f"""
        SELECT {left} AS left_id, {right} AS right_id,
               CAST(match_probability AS DOUBLE) AS match_probability,
               CAST(match_weight AS DOUBLE) AS match_weight, {evidence_sql(model)} AS evidence
        FROM {predictions}
    """  # noqa: S608  (Splink's table name, columns from the model)
    return session.sql(sql).toArrow().cast(PAIR_SCHEMA)


def dedupe(
    records: PersonInput, model: LinkageModel, threshold: float = 0.9, *, memory_limit: str = "2GB"
) -> DedupeResult:
    """``engine.dedupe`` on Spark."""
    with _spark_tables(memory_limit, dedupe_input=records) as views, _spark_api() as db_api:
        linker = Linker(
            register(db_api, views["dedupe_input"]),
            spark_settings(model.with_link_type("dedupe_only")),
            log_level=logging.ERROR,
        )
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        pairs = _select_pairs(db_api.spark, predictions.physical_name, model, swap_if=None)
    con = connect(memory_limit=memory_limit)
    try:
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
    """``engine.link`` on Spark."""
    inputs = {"link_register": register_records, "link_source": source_records}
    with _spark_tables(memory_limit, **inputs) as views, _spark_api() as db_api:
        linker = Linker(
            [register(db_api, views["link_register"]), register(db_api, views["link_source"])],
            spark_settings(model.with_link_type("link_only")),
            log_level=logging.ERROR,
        )
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        register_dataset = _text(f"{views['link_register']}_splink")
        return _select_pairs(
            db_api.spark,
            predictions.physical_name,
            model,
            swap_if=f"`source_dataset_l` <> {register_dataset}",
        )
