"""forms: regulated reports (``report``), their cell values (``report_value``) and the history of
every change (``report_history``)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("form", sa.String(length=10), nullable=False),
        sa.Column("version", sa.String(length=10), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("period_kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("quarter", sa.SmallInteger(), nullable=True),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), server_default="draft", nullable=False),
        sa.Column("revision", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=True),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('draft', 'submitted', 'accepted', 'returned')", name=op.f("ck_report_status")
        ),
        sa.CheckConstraint("period_kind IN ('quarter', 'year')", name=op.f("ck_report_period_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint("form", "mo_id", "period_start", "period_end", name="uq_report_period"),
    )
    op.create_index("ix_report_mo_period", "report", ["mo_id", "period_end"], unique=False)
    op.create_table(
        "report_value",
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column("row_code", sa.String(length=10), nullable=False),
        sa.Column("col_code", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("manual", sa.Boolean(), server_default="false", nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_value_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("report_id", "row_code", "col_code", name=op.f("pk_report_value")),
    )
    op.create_table(
        "report_history",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("report_id", sa.UUID(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("status_from", sa.String(length=10), nullable=True),
        sa.Column("status_to", sa.String(length=10), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("changes", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_report_history_report_id_report"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_history")),
    )
    op.create_index(op.f("ix_report_history_report_id"), "report_history", ["report_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_report_history_report_id"), table_name="report_history")
    op.drop_table("report_history")
    op.drop_table("report_value")
    op.drop_index("ix_report_mo_period", table_name="report")
    op.drop_table("report")
