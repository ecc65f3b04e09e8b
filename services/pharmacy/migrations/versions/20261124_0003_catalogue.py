"""catalogue: drugs (МНН, trade name, form, dosage, package, ATC, ЖНВЛП, marking, NSI validity),
their GTINs, and the drugs of each drug list

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "drug",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("inn", sa.String(length=300), nullable=False),
        sa.Column("trade_name", sa.String(length=300), nullable=False),
        sa.Column("dosage_form", sa.String(length=200), nullable=False),
        sa.Column("dosage", sa.String(length=100), nullable=False),
        sa.Column("package_quantity", sa.Integer(), nullable=False),
        sa.Column("atc_code", sa.String(length=7), nullable=True),
        sa.Column("vital", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("marked", sa.Boolean(), server_default="true", nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("package_quantity > 0", name=op.f("ck_drug_package_quantity")),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_drug_validity")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drug")),
    )
    op.create_index("ix_drug_inn", "drug", ["inn"], unique=False)
    op.create_index("ix_drug_trade_name", "drug", ["trade_name"], unique=False)
    op.create_table(
        "drug_gtin",
        sa.Column("gtin", sa.String(length=14), nullable=False),
        sa.Column("drug_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["drug_id"], ["drug.id"], name=op.f("fk_drug_gtin_drug_id_drug"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("gtin", name=op.f("pk_drug_gtin")),
    )
    op.create_index(op.f("ix_drug_gtin_drug_id"), "drug_gtin", ["drug_id"], unique=False)
    op.create_table(
        "drug_list_item",
        sa.Column("drug_list_code", sa.String(length=20), nullable=False),
        sa.Column("drug_id", sa.UUID(), nullable=False),
        sa.ForeignKeyConstraint(
            ["drug_id"], ["drug.id"], name=op.f("fk_drug_list_item_drug_id_drug"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["drug_list_code"], ["drug_list.code"], name=op.f("fk_drug_list_item_drug_list_code_drug_list")
        ),
        sa.PrimaryKeyConstraint("drug_list_code", "drug_id", name=op.f("pk_drug_list_item")),
    )
    op.create_index("ix_drug_list_item_drug", "drug_list_item", ["drug_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_drug_list_item_drug", table_name="drug_list_item")
    op.drop_table("drug_list_item")
    op.drop_index(op.f("ix_drug_gtin_drug_id"), table_name="drug_gtin")
    op.drop_table("drug_gtin")
    op.drop_index("ix_drug_trade_name", table_name="drug")
    op.drop_index("ix_drug_inn", table_name="drug")
    op.drop_table("drug")
