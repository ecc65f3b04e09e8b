"""registry deaths: ``registry_death``, the deaths the registry recorded
(``registry.person.died``) by registry person id, with the event that set the date.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "registry_death",
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("event_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_registry_death"),
    )


def downgrade() -> None:
    op.drop_table("registry_death")
