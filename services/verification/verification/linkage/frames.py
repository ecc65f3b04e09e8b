"""Input of the linkage engine: PersonRecords, an Arrow table or a DuckDB relation, into a
normalised DuckDB table; and the DuckDB connection with its memory bounds."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from typing import TypeAlias

import duckdb
import pyarrow as pa

from verification.linkage.normalise import normalised_select_sql
from verification.linkage.records import PERSON_FIELDS, PersonRecord

PERSON_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("surname", pa.string()),
        ("first_name", pa.string()),
        ("patronymic", pa.string()),
        ("birth_date", pa.date32()),
        ("sex", pa.string()),
        ("snils", pa.string()),
        ("enp", pa.string()),
        ("doc_type", pa.string()),
        ("doc_series", pa.string()),
        ("doc_number", pa.string()),
        ("inn", pa.string()),
        ("district", pa.string()),
    ]
)

PersonInput: TypeAlias = pa.Table | duckdb.DuckDBPyRelation | Iterable[PersonRecord]


def records_to_arrow(records: Iterable[PersonRecord]) -> pa.Table:
    """PersonRecords as an Arrow table of ``PERSON_SCHEMA`` (column by column)."""
    rows = list(records)
    columns = {name: [getattr(r, name) for r in rows] for name in PERSON_FIELDS}
    return pa.table(columns, schema=PERSON_SCHEMA)


def as_arrow(data: PersonInput) -> pa.Table:
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, duckdb.DuckDBPyRelation):
        return data.to_arrow_table()
    return records_to_arrow(data)


def connect(*, memory_limit: str = "2GB", threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB bounded in memory (spills to a temporary directory past the limit)."""
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{tempfile.gettempdir()}/verification-linkage-{os.getpid()}'")
    con.execute("SET preserve_insertion_order = false")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return con


def load_normalised(con: duckdb.DuckDBPyConnection, data: PersonInput, table: str) -> int:
    """Create ``table`` with the normalised linkage columns of ``data``; returns its row count."""
    view = f"{table}__raw"
    con.register(view, as_arrow(data))
    con.execute(f"CREATE OR REPLACE TABLE {table} AS {normalised_select_sql(view)}")
    con.unregister(view)
    rows = con.execute(f"SELECT count(*) FROM {table}").fetchall()  # noqa: S608  (our table name)
    return int(rows[0][0])
