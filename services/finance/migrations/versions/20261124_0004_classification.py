"""classification: the trained payment classifier (``classifier_model``), counterparties whose
payments go to one item (``classification_counterparty``) and people's decisions on the review
list (``classification_decision``)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "classifier_model",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("trained_by", sa.String(length=200), nullable=True),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("held_out", sa.Integer(), nullable=False),
        sa.Column("kosgu_classes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("kvfo_classes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("metrics", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("seconds", sa.Float(), nullable=False),
        sa.Column("model", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classifier_model")),
    )
    op.create_index(op.f("ix_classifier_model_trained_at"), "classifier_model", ["trained_at"], unique=False)
    op.create_table(
        "classification_counterparty",
        sa.Column("kind", sa.String(length=7), nullable=False),
        sa.Column("key", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("kvfo", sa.SmallInteger(), nullable=True),
        sa.Column("kosgu", sa.String(length=3), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("payments", sa.Integer(), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=7), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kind IN ('inn', 'account')", name=op.f("ck_classification_counterparty_kind")),
        sa.CheckConstraint(
            "source IN ('seed', 'learned')", name=op.f("ck_classification_counterparty_source")
        ),
        sa.CheckConstraint(
            "direction IN ('out', 'in')", name=op.f("ck_classification_counterparty_direction")
        ),
        sa.PrimaryKeyConstraint("kind", "key", "direction", name=op.f("pk_classification_counterparty")),
    )
    op.create_table(
        "classification_decision",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("payment_id", sa.UUID(), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("action", sa.String(length=7), nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("old_kvfo", sa.SmallInteger(), nullable=True),
        sa.Column("old_kosgu", sa.String(length=3), nullable=True),
        sa.Column("old_classified_by", sa.String(length=5), nullable=True),
        sa.Column("old_confidence", sa.Float(), nullable=True),
        sa.Column("new_kvfo", sa.SmallInteger(), nullable=False),
        sa.Column("new_kosgu", sa.String(length=3), nullable=False),
        sa.CheckConstraint(
            "action IN ('confirm', 'correct')", name=op.f("ck_classification_decision_action")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment_order.id"],
            name=op.f("fk_classification_decision_payment_id_payment_order"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classification_decision")),
    )
    op.create_index(
        op.f("ix_classification_decision_payment_id"), "classification_decision", ["payment_id"], unique=False
    )
    op.create_index(
        op.f("ix_classification_decision_mo_id"), "classification_decision", ["mo_id"], unique=False
    )


def downgrade() -> None:
    op.drop_table("classification_decision")
    op.drop_table("classification_counterparty")
    op.drop_index(op.f("ix_classifier_model_trained_at"), table_name="classifier_model")
    op.drop_table("classifier_model")
