"""The five government sources behind one adapter interface.

Public API (what the run pipeline calls):

- ``ADAPTERS`` / ``adapter_for(code)``: the sources (``SourceAdapter``) by code
  (fns, sfr, zags, mvd, military); ``KIND_SOURCE``: kind → source code;
- ``SourceRecord`` / ``RowRejection``: what an answer is made of; ``SourceRecord.person(id)``
  gives the canonical ``PersonRecord`` for linkage;
- ``load_answer_file(session, adapter, content, media_type, …)`` (or ``load_answer_stream``
  over a spooled file) / ``load_response(…)`` / ``load_records(session, adapter, records)``
  (records in hand: demo seed, benchmarks): store an answer, idempotently → ``LoadResult``;
- ``SourceRepository(session)``: ``stream_records(kinds)`` (stored records with their ids),
  ``batches``, ``rejections``, ``counts_by_kind``;
- ``smev.queue``: ``enqueue``, ``send_due``, ``receive`` (then ``acknowledge`` after the
  commit), ``receive_committed``, ``expire``, ``exchange`` with a ``SmevTransport``
  (``smev.simulator.SimulatorTransport`` for the demo and tests)."""

from verification.sources.adapter import GovernmentSource, SourceAdapter, UnsupportedFormat
from verification.sources.catalogue import ADAPTERS, KIND_SOURCE, UnknownSource, adapter_for
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.repository import SourceRepository, StoredRecord
from verification.sources.service import (
    LoadResult,
    load_answer_file,
    load_answer_stream,
    load_records,
    load_response,
)

__all__ = [
    "ADAPTERS",
    "KIND_SOURCE",
    "GovernmentSource",
    "LoadResult",
    "RowRejection",
    "SourceAdapter",
    "SourceRecord",
    "SourceRepository",
    "StoredRecord",
    "UnknownSource",
    "UnsupportedFormat",
    "adapter_for",
    "load_answer_file",
    "load_answer_stream",
    "load_records",
    "load_response",
]
