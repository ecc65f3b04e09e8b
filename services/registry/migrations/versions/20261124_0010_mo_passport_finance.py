"""mo passport: founder and legal form (finance's MO snapshot)

The organization that founds the MO (the health authority, whose finance dashboards show it)
and its legal form (budget, autonomous, state, private institution).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("mo_passport", sa.Column("founder_id", pg.UUID(as_uuid=True), nullable=True))
    op.add_column("mo_passport", sa.Column("legal_form", sa.String(20), nullable=True))
    op.create_check_constraint(
        "ck_mo_passport_legal_form",
        "mo_passport",
        "legal_form IS NULL OR legal_form IN ('budget', 'autonomous', 'state', 'private')",
    )


def downgrade() -> None:
    op.drop_constraint("ck_mo_passport_legal_form", "mo_passport", type_="check")
    op.drop_column("mo_passport", "legal_form")
    op.drop_column("mo_passport", "founder_id")
