"""nsi: reference dictionaries, their immutable versions and each version's entries

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nsi_dictionary",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("identifier", sa.String(100), nullable=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(300), nullable=False),
        sa.Column("columns", pg.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nsi_dictionary")),
        sa.UniqueConstraint("code", name=op.f("uq_nsi_dictionary_code")),
        sa.UniqueConstraint("identifier", name=op.f("uq_nsi_dictionary_identifier")),
    )
    op.create_table(
        "nsi_version",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("dictionary_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("job_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("source_name", sa.String(255), nullable=True),
        sa.Column("record_count", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(
            ["dictionary_id"],
            ["nsi_dictionary.id"],
            name=op.f("fk_nsi_version_dictionary_id_nsi_dictionary"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nsi_version")),
        sa.UniqueConstraint("dictionary_id", "version", name="uq_nsi_version_dictionary_id_version"),
    )
    op.create_index("ix_nsi_version_dictionary_id_valid_from", "nsi_version", ["dictionary_id", "valid_from"])
    op.create_index(
        "ix_nsi_version_dictionary_id_content_hash", "nsi_version", ["dictionary_id", "content_hash"]
    )
    op.create_table(
        "nsi_entry",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("version_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("code", sa.String(100, collation="C"), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("search_name", sa.Text(), nullable=False),
        sa.Column("parent_code", sa.String(100, collation="C"), nullable=True),
        sa.Column("attributes", pg.JSONB(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["nsi_version.id"],
            name=op.f("fk_nsi_entry_version_id_nsi_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nsi_entry")),
        sa.UniqueConstraint("version_id", "code", name="uq_nsi_entry_version_id_code"),
    )
    op.create_index("ix_nsi_entry_version_id_parent_code", "nsi_entry", ["version_id", "parent_code"])


def downgrade() -> None:
    op.drop_table("nsi_entry")
    op.drop_table("nsi_version")
    op.drop_table("nsi_dictionary")
