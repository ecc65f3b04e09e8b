"""The sample service's only revision: the kit tables and the organization copy, as the
first migration of every domain service creates them."""

from alembic import op

from oms_kit import migrations as kit
from oms_kit import tenancy

revision = "0001"
down_revision = None


def upgrade() -> None:
    kit.kit_tables_v1_upgrade(op)
    tenancy.organization_table_v1_upgrade(op)


def downgrade() -> None:
    tenancy.organization_table_v1_downgrade(op)
    kit.kit_tables_v1_downgrade(op)
