"""verification exclusions of persons: what the payer's verification runs excluded

One row per person and run (``verification.person.excluded`` carrying the registry person id);
a later run that keeps the person (``verification.person.reinstated``) closes the open rows.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "person_exclusion",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("organization_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.Column("reasons", pg.ARRAY(sa.Text()), nullable=False),
        sa.Column("months_excluded", sa.Integer(), nullable=False),
        sa.Column("duplicate_of", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("excluded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reinstated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reinstated_on", sa.Date(), nullable=True),
        sa.Column("reinstated_by_run", pg.UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_person_exclusion"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_person_exclusion_person_id_person"),
        # Idempotent per person and run; also the index of a person's exclusions.
        sa.UniqueConstraint("person_id", "run_id", name="uq_person_exclusion_person_run"),
        sa.CheckConstraint("months_excluded >= 0", name="ck_person_exclusion_months"),
    )


def downgrade() -> None:
    op.drop_table("person_exclusion")
