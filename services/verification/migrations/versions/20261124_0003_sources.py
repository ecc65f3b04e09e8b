"""sources: answers of external sources (batches, records, rejected rows, SMEV requests)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SOURCES = "source IN ('fns', 'sfr', 'zags', 'mvd', 'military')"


def upgrade() -> None:
    op.create_table(
        "source_batch",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("mode", sa.String(10), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("message_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("file_name", sa.String(300), nullable=True),
        sa.Column("media_type", sa.String(100), nullable=True),
        sa.Column("organization_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("received_by", sa.String(200), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("counts", pg.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_batch"),
        # The same answer twice is one batch: a file by its content, a message by its id.
        sa.UniqueConstraint("source", "sha256", name="uq_source_batch_sha256"),
        sa.UniqueConstraint("source", "message_id", name="uq_source_batch_message_id"),
        sa.CheckConstraint(SOURCES, name="ck_source_batch_source"),
        sa.CheckConstraint(
            "(mode = 'file' AND sha256 IS NOT NULL) OR (mode = 'smev' AND message_id IS NOT NULL)",
            name="ck_source_batch_key",
        ),
    )

    op.create_table(
        "source_record",
        sa.Column("id", pg.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("batch_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=True),
        sa.Column("surname", sa.String(200), nullable=True),
        sa.Column("first_name", sa.String(200), nullable=True),
        sa.Column("patronymic", sa.String(200), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("sex", sa.String(10), nullable=True),
        sa.Column("snils", sa.String(11), nullable=True),
        sa.Column("enp", sa.String(16), nullable=True),
        sa.Column("doc_type", sa.String(20), nullable=True),
        sa.Column("doc_series", sa.String(20), nullable=True),
        sa.Column("doc_number", sa.String(40), nullable=True),
        sa.Column("inn", sa.String(12), nullable=True),
        sa.Column("district", sa.String(20), nullable=True),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("attributes", pg.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("fingerprint", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_record"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["source_batch.id"], name="fk_source_record_batch_id_source_batch"
        ),
        # The same fact from the same source is stored once, whichever batch brought it.
        sa.UniqueConstraint("source", "fingerprint", name="uq_source_record_fingerprint"),
        sa.CheckConstraint(SOURCES, name="ck_source_record_source"),
        sa.CheckConstraint("sex IS NULL OR sex IN ('male', 'female')", name="ck_source_record_sex"),
        sa.CheckConstraint(
            "date_to IS NULL OR date_from IS NULL OR date_to >= date_from", name="ck_source_record_period"
        ),
    )
    op.create_index("ix_source_record_batch_id", "source_record", ["batch_id"])
    op.create_index("ix_source_record_source_kind", "source_record", ["source", "kind"])

    op.create_table(
        "source_rejection",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("batch_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("row_no", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(60), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_source_rejection"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["source_batch.id"], name="fk_source_rejection_batch_id_source_batch"
        ),
    )
    op.create_index("ix_source_rejection_batch_id", "source_rejection", ["batch_id"])

    op.create_table(
        "smev_request",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("message_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("status", sa.String(10), server_default="queued", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("persons", sa.Integer(), nullable=False),
        sa.Column("payload", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("batch_id", pg.UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_smev_request"),
        sa.UniqueConstraint("message_id", name="uq_smev_request_message_id"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["verification_run.id"], name="fk_smev_request_run_id_verification_run"
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["source_batch.id"], name="fk_smev_request_batch_id_source_batch"
        ),
        sa.CheckConstraint(SOURCES, name="ck_smev_request_source"),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'answered', 'failed', 'expired')", name="ck_smev_request_status"
        ),
    )
    op.create_index("ix_smev_request_run_id", "smev_request", ["run_id"])
    op.create_index("ix_smev_request_source_status", "smev_request", ["source", "status", "next_attempt_at"])
    # The daily quota counts the requests a source accepted on a day.
    op.create_index("ix_smev_request_source_sent_at", "smev_request", ["source", "sent_at"])


def downgrade() -> None:
    op.drop_table("smev_request")
    op.drop_table("source_rejection")
    op.drop_table("source_record")
    op.drop_table("source_batch")
