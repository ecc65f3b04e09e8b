"""outcomes: linkage pairs, outcomes, review decisions, contribution tariffs

- ``contribution_tariff``: the contribution for a non-working insured person per year
  (354-FZ): its inputs (base tariff, appreciation and differentiation coefficients, legal
  basis) and the computed per-capita and monthly amounts (decision 0009).
- ``linkage_pair``: a candidate pair of a run — a register subject with another subject (a
  duplicate) or with a source record — with its probability, weight, per-field evidence and
  status; ``pair_key`` is stable across runs (the key of review decisions).
- ``outcome``: the outcome of a run for a subject (keep/exclude/update/review), the main reason
  and all reasons, the excluded periods (jsonb list of {reason, from, to, months}, never across
  a year), the months excluded and the evidence.
- ``review_decision``: an operator's confirm/reject of a pair, by ``pair_key``, reused by later
  runs (the newest decision of a key holds).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contribution_tariff",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("base_tariff", sa.Numeric(12, 2), nullable=False),
        sa.Column("appreciation_coefficient", sa.Numeric(8, 4), nullable=False),
        sa.Column("differentiation_coefficient", sa.Numeric(8, 4), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("per_capita", sa.Numeric(12, 2), nullable=False),
        sa.Column("monthly", sa.Numeric(12, 2), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_contribution_tariff"),
        sa.CheckConstraint("year BETWEEN 2012 AND 2100", name="ck_contribution_tariff_year"),
        sa.CheckConstraint(
            "base_tariff > 0 AND appreciation_coefficient > 0 AND differentiation_coefficient > 0 "
            "AND per_capita > 0 AND monthly > 0",
            name="ck_contribution_tariff_positive",
        ),
    )

    op.create_table(
        "linkage_pair",
        sa.Column("id", pg.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("other_subject_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("source_record_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("pair_key", sa.Text(), nullable=False),
        sa.Column("match_probability", sa.Float(), nullable=False),
        sa.Column("match_weight", sa.Float(), nullable=False),
        sa.Column("evidence", pg.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_linkage_pair"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["verification_run.id"], name="fk_linkage_pair_run_id_verification_run"
        ),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], name="fk_linkage_pair_subject_id_subject"),
        sa.ForeignKeyConstraint(
            ["other_subject_id"], ["subject.id"], name="fk_linkage_pair_other_subject_id_subject"
        ),
        sa.ForeignKeyConstraint(
            ["source_record_id"], ["source_record.id"], name="fk_linkage_pair_source_record_id_source_record"
        ),
        sa.UniqueConstraint("run_id", "pair_key", name="uq_linkage_pair_run_id"),
        sa.CheckConstraint(
            "(other_subject_id IS NULL) <> (source_record_id IS NULL)", name="ck_linkage_pair_one_right_side"
        ),
        sa.CheckConstraint("match_probability BETWEEN 0 AND 1", name="ck_linkage_pair_probability"),
        sa.CheckConstraint(
            "status IN ('auto', 'review', 'confirmed', 'rejected', 'ignored')", name="ck_linkage_pair_status"
        ),
    )
    # The pairs of a subject in a run (the rules, the review card) and the review queue of a run.
    op.create_index("ix_linkage_pair_run_id_subject_id", "linkage_pair", ["run_id", "subject_id"])
    op.create_index(
        "ix_linkage_pair_run_id_review",
        "linkage_pair",
        ["run_id", "match_probability"],
        postgresql_where=sa.text("status = 'review'"),
    )

    op.create_table(
        "outcome",
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("outcome", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(30), nullable=True),
        sa.Column("reasons", pg.ARRAY(sa.String(30)), server_default=sa.text("'{}'"), nullable=False),
        sa.Column("periods", pg.JSONB(), server_default=sa.text("'[]'::jsonb"), nullable=False),
        sa.Column("months_excluded", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("evidence", pg.JSONB(), server_default=sa.text("'{}'::jsonb"), nullable=False),
        sa.Column("duplicate_of", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("decided_by", sa.String(200), server_default=sa.text("'rule'"), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", "subject_id", name="pk_outcome"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["verification_run.id"], name="fk_outcome_run_id_verification_run"
        ),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], name="fk_outcome_subject_id_subject"),
        sa.ForeignKeyConstraint(["duplicate_of"], ["subject.id"], name="fk_outcome_duplicate_of_subject"),
        sa.CheckConstraint("outcome IN ('keep', 'exclude', 'update', 'review')", name="ck_outcome_outcome"),
        sa.CheckConstraint("months_excluded >= 0", name="ck_outcome_months_excluded"),
    )
    # Results by outcome and reason (lists, counts, the exclusion list).
    op.create_index("ix_outcome_run_id_outcome", "outcome", ["run_id", "outcome", "reason"])

    op.create_table(
        "review_decision",
        sa.Column("id", pg.UUID(as_uuid=True), server_default=sa.text("gen_random_uuid()"), nullable=False),
        sa.Column("subject_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("pair_key", sa.Text(), nullable=False),
        sa.Column("decision", sa.String(10), nullable=False),
        sa.Column("run_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("decided_by", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_review_decision"),
        sa.ForeignKeyConstraint(["subject_id"], ["subject.id"], name="fk_review_decision_subject_id_subject"),
        sa.ForeignKeyConstraint(
            ["run_id"], ["verification_run.id"], name="fk_review_decision_run_id_verification_run"
        ),
        sa.CheckConstraint("decision IN ('confirm', 'reject')", name="ck_review_decision_decision"),
    )
    # The newest decision of a pair key (reused by the next run).
    op.create_index("ix_review_decision_pair_key", "review_decision", ["pair_key", "decided_at"])
    op.create_index("ix_review_decision_subject_id", "review_decision", ["subject_id"])


def downgrade() -> None:
    op.drop_table("review_decision")
    op.drop_table("outcome")
    op.drop_table("linkage_pair")
    op.drop_table("contribution_tariff")
