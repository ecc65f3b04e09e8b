"""Stable names of candidate pairs: the same pair has the same key in every run, so an
operator's decision on it (``review_decision.pair_key``) is reused by the next run."""

from __future__ import annotations


def source_pair_key(subject_id: str, source: str, record_fingerprint: str) -> str:
    """A register subject with a source record (the record's fingerprint is unique per source)."""
    return f"{subject_id}|{source}:{record_fingerprint}"


def duplicate_pair_key(a: str, b: str) -> str:
    """Two register subjects, in either order."""
    left, right = sorted((a, b))
    return f"{left}|{right}"
