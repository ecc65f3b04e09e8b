"""jobs: the kit's long-running job tables (job, job_file, job_file_chunk)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

from alembic import op

from oms_kit.jobs import kit_jobs_v1_downgrade, kit_jobs_v1_upgrade

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    kit_jobs_v1_upgrade(op)


def downgrade() -> None:
    kit_jobs_v1_downgrade(op)
