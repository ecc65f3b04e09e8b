"""budget uploads: template files of income and expenses (``budget_upload``) with their per-line
report and the valid lines awaiting the user's choice

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_upload",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=4), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("valid", sa.Integer(), nullable=False),
        sa.Column("invalid", sa.Integer(), nullable=False),
        sa.Column("imported", sa.Integer(), server_default="0", nullable=False),
        sa.Column("problems", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("cells", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("months", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('awaiting_decision', 'imported', 'discarded')", name=op.f("ck_budget_upload_status")
        ),
        sa.CheckConstraint("file_format IN ('csv', 'xlsx')", name=op.f("ck_budget_upload_file_format")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_upload")),
    )
    op.create_index(op.f("ix_budget_upload_mo_id"), "budget_upload", ["mo_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_budget_upload_mo_id"), table_name="budget_upload")
    op.drop_table("budget_upload")
