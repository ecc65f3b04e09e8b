"""The sample jobs service's only revision: the kit tables and the job tables, as a service
that runs jobs creates them."""

from alembic import op

from oms_kit import jobs
from oms_kit import migrations as kit

revision = "0001"
down_revision = None


def upgrade() -> None:
    kit.kit_tables_v1_upgrade(op)
    jobs.kit_jobs_v1_upgrade(op)


def downgrade() -> None:
    jobs.kit_jobs_v1_downgrade(op)
    kit.kit_tables_v1_downgrade(op)
