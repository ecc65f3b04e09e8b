"""trace clock: a trace report's creation time is the clock of the statement that writes it
(``clock_timestamp()``), not the transaction's start (``now()``) — reports queued in one
transaction keep the order they were queued in, and the sender sends them in that order

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.alter_column("trace_report", "created_at", server_default=sa.text("clock_timestamp()"))


def downgrade() -> None:
    op.alter_column("trace_report", "created_at", server_default=sa.text("now()"))
