"""How well the blocking rules do: how many pairs they make and which true pairs they let through.

Blocking decides which pairs are scored at all: a true pair no rule admits can never be
found, whatever the model. ``blocking_report`` measures both sides on data with known
truth (the synthetic register, FEBRL): the candidate pairs per rule (marginal, as Splink
counts them) and the recall of the true pairs, per rule and together.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import pyarrow as pa
from splink import DuckDBAPI
from splink.blocking_analysis import count_comparisons_from_blocking_rules

from verification.linkage.comparisons import PREDICTION_BLOCKING_RULES
from verification.linkage.frames import PersonInput, connect, load_normalised
from verification.linkage.model import register


def blocking_report(
    records: PersonInput,
    true_pairs: Iterable[tuple[str, str]],
    *,
    rules: list[str] | None = None,
    memory_limit: str = "2GB",
) -> dict[str, Any]:
    """Candidate pairs and true-pair recall of the dedupe blocking rules on ``records``."""
    rules = rules or PREDICTION_BLOCKING_RULES
    con = connect(memory_limit=memory_limit)
    try:
        load_normalised(con, records, "blocking_input")
        logging.getLogger("splink").setLevel(logging.ERROR)
        counts = count_comparisons_from_blocking_rules(
            register(DuckDBAPI(connection=con), "blocking_input"),
            blocking_rules=rules,
            link_type="dedupe_only",
            record_sample_proportion=1.0,
        )
        truth = list(true_pairs)
        con.register("true_pairs", pa.table({"a": [p[0] for p in truth], "b": [p[1] for p in truth]}))
        admitted = ", ".join(f"count(*) FILTER (WHERE {rule}) AS r{i}" for i, rule in enumerate(rules))
        any_rule = " OR ".join(f"({rule})" for rule in rules)
        row = con.execute(
            f"""
            SELECT count(*) AS total, count(*) FILTER (WHERE {any_rule}) AS admitted, {admitted}
            FROM true_pairs t
            JOIN blocking_input l ON l.unique_id = t.a
            JOIN blocking_input r ON r.unique_id = t.b
            """  # noqa: S608  (our rules and tables)
        ).fetchall()[0]
        total = int(row[0]) or 1
        return {
            "true_pairs": int(row[0]),
            "recall": round(row[1] / total, 5),
            "candidate_pairs": int(counts[-1]["cumulative_comparison_count"]) if counts else 0,
            "rules": [
                {
                    "rule": rule,
                    "marginal_pairs": int(record["marginal_comparison_count"]),
                    "true_pairs_admitted": int(row[2 + i]),
                }
                for i, (rule, record) in enumerate(zip(rules, counts, strict=True))
            ],
        }
    finally:
        con.close()
