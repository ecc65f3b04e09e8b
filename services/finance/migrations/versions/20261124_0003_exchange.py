"""exchange: imports of payment orders from accounting systems (``payment_import``) and the valid
documents of an import waiting for the user's choice (``payment_import_row``)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "payment_import",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("job_id", sa.UUID(), nullable=True),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=4), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("documents", sa.Integer(), server_default="0", nullable=False),
        sa.Column("valid", sa.Integer(), server_default="0", nullable=False),
        sa.Column("invalid", sa.Integer(), server_default="0", nullable=False),
        sa.Column("inserted", sa.Integer(), server_default="0", nullable=False),
        sa.Column("duplicates", sa.Integer(), server_default="0", nullable=False),
        sa.Column("repeated_in_file", sa.Integer(), server_default="0", nullable=False),
        sa.Column("header", postgresql.JSONB(astext_type=sa.Text()), server_default="{}", nullable=False),
        sa.Column("problems", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("problems_total", sa.Integer(), server_default="0", nullable=False),
        sa.Column("warnings", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("error", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('processing', 'awaiting_decision', 'imported', 'discarded', 'failed')",
            name=op.f("ck_payment_import_status"),
        ),
        sa.CheckConstraint(
            "file_format IN ('1c', 'csv', 'xlsx')", name=op.f("ck_payment_import_file_format")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_import")),
    )
    op.create_index(op.f("ix_payment_import_mo_id"), "payment_import", ["mo_id"], unique=False)
    op.create_table(
        "payment_import_row",
        sa.Column("import_id", sa.UUID(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["payment_import.id"],
            name=op.f("fk_payment_import_row_import_id_payment_import"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("import_id", "line", name=op.f("pk_payment_import_row")),
    )


def downgrade() -> None:
    op.drop_table("payment_import_row")
    op.drop_index(op.f("ix_payment_import_mo_id"), table_name="payment_import")
    op.drop_table("payment_import")
