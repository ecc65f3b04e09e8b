"""runs: the kit's long-running job tables (job, job_file, job_file_chunk) for the
verification run job (``verification.runs``).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

from oms_kit.jobs import kit_jobs_v1_downgrade, kit_jobs_v1_upgrade

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    kit_jobs_v1_upgrade(op)


def downgrade() -> None:
    kit_jobs_v1_downgrade(op)
