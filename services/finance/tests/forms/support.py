"""Helpers of the form tests."""

from __future__ import annotations

from decimal import Decimal


def cells(body: dict[str, object]) -> dict[tuple[str, str], Decimal | None]:
    return {
        (c["row"], c["column"]): (Decimal(c["value"]) if c["value"] is not None else None)  # type: ignore[index]
        for c in body["cells"]  # type: ignore[union-attr]
    }
