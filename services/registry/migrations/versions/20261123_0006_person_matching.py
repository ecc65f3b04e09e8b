"""person matching: duplicate candidates review queue, merges and unmerges

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duplicate_candidate",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("person_a", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("person_b", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("grade", sa.String(20), nullable=False),
        sa.Column("reasons", pg.JSONB(), nullable=False),
        sa.Column("status", sa.String(20), server_default="open", nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("job_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("found_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(200), nullable=True),
        sa.Column("resolution", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_duplicate_candidate"),
        sa.ForeignKeyConstraint(["person_a"], ["person.id"], name="fk_duplicate_candidate_person_a_person"),
        sa.ForeignKeyConstraint(["person_b"], ["person.id"], name="fk_duplicate_candidate_person_b_person"),
        sa.UniqueConstraint("person_a", "person_b", name="uq_duplicate_candidate_pair"),
        # One row per unordered pair: the smaller id first.
        sa.CheckConstraint("person_a < person_b", name="ck_duplicate_candidate_ordered_pair"),
        sa.CheckConstraint("status IN ('open', 'merged', 'rejected')", name="ck_duplicate_candidate_status"),
        sa.CheckConstraint("source IN ('registration', 'scan')", name="ck_duplicate_candidate_source"),
        sa.CheckConstraint(
            "grade IN ('certain', 'probable', 'possible')", name="ck_duplicate_candidate_grade"
        ),
    )
    op.create_index("ix_duplicate_candidate_person_b", "duplicate_candidate", ["person_b"])
    op.create_index(
        "ix_duplicate_candidate_status_score", "duplicate_candidate", ["status", sa.text("score DESC")]
    )

    op.create_table(
        "person_merge",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("survivor_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("merged_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_by", sa.String(200), nullable=False),
        sa.Column("snapshot", pg.JSONB(), nullable=False),
        sa.Column("unmerged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unmerged_by", sa.String(200), nullable=True),
        sa.Column("unmerge_reason", sa.String(500), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_person_merge"),
        sa.ForeignKeyConstraint(["survivor_id"], ["person.id"], name="fk_person_merge_survivor_id_person"),
        sa.ForeignKeyConstraint(["merged_id"], ["person.id"], name="fk_person_merge_merged_id_person"),
        sa.CheckConstraint("survivor_id <> merged_id", name="ck_person_merge_two_persons"),
    )
    op.create_index("ix_person_merge_survivor_id", "person_merge", ["survivor_id"])
    op.create_index("ix_person_merge_merged_id", "person_merge", ["merged_id"])
    # A person is merged into at most one survivor at a time.
    op.create_index(
        "ux_person_merge_active_merged_id",
        "person_merge",
        ["merged_id"],
        unique=True,
        postgresql_where=sa.text("unmerged_at IS NULL"),
    )
    # Blocking for the scan: persons whose normalised full names are equal, birth dates not.
    op.create_index("ix_person_search_name_norm", "person_search", ["name_norm"])


def downgrade() -> None:
    op.drop_index("ix_person_search_name_norm", table_name="person_search")
    op.drop_table("person_merge")
    op.drop_table("duplicate_candidate")
