"""initial: kit tables (outbox, inbox, audit) and the local organization copy

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

from oms_kit.migrations import kit_tables_v1_downgrade, kit_tables_v1_upgrade
from oms_kit.tenancy import organization_table_v1_downgrade, organization_table_v1_upgrade

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    kit_tables_v1_upgrade(op)
    organization_table_v1_upgrade(op)


def downgrade() -> None:
    organization_table_v1_downgrade(op)
    kit_tables_v1_downgrade(op)
