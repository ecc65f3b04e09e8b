"""sign_in: sign-in attempts (time, account, organization, roles, outcome) for the activity dashboard

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("user_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("org_id", postgresql.UUID(as_uuid=True), nullable=True),
        sa.Column("roles", postgresql.ARRAY(sa.String(40)), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_sign_in_user_id_user_account"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(["org_id"], ["organization.id"], name=op.f("fk_sign_in_org_id_organization")),
    )
    op.create_index("ix_sign_in_at", "sign_in", ["at"])
    op.create_index("ix_sign_in_org_id_at", "sign_in", ["org_id", "at"])


def downgrade() -> None:
    op.drop_table("sign_in")
