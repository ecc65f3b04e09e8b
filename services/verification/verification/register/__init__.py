"""The register of a run: the TFOMS file of non-working insured persons (CSV/XLSX/XML) read,
validated row by row and written as the run's entries with stable subjects; rejected rows
with their reasons. Entry points for the run pipeline:

- ``load_register_file(run_id, path, today=…, transaction=…, progress=…)`` → ``LoadResult``
  (``NotATable`` for a file that is no register);
- ``load_rows(run_id, rows, …)`` for rows from elsewhere (already in the reader's shape);
- ``RegisterRepository(session)``: ``person_records(run_id)`` (linkage input),
  ``changes`` / ``changed_subject_ids`` (incremental runs), ``counts``, ``rejections``, ``clear``."""

from verification.register.loading import LoadResult, load_register_file, load_rows
from verification.register.reader import NotATable, open_register
from verification.register.repository import RegisterChanges, RegisterCounts, RegisterRepository, Rejection

__all__ = [
    "LoadResult",
    "NotATable",
    "RegisterChanges",
    "RegisterCounts",
    "RegisterRepository",
    "Rejection",
    "load_register_file",
    "load_rows",
    "open_register",
]
