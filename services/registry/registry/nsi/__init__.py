"""NSI: versioned reference dictionaries (ICD-10, FFOMS classifiers, the project's own).

Other registry features check codes with ``require_code``."""

from registry.nsi.service import require_code

__all__ = ["require_code"]
