"""register: the register of a run (runs, subjects, entries, rejected rows)

- ``verification_run``: one verification of a payer's register of non-working insured
  persons as of a date, for a period; the later stages keep their state here (finished
  stage, counts, the trained linkage model reused by the next run).
- ``subject``: the stable id of a register person across runs, by a key (ЕНП, else СНИЛС,
  else the normalised name with the birth date; the registry person id when the register
  came from ``registry``); see ``verification.register.subjects``.
- ``register_entry``: a register row of a run, one per subject; ``fingerprint`` tells the
  next run whether the person's fields changed.
- ``register_rejection``: the problems of the rows a run could not take (Russian messages).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "verification_run",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("organization_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("register_source", sa.String(10), nullable=False),
        sa.Column("job_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("previous_run_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("finished_stage", sa.String(20), nullable=True),
        sa.Column("counts", pg.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("linkage_model", pg.JSONB(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verification_run"),
        sa.ForeignKeyConstraint(
            ["previous_run_id"],
            ["verification_run.id"],
            name="fk_verification_run_previous_run_id_verification_run",
        ),
        sa.CheckConstraint(
            "register_source IN ('file', 'registry')", name="ck_verification_run_register_source"
        ),
        sa.CheckConstraint("period_from <= period_to", name="ck_verification_run_period"),
    )
    # An organization's runs, newest first (lists, the previous run of an incremental one).
    op.create_index(
        "ix_verification_run_organization_id", "verification_run", ["organization_id", "created_at"]
    )
    op.create_index(
        "ix_verification_run_job_id",
        "verification_run",
        ["job_id"],
        postgresql_where=sa.text("job_id IS NOT NULL"),
    )

    op.create_table(
        "subject",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("first_run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_subject"),
        # The lookup of every loaded row: one btree descent by key.
        sa.UniqueConstraint("key", name="uq_subject_key"),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["verification_run.id"], name="fk_subject_first_run_id_verification_run"
        ),
    )

    op.create_table(
        "register_entry",
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("patronymic", sa.String(100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(6), nullable=False),
        sa.Column("snils", sa.String(11), nullable=True),
        sa.Column("enp", sa.String(16), nullable=True),
        sa.Column("doc_type", sa.String(20), nullable=True),
        sa.Column("doc_series", sa.String(20), nullable=True),
        sa.Column("doc_number", sa.String(30), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("district", sa.String(20), nullable=True),
        sa.Column("fingerprint", sa.LargeBinary(16), nullable=False),
        # A run's entries are one range of the key; the previous run's entry of a subject is one
        # probe. subject_id has no foreign key: the load takes it from ``subject`` by key in the
        # same statement (a per-row FK check cost a quarter of the insert), and subjects are
        # never deleted.
        sa.PrimaryKeyConstraint("run_id", "subject_id", name="pk_register_entry"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["verification_run.id"],
            name="fk_register_entry_run_id_verification_run",
            ondelete="CASCADE",
        ),
        sa.CheckConstraint("sex IN ('male', 'female')", name="ck_register_entry_sex"),
    )
    # The run's rows in file order (lists, the error report beside them).
    op.create_index("ix_register_entry_run_id_row_no", "register_entry", ["run_id", "row_no"])

    op.create_table(
        "register_rejection",
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("message", sa.String(500), nullable=False),
        # One problem per row and field; a reload of the same file after a crash adds nothing.
        sa.PrimaryKeyConstraint("run_id", "row_no", "field", name="pk_register_rejection"),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["verification_run.id"],
            name="fk_register_rejection_run_id_verification_run",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("register_rejection")
    op.drop_table("register_entry")
    op.drop_table("subject")
    op.drop_table("verification_run")
