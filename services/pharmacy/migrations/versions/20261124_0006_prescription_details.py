"""prescription details: the patient and the paper as written on the form at issue (name, birth
date, SNILS, policy, medical record number, the barcode of 148-1/у-06(л)); search indexes by
МНН and issue date

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("patient_full_name", sa.String(length=300)),
    ("patient_birth_date", sa.Date()),
    ("patient_snils", sa.String(length=11)),
    ("patient_policy_number", sa.String(length=16)),
    ("medical_record_number", sa.String(length=30)),
    ("barcode", sa.String(length=100)),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("prescription", sa.Column(name, type_, nullable=True))
    op.create_index("ix_prescription_inn", "prescription", ["inn"], unique=False)
    op.create_index("ix_prescription_issued_on", "prescription", ["issued_on"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_prescription_issued_on", table_name="prescription")
    op.drop_index("ix_prescription_inn", table_name="prescription")
    for name, _ in reversed(COLUMNS):
        op.drop_column("prescription", name)
