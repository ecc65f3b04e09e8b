"""stock operations: the documents behind movements (receipt, transfer, return, write-off,
inventory) with a receipt kept once per pharmacy, invoice number and date; inventory count lines;
a movement's document; marked packages' history by SGTIN (GIN index on the movement's codes)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_document",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("pharmacy_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("number", sa.String(length=60), nullable=False),
        sa.Column("doc_date", sa.Date(), nullable=False),
        sa.Column("counterparty_id", sa.UUID(), nullable=True),
        sa.Column("counterparty_name", sa.String(length=300), nullable=True),
        sa.Column("reason", sa.String(length=20), nullable=True),
        sa.Column("status", sa.String(length=10), server_default="posted", nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("posted_by", sa.String(length=200), nullable=True),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "kind IN ('receipt', 'transfer', 'return', 'write_off', 'inventory')",
            name=op.f("ck_stock_document_kind"),
        ),
        sa.CheckConstraint("status IN ('draft', 'posted')", name=op.f("ck_stock_document_status")),
        sa.CheckConstraint(
            "reason IS NULL OR reason IN ('expired', 'defect', 'damage', 'recall', 'shortage')",
            name=op.f("ck_stock_document_reason"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_document")),
    )
    op.create_index(
        "uq_stock_document_receipt",
        "stock_document",
        ["pharmacy_id", "number", "doc_date"],
        unique=True,
        postgresql_where=sa.text("kind = 'receipt'"),
    )
    op.create_index(
        "ix_stock_document_pharmacy_created", "stock_document", ["pharmacy_id", "created_at"], unique=False
    )
    op.create_table(
        "inventory_line",
        sa.Column("document_id", sa.UUID(), nullable=False),
        sa.Column("batch_id", sa.UUID(), nullable=False),
        sa.Column("counted_quantity", sa.Integer(), nullable=False),
        sa.Column("codes", postgresql.ARRAY(sa.String(length=27)), nullable=True),
        sa.Column("book_quantity", sa.Integer(), nullable=True),
        sa.Column("difference", sa.Integer(), nullable=True),
        sa.CheckConstraint("counted_quantity >= 0", name=op.f("ck_inventory_line_counted_quantity")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["stock_batch.id"], name=op.f("fk_inventory_line_batch_id_stock_batch")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stock_document.id"],
            name=op.f("fk_inventory_line_document_id_stock_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "batch_id", name=op.f("pk_inventory_line")),
    )
    op.add_column("stock_movement", sa.Column("document_id", sa.UUID(), nullable=True))
    op.create_foreign_key(
        op.f("fk_stock_movement_document_id_stock_document"),
        "stock_movement",
        "stock_document",
        ["document_id"],
        ["id"],
    )
    op.create_index("ix_stock_movement_document", "stock_movement", ["document_id"], unique=False)
    op.create_index(
        "ix_stock_movement_sgtins", "stock_movement", ["sgtins"], unique=False, postgresql_using="gin"
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movement_sgtins", table_name="stock_movement")
    op.drop_index("ix_stock_movement_document", table_name="stock_movement")
    op.drop_constraint(
        op.f("fk_stock_movement_document_id_stock_document"), "stock_movement", type_="foreignkey"
    )
    op.drop_column("stock_movement", "document_id")
    op.drop_table("inventory_line")
    op.drop_index("ix_stock_document_pharmacy_created", table_name="stock_document")
    op.drop_index("uq_stock_document_receipt", table_name="stock_document")
    op.drop_table("stock_document")
