"""federal register lines matched to registry persons by SNILS: the load's matching report

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("register_load", sa.Column("matching", postgresql.JSONB(), nullable=True))


def downgrade() -> None:
    op.drop_column("register_load", "matching")
