"""The trained linkage model: Splink 5 on DuckDB, its training, and its JSON form.

Training takes about a minute whatever the register size (u by random sampling of a
bounded number of pairs, m by EM over two tight blocking rules), so a run trains once and
stores the model (``LinkageModel.save()`` → JSON, kept with the run); an incremental run
``load()``s it back and only scores.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from typing import Any

import duckdb
from splink import DuckDBAPI, Linker
from splink.internals.database_api import DatabaseAPI
from splink.internals.splink_dataframe import SplinkDataFrame

from verification.config import Settings
from verification.linkage.comparisons import (
    DETERMINISTIC_RULES,
    PREDICTION_BLOCKING_RULES,
    TRAINING_BLOCKING_RULES,
    person_comparisons,
)
from verification.linkage.frames import PersonInput, connect, load_normalised

MODEL_FORMAT = "oms-verification-linkage/1"

log = logging.getLogger("oms.verification.linkage")


@dataclass(frozen=True)
class LinkageModel:
    """A Splink settings document with trained m/u probabilities."""

    settings: dict[str, Any]

    def save(self) -> dict[str, Any]:
        """The JSON-ready form (stored with a run)."""
        return {"format": MODEL_FORMAT, "splink": copy.deepcopy(self.settings)}

    def to_json(self) -> str:
        return json.dumps(self.save(), ensure_ascii=False)

    @classmethod
    def load(cls, data: dict[str, Any] | str) -> LinkageModel:
        doc = json.loads(data) if isinstance(data, str) else data
        if doc.get("format") != MODEL_FORMAT:
            raise ValueError(f"не модель сопоставления {MODEL_FORMAT}: {doc.get('format')!r}")
        return cls(settings=copy.deepcopy(doc["splink"]))

    def comparison_labels(self) -> dict[str, dict[int, str]]:
        """Per comparison: the comparison vector value (gamma) → its level's label."""
        out: dict[str, dict[int, str]] = {}
        for comparison in self.settings["comparisons"]:
            labels: dict[int, str] = {}
            levels = comparison["comparison_levels"]
            non_null = [lv for lv in levels if not lv.get("is_null_level")]
            gamma = len(non_null) - 1
            for lv in levels:
                if lv.get("is_null_level"):
                    labels[-1] = lv.get("label_for_charts", "null")
                else:
                    labels[gamma] = lv.get("label_for_charts", str(gamma))
                    gamma -= 1
            out[comparison["output_column_name"]] = labels
        return out

    def with_link_type(self, link_type: str) -> dict[str, Any]:
        settings = copy.deepcopy(self.settings)
        settings["link_type"] = link_type
        # gamma_ columns (the level each field reached) come out only with the matching columns.
        settings["retain_matching_columns"] = True
        settings["retain_intermediate_calculation_columns"] = True
        settings.pop("linker_uid", None)
        return settings


def base_settings(
    link_type: str = "dedupe_only",
    comparisons: list[dict[str, Any]] | None = None,
    blocking_rules: list[str] | None = None,
) -> dict[str, Any]:
    return {
        "link_type": link_type,
        "comparisons": comparisons if comparisons is not None else person_comparisons(),
        "blocking_rules_to_generate_predictions": list(
            blocking_rules if blocking_rules is not None else PREDICTION_BLOCKING_RULES
        ),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": True,
        "em_convergence": 0.001,
        "max_iterations": 20,
    }


def register(db_api: DatabaseAPI[Any], table: str) -> SplinkDataFrame:
    """A normalised DuckDB table handed to Splink through its DB API."""
    return db_api.register(table, table_name=f"{table}_splink")


def train_on_table(
    con: duckdb.DuckDBPyConnection | None,
    table: str,
    *,
    settings: dict[str, Any] | None = None,
    deterministic_rules: list[str] | None = None,
    deterministic_recall: float = 0.9,
    training_rules: list[str] | None = None,
    u_max_pairs: float = 1e6,
    em_max_pairs: float | None = 2e6,
    seed: int = 42,
    db_api: DatabaseAPI[Any] | None = None,
    u_chunks: int = 10,
) -> LinkageModel:
    """Estimate the model on a normalised table already in ``con`` (dedupe_only); or, given
    ``db_api`` (the Spark backend, linkage/spark.py), on that backend's table."""
    db_api = db_api or DuckDBAPI(connection=con or ":memory:")
    linker = Linker(register(db_api, table), settings or base_settings(), log_level=logging.ERROR)
    rules: list[Any] = list(deterministic_rules or DETERMINISTIC_RULES)
    linker.training.estimate_probability_two_random_records_match(rules, recall=deterministic_recall)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=u_max_pairs, seed=seed, min_count_per_level=None, num_chunks=u_chunks
    )
    estimated = 0
    for rule in training_rules or TRAINING_BLOCKING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule,
                estimate_without_term_frequencies=True,
                max_pairs=em_max_pairs,
                record_sample_proportion=0.05,
            )
            estimated += 1
        except ValueError as problem:
            # On a small register a comparison level may see no pair of a training block:
            # EM drives its m to 0.0 and Splink refuses it. The other blocks still estimate
            # that comparison (or its default m stays); one empty block must not fail a run.
            log.warning("EM over %s skipped: %s", rule, problem)
    if not estimated:
        raise ValueError("no training block could estimate the model (too few records or duplicates?)")
    trained = linker.misc.save_model_to_json()
    trained.pop("linker_uid", None)
    return LinkageModel(settings=trained)


def train(
    records: PersonInput,
    *,
    memory_limit: str = "2GB",
    u_max_pairs: float = 1e6,
    em_max_pairs: float | None = 2e6,
    seed: int = 42,
) -> LinkageModel:
    """Train the person model on a register (its duplicates teach the m probabilities)."""
    if Settings().linkage_backend == "spark":
        from verification.linkage import spark

        return spark.train(
            records, memory_limit=memory_limit, u_max_pairs=u_max_pairs, em_max_pairs=em_max_pairs, seed=seed
        )
    con = connect(memory_limit=memory_limit)
    try:
        load_normalised(con, records, "training_input")
        return train_on_table(
            con, "training_input", u_max_pairs=u_max_pairs, em_max_pairs=em_max_pairs, seed=seed
        )
    finally:
        con.close()
