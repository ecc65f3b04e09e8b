"""death retractions: ``registry_death_retraction``, the latest withdrawn death of a registry
person (``registry.person.death_retracted``) with the event's id and time, so a death event
older than the retraction that arrives late does not make the person dead again.

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
        "registry_death_retraction",
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("death_date", sa.Date(), nullable=False),
        sa.Column("event_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("event_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_registry_death_retraction"),
    )


def downgrade() -> None:
    op.drop_table("registry_death_retraction")
