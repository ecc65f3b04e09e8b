"""A synthetic region «Приозёрская область» for demos and benchmarks: insured persons as rows
of the register's import format, with planted duplicates labelled for measuring matching.

``region_rows(count, seed, orgs)`` yields ``(row number, cells)``; ``planted(count, seed)``
lists which rows are planted duplicates of which. ``registry.demo_region.loading`` loads them
through the import's set-based path; ``python -m registry.demo_region`` is the command."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from registry.demo_region.duplicates import DISTORTIONS, duplicate, planted_count
from registry.demo_region.people import Organizations, person

FIRST_ROW = 2  # row 1 is the header of a file
_FOLLOWS = (
    "insurer",
    "policy_type",
    "insurance_from",
    "mo",
    "area_code",
    "attached_from",
    "attachment_method",
)


def planted(count: int, seed: int) -> list[tuple[int, int, str]]:
    """``(original row, duplicate row, intended distortion)`` of the region of ``count`` rows."""
    dups = planted_count(count)
    originals = count - dups
    return [
        (
            FIRST_ROW + (k * 104_729 + seed) % originals,
            FIRST_ROW + originals + k,
            DISTORTIONS[k % len(DISTORTIONS)],
        )
        for k in range(dups)
    ]


def region_rows(
    count: int, seed: int, orgs: Organizations, *, first_person: int = 0
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``first_person`` > 0 gives persons of the same region beyond the first ones (their
    identifiers differ from those of persons ``0 … first_person - 1``)."""
    originals = count - planted_count(count)
    for i in range(originals):
        yield FIRST_ROW + i, person(first_person + i, seed, orgs)
    for k, (original_row, row_no, distortion) in enumerate(planted(count, seed)):
        original = person(first_person + original_row - FIRST_ROW, seed, orgs)
        follows = {key: original[key] for key in _FOLLOWS if key in original}
        row, _ = duplicate(original, first_person + k, seed, distortion, follows)
        yield row_no, row


def distortions(count: int, seed: int, orgs: Organizations) -> list[tuple[int, int, str]]:
    """``planted`` with the distortion each duplicate really got (a swap is impossible for a
    day after the 12th, a maiden name needs a married woman: those become typos)."""
    found = []
    for k, (original_row, row_no, wanted) in enumerate(planted(count, seed)):
        original = person(original_row - FIRST_ROW, seed, orgs)
        _, got = duplicate(original, k, seed, wanted, {})
        found.append((original_row, row_no, got))
    return found
