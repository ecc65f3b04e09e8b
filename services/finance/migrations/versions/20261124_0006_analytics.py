"""analytics: drug spending and verification savings from other services' events, deviations

``drug_dispensing`` (the prescriptions counted) and ``drug_spending`` (Σ per prescribing MO,
month, funding source) from ``pharmacy.prescription.dispensed``; ``verification_savings`` from
``verification.run.completed``; ``deviation``: the findings of the deviation search, one per
(MO, month, kind, metric), with the acknowledgement; ``mo_profile.snapshot_at``: the time of
the registry snapshot the profile holds.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FUNDING = "funding_source IN ('federal', 'regional')"
FIRST_OF_MONTH = "month = date_trunc('month', month)::date"


def upgrade() -> None:
    op.add_column("mo_profile", sa.Column("snapshot_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "drug_dispensing",
        sa.Column("prescription_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("pharmacy_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("mo_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("dispensed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("funding_source", sa.String(10), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), nullable=False),
        sa.Column("drug_inn", sa.String(300), nullable=True),
        sa.CheckConstraint(FUNDING, name="ck_drug_dispensing_funding_source"),
        sa.PrimaryKeyConstraint("prescription_id", name="pk_drug_dispensing"),
    )
    op.create_index("ix_drug_dispensing_mo_id", "drug_dispensing", ["mo_id"])
    op.create_table(
        "drug_spending",
        sa.Column("mo_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("funding_source", sa.String(10), nullable=False),
        sa.Column("amount", sa.Numeric(18, 2), server_default="0", nullable=False),
        sa.Column("prescriptions", sa.Integer(), server_default="0", nullable=False),
        sa.CheckConstraint(FIRST_OF_MONTH, name="ck_drug_spending_first_of_month"),
        sa.CheckConstraint(FUNDING, name="ck_drug_spending_funding_source"),
        sa.PrimaryKeyConstraint("mo_id", "month", "funding_source", name="pk_drug_spending"),
    )
    op.create_table(
        "verification_savings",
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("organization_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("excluded", sa.Integer(), nullable=False),
        sa.Column("months_excluded", sa.Integer(), nullable=True),
        sa.Column("monthly_tariff", sa.Numeric(18, 2), nullable=True),
        sa.Column("savings_amount", sa.Numeric(18, 2), nullable=True),
        sa.Column("actual_register", sa.Integer(), nullable=True),
        sa.Column("forecast_year", sa.Integer(), nullable=True),
        sa.Column("appropriation_forecast", sa.Numeric(18, 2), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_verification_savings"),
    )
    op.create_index("ix_verification_savings_period_to", "verification_savings", ["period_to"])
    op.create_table(
        "deviation",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("mo_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("metric", sa.String(60), nullable=False),
        sa.Column("value", sa.Numeric(18, 4), nullable=False),
        sa.Column("expected", sa.Numeric(18, 4), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("status", sa.String(15), server_default="new", nullable=False),
        sa.Column("acknowledged_by", sa.String(200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("comment", sa.String(2000), nullable=True),
        sa.Column("detected_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(FIRST_OF_MONTH, name="ck_deviation_first_of_month"),
        sa.CheckConstraint("kind IN ('month_on_month', 'peer_group', 'rule')", name="ck_deviation_kind"),
        sa.CheckConstraint("status IN ('new', 'acknowledged')", name="ck_deviation_status"),
        sa.PrimaryKeyConstraint("id", name="pk_deviation"),
        sa.UniqueConstraint("mo_id", "month", "kind", "metric", name="uq_deviation_finding"),
    )
    op.create_index("ix_deviation_month", "deviation", ["month"])


def downgrade() -> None:
    op.drop_table("deviation")
    op.drop_table("verification_savings")
    op.drop_table("drug_spending")
    op.drop_table("drug_dispensing")
    op.drop_column("mo_profile", "snapshot_at")
