"""Person ids of an import, derived from the job and the row: a re-run of the job after a crash
gives every row the id it had, so rows already written are recognised and skipped.

The id is laid out as a UUIDv7 (RFC 9562): 48 bits of the job's submission time in ms, the
version, 12 random bits of the job, the variant and the row number. Ids of one import are
therefore increasing, and indexes on ``person_id`` fill at their right edge instead of at
random pages (the measured difference is in docs/benchmarks.md, «Registry»)."""

from __future__ import annotations

import secrets
import time
import uuid


def new_prefix(at_ms: int | None = None, salt: int | None = None) -> int:
    """The upper 64 bits of the ids of one import (kept in the job's parameters)."""
    ms = int(time.time() * 1000) if at_ms is None else at_ms
    rand = secrets.randbits(12) if salt is None else salt & 0xFFF
    return ((ms & 0xFFFF_FFFF_FFFF) << 16) | (0x7 << 12) | rand


def person_id(prefix: int, row_no: int) -> uuid.UUID:
    return uuid.UUID(int=(prefix << 64) | (0b10 << 62) | row_no)
