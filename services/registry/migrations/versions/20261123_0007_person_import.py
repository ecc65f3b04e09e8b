"""bulk import of register files

Revision ID: 0007
Revises:  staging and per-row results:0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

revision: str = "0007"
down_revision: str | None = " staging and per-row results:0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass  # filled in by the feature that owns this revision


def downgrade() -> None:
    pass
