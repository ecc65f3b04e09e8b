"""bulk import of register files: the labels of the demo region's planted duplicates

The import itself stages rows in a temporary table per batch (no permanent table needed); the
demo generator records which persons it planted as duplicates of which, so matching quality
can be measured against them (``make bench``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "demo_planted_duplicate",
        sa.Column("original_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("duplicate_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("distortion", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("original_id", "duplicate_id", name="pk_demo_planted_duplicate"),
    )


def downgrade() -> None:
    op.drop_table("demo_planted_duplicate")
