"""Record linkage of persons: Cyrillic normalisation, the Splink (DuckDB) model, dedupe and link.

Public API (what the run pipeline calls)::

    model = train(register_records)                  # ~1 minute whatever the size
    doc = model.save(); model = LinkageModel.load(doc)  # JSON stored with the run
    result = dedupe(register_records, model, threshold=0.9)   # .pairs, .clusters (Arrow)
    pairs = link(register_records, source_records, model, threshold=0.9)  # Arrow

Inputs are iterables of ``PersonRecord``, Arrow tables of ``PERSON_SCHEMA`` or DuckDB
relations. Pair tables have ``PAIR_SCHEMA`` (left_id, right_id, match_probability,
match_weight, evidence JSON text).
"""

from verification.linkage.engine import PAIR_SCHEMA, DedupeResult, dedupe, link
from verification.linkage.frames import PERSON_SCHEMA, records_to_arrow
from verification.linkage.model import LinkageModel, train
from verification.linkage.records import PersonRecord

__all__ = [
    "PAIR_SCHEMA",
    "PERSON_SCHEMA",
    "DedupeResult",
    "LinkageModel",
    "PersonRecord",
    "dedupe",
    "link",
    "records_to_arrow",
    "train",
]
