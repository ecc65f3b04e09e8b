"""subject aliases: ``subject_alias``, the further keys of a subject — a person listed by the
СНИЛС (or by name and birth date) in one run and with an ЕНП (or a СНИЛС) in a later one keeps
the subject: the new key is recorded here, so the next run finds it directly.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "subject_alias",
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("created_run_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        # A key is a subject's own key (``subject.key``) or an alias, never both.
        sa.PrimaryKeyConstraint("key", name="pk_subject_alias"),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], name="fk_subject_alias_subject_id_subject"),
    )


def downgrade() -> None:
    op.drop_table("subject_alias")
