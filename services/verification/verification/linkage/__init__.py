"""Record linkage of persons: Cyrillic normalisation, the Splink (DuckDB) model, dedupe and link."""

from verification.linkage.records import PersonRecord

__all__ = ["PersonRecord"]
