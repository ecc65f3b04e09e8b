"""budget and payments: the collected data (``budget_entry``), locked months (``period_lock``), the
MO profile from registry (``mo_profile``), payment orders (``payment_order``) and the kit's job tables

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from oms_kit.jobs import kit_jobs_v1_downgrade, kit_jobs_v1_upgrade

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "budget_entry",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("flow", sa.String(length=10), nullable=False),
        sa.Column("kvfo", sa.SmallInteger(), nullable=False),
        sa.Column("kosgu", sa.String(length=3), nullable=False),
        sa.Column("planned", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("actual", sa.Numeric(precision=18, scale=2), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("flow IN ('income', 'expense', 'payable')", name=op.f("ck_budget_entry_flow")),
        sa.CheckConstraint(
            "month = date_trunc('month', month)::date", name=op.f("ck_budget_entry_first_of_month")
        ),
        sa.CheckConstraint("kvfo IN (2, 4, 5, 6, 7)", name=op.f("ck_budget_entry_kvfo")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_entry")),
        sa.UniqueConstraint("mo_id", "month", "flow", "kvfo", "kosgu", name="uq_budget_entry_cell"),
    )
    op.create_table(
        "mo_profile",
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("founder_id", sa.UUID(), nullable=True),
        sa.Column("legal_form", sa.String(length=20), nullable=True),
        sa.Column("beds", sa.Integer(), nullable=True),
        sa.Column("attached_persons", sa.Integer(), nullable=True),
        sa.Column("territory_oktmo", sa.String(length=11), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("mo_id", name=op.f("pk_mo_profile")),
    )
    op.create_index(op.f("ix_mo_profile_founder_id"), "mo_profile", ["founder_id"], unique=False)
    op.create_table(
        "payment_order",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("import_id", sa.UUID(), nullable=True),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("doc_kind", sa.String(length=60), nullable=False),
        sa.Column("doc_number", sa.String(length=40), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("account", sa.String(length=34), nullable=False),
        sa.Column("payer_name", sa.String(length=500), nullable=False),
        sa.Column("payer_inn", sa.String(length=12), nullable=True),
        sa.Column("payer_kpp", sa.String(length=9), nullable=True),
        sa.Column("payer_account", sa.String(length=34), nullable=True),
        sa.Column("payer_bik", sa.String(length=9), nullable=True),
        sa.Column("payee_name", sa.String(length=500), nullable=False),
        sa.Column("payee_inn", sa.String(length=12), nullable=True),
        sa.Column("payee_kpp", sa.String(length=9), nullable=True),
        sa.Column("payee_account", sa.String(length=34), nullable=True),
        sa.Column("payee_bik", sa.String(length=9), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("kbk", sa.String(length=20), nullable=True),
        sa.Column("written_off", sa.Date(), nullable=True),
        sa.Column("received", sa.Date(), nullable=True),
        sa.Column("kvfo", sa.SmallInteger(), nullable=True),
        sa.Column("kosgu", sa.String(length=3), nullable=True),
        sa.Column("classified_by", sa.String(length=5), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("classified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "classified_by IS NULL OR classified_by IN ('rule', 'model', 'user')",
            name=op.f("ck_payment_order_classified_by"),
        ),
        sa.CheckConstraint("direction IN ('out', 'in')", name=op.f("ck_payment_order_direction")),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_order_amount_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_order")),
        sa.UniqueConstraint(
            "mo_id", "doc_number", "doc_date", "amount", "account", name="uq_payment_order_document"
        ),
    )
    op.create_index(op.f("ix_payment_order_import_id"), "payment_order", ["import_id"], unique=False)
    op.create_index("ix_payment_order_mo_date", "payment_order", ["mo_id", "doc_date"], unique=False)
    op.create_index(
        "ix_payment_order_review",
        "payment_order",
        ["mo_id", "doc_date"],
        unique=False,
        postgresql_where=sa.text("needs_review"),
    )
    op.create_table(
        "period_lock",
        sa.Column("mo_id", sa.UUID(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("report_id", sa.UUID(), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.Column("locked_by", sa.String(length=200), nullable=False),
        sa.Column("locked_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("mo_id", "month", name=op.f("pk_period_lock")),
    )
    kit_jobs_v1_upgrade(op)


def downgrade() -> None:
    kit_jobs_v1_downgrade(op)
    op.drop_table("period_lock")
    op.drop_index(
        "ix_payment_order_review", table_name="payment_order", postgresql_where=sa.text("needs_review")
    )
    op.drop_index("ix_payment_order_mo_date", table_name="payment_order")
    op.drop_index(op.f("ix_payment_order_import_id"), table_name="payment_order")
    op.drop_table("payment_order")
    op.drop_index(op.f("ix_mo_profile_founder_id"), table_name="mo_profile")
    op.drop_table("mo_profile")
    op.drop_table("budget_entry")
