"""The ``organization`` table in a service's migrations. The DDL is spelled out, not derived
from ``OrganizationCopyMixin``, so an old migration never changes meaning."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


def organization_table_v1_upgrade(op: Any) -> None:
    op.create_table(
        "organization",
        sa.Column("id", postgresql.UUID(as_uuid=True), primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("code", sa.String(40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization")),
    )


def organization_table_v1_downgrade(op: Any) -> None:
    op.drop_table("organization")
