"""persons: the register of insured persons with bitemporal facts, the search projection, НИЛ

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = (
    "name",
    "sex",
    "birth",
    "snils",
    "enp",
    "document",
    "address",
    "contact",
    "death",
    "insurance",
    "attachment",
    "employment",
)


def upgrade() -> None:
    # Both are trusted extensions: the database owner may create them (no superuser needed).
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE SEQUENCE person_oip_seq START WITH 1000001")
    op.create_table(
        "person",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column(
            "oip", sa.BigInteger(), server_default=sa.text("nextval('person_oip_seq')"), nullable=False
        ),
        sa.Column("merged_into", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("mother_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person"),
        sa.UniqueConstraint("oip", name="uq_person_oip"),
        sa.ForeignKeyConstraint(["merged_into"], ["person.id"], name="fk_person_merged_into_person"),
        sa.ForeignKeyConstraint(["mother_id"], ["person.id"], name="fk_person_mother_id_person"),
        sa.CheckConstraint(
            "merged_into IS NULL OR merged_into <> id", name="ck_person_not_merged_into_itself"
        ),
    )
    op.execute("ALTER SEQUENCE person_oip_seq OWNED BY person.oip")
    op.create_index(
        "ix_person_mother_id", "person", ["mother_id"], postgresql_where=sa.text("mother_id IS NOT NULL")
    )
    op.create_index(
        "ix_person_merged_into",
        "person",
        ["merged_into"],
        postgresql_where=sa.text("merged_into IS NOT NULL"),
    )

    kinds = ", ".join(f"'{k}'" for k in KINDS)
    op.create_table(
        "person_fact",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("slot", sa.String(40), server_default="", nullable=False),
        sa.Column("valid", pg.DATERANGE(), nullable=False),
        sa.Column(
            "recorded", pg.TSTZRANGE(), server_default=sa.text("tstzrange(now(), NULL)"), nullable=False
        ),
        sa.Column("org_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("key", sa.String(64), nullable=True),
        sa.Column("data", pg.JSONB(), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_person_fact"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_person_fact_person_id_person"),
        sa.CheckConstraint(f"kind IN ({kinds})", name="ck_person_fact_kind"),
        sa.CheckConstraint(
            "NOT isempty(valid) AND NOT lower_inf(valid)", name="ck_person_fact_valid_bounded_below"
        ),
        sa.CheckConstraint(
            "NOT isempty(recorded) AND NOT lower_inf(recorded)", name="ck_person_fact_recorded"
        ),
    )
    # What the register holds now never overlaps for one person, kind and slot.
    op.execute(
        "ALTER TABLE person_fact ADD CONSTRAINT ex_person_fact_current_overlap "
        "EXCLUDE USING gist (person_id WITH =, kind WITH =, slot WITH =, valid WITH &&) "
        "WHERE (upper_inf(recorded))"
    )
    # A person's facts (card, history, as-of reads): one index range per person.
    op.create_index("ix_person_fact_person_id", "person_fact", ["person_id", "kind"])
    # Exact lookups (SNILS, ENP, document, policy) among the facts held now.
    op.create_index(
        "ix_person_fact_current_key",
        "person_fact",
        ["kind", "key"],
        postgresql_where=sa.text("upper_inf(recorded) AND key IS NOT NULL"),
    )
    # Attachment lists and insurer scope: an organization's facts on a date.
    op.execute(
        "CREATE INDEX ix_person_fact_current_org_valid ON person_fact USING gist (org_id, kind, valid) "
        "WHERE upper_inf(recorded) AND org_id IS NOT NULL"
    )

    op.create_table(
        "person_search",
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("oip", sa.BigInteger(), nullable=False),
        sa.Column("surname", sa.String(100), nullable=False),
        sa.Column("first_name", sa.String(100), nullable=False),
        sa.Column("patronymic", sa.String(100), nullable=True),
        sa.Column("name_norm", sa.String(320), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=False),
        sa.Column("snils", sa.String(11), nullable=True),
        sa.Column("enp", sa.String(16), nullable=True),
        sa.Column("death_date", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_person_search"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_person_search_person_id_person"),
    )
    op.create_index("ix_person_search_birth_date", "person_search", ["birth_date"])
    op.execute("CREATE INDEX ix_person_search_name_trgm ON person_search USING gin (name_norm gin_trgm_ops)")

    op.create_table(
        "unidentified_person",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("sheet_number", sa.String(40), nullable=False),
        sa.Column("mo_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("admitted_on", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=True),
        sa.Column("estimated_birth_year", sa.Integer(), nullable=True),
        sa.Column("description", sa.String(2000), nullable=True),
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("linked_by", sa.String(200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unidentified_person"),
        sa.UniqueConstraint("sheet_number", name="uq_unidentified_person_sheet_number"),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_unidentified_person_person_id_person"),
    )
    op.create_index("ix_unidentified_person_mo_id", "unidentified_person", ["mo_id", "admitted_on"])
    op.create_index("ix_unidentified_person_person_id", "unidentified_person", ["person_id"])


def downgrade() -> None:
    op.drop_table("unidentified_person")
    op.drop_table("person_search")
    op.drop_table("person_fact")
    op.drop_table("person")
