"""trace and control: the track-and-trace sender's next attempt, the МДЛП simulator's memory; medico-economic control runs,
their per-prescription results and violations, expertise acts

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("trace_report", sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index(
        "ix_trace_report_pharmacy_created", "trace_report", ["pharmacy_id", "created_at"], unique=False
    )
    op.create_table(
        "trace_sim_document",
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("errors", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("ticket", sa.Text(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("idempotency_key", name=op.f("pk_trace_sim_document")),
        sa.UniqueConstraint("external_id", name=op.f("uq_trace_sim_document_external_id")),
    )
    op.create_table(
        "trace_sim_withdrawn",
        sa.Column("sgtin", sa.String(length=27), nullable=False),
        sa.Column("idempotency_key", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("sgtin", name=op.f("pk_trace_sim_withdrawn")),
    )
    op.create_table(
        "control_run",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("pharmacy_id", sa.UUID(), nullable=True),
        sa.Column("job_id", sa.UUID(), nullable=True),
        sa.Column("status", sa.String(length=10), server_default="running", nullable=False),
        sa.Column("started_by", sa.String(length=200), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("checked", sa.Integer(), server_default="0", nullable=False),
        sa.Column("with_violations", sa.Integer(), server_default="0", nullable=False),
        sa.Column("violations", sa.Integer(), server_default="0", nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.Column("withheld", sa.Numeric(precision=16, scale=2), server_default="0", nullable=False),
        sa.Column("by_code", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.CheckConstraint("period_to >= period_from", name=op.f("ck_control_run_period")),
        sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f("ck_control_run_status")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_run")),
    )
    op.create_index("ix_control_run_started", "control_run", ["started_at"], unique=False)
    op.create_table(
        "control_result",
        sa.Column("dispense_id", sa.UUID(), nullable=False),
        sa.Column("prescription_id", sa.UUID(), nullable=False),
        sa.Column("pharmacy_id", sa.UUID(), nullable=False),
        sa.Column("person_id", sa.UUID(), nullable=False),
        sa.Column("dispensed_on", sa.Date(), nullable=False),
        sa.Column("run_id", sa.UUID(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("withheld", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("withheld >= 0 AND withheld <= amount", name=op.f("ck_control_result_withheld")),
        sa.ForeignKeyConstraint(
            ["dispense_id"],
            ["dispense.id"],
            name=op.f("fk_control_result_dispense_id_dispense"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["control_run.id"],
            name=op.f("fk_control_result_run_id_control_run"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("dispense_id", name=op.f("pk_control_result")),
    )
    op.create_index(
        "ix_control_result_pharmacy_day", "control_result", ["pharmacy_id", "dispensed_on"], unique=False
    )
    op.create_index("ix_control_result_run", "control_result", ["run_id"], unique=False)
    op.create_table(
        "control_violation",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("dispense_id", sa.UUID(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("message", sa.String(length=1000), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["dispense_id"],
            ["control_result.dispense_id"],
            name=op.f("fk_control_violation_dispense_id_control_result"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_violation")),
        sa.UniqueConstraint("dispense_id", "code", name="uq_control_violation_dispense_code"),
    )
    op.create_index("ix_control_violation_code", "control_violation", ["code"], unique=False)
    op.create_index(
        op.f("ix_control_violation_dispense_id"), "control_violation", ["dispense_id"], unique=False
    )
    op.create_table(
        "control_act",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("pharmacy_id", sa.UUID(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("drawn_up_on", sa.Date(), nullable=False),
        sa.Column("drawn_up_by", sa.String(length=200), nullable=False),
        sa.Column("dispenses", sa.Integer(), nullable=False),
        sa.Column("with_violations", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("withheld", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("accepted", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.Column("lines", postgresql.JSONB(astext_type=sa.Text()), server_default="[]", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("accepted + withheld = amount", name=op.f("ck_control_act_totals")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_control_act")),
        sa.UniqueConstraint("number", name=op.f("uq_control_act_number")),
    )
    op.create_index(
        "ix_control_act_pharmacy_period", "control_act", ["pharmacy_id", "period_from"], unique=False
    )


def downgrade() -> None:
    op.drop_table("control_act")
    op.drop_table("control_violation")
    op.drop_table("control_result")
    op.drop_table("control_run")
    op.drop_table("trace_sim_withdrawn")
    op.drop_table("trace_sim_document")
    op.drop_index("ix_trace_report_pharmacy_created", table_name="trace_report")
    op.drop_column("trace_report", "next_attempt_at")
