"""MO register: territories with demographics; MO → branches → departments → rooms, licenses,
service areas; equipment with state history, usage and inventory

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as pg

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column[object]:
    return sa.Column("id", pg.UUID(as_uuid=True), nullable=False)


def _mo() -> sa.Column[object]:
    return sa.Column("mo_id", pg.UUID(as_uuid=True), nullable=False)


def _fk(table: str, column: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    ref_table = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=f"fk_{table}_{column}_{ref_table}", ondelete=ondelete
    )


def upgrade() -> None:
    op.create_table(
        "territory",
        _id(),
        sa.Column("oktmo", sa.String(11), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("center", sa.String(200), nullable=True),
        sa.Column("synthetic", sa.Boolean(), server_default="false", nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_territory"),
        sa.UniqueConstraint("oktmo", name="uq_territory_oktmo"),
    )
    op.create_table(
        "territory_population",
        sa.Column("territory_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("year", sa.SmallInteger(), nullable=False),
        sa.Column("sex", sa.String(10), nullable=False),
        sa.Column("age_from", sa.SmallInteger(), nullable=False),
        sa.Column("age_to", sa.SmallInteger(), nullable=True),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("territory_id", "year", "sex", "age_from", name="pk_territory_population"),
        _fk("territory_population", "territory_id", "territory.id", ondelete="CASCADE"),
        sa.CheckConstraint("population >= 0", name="ck_territory_population_not_negative"),
        sa.CheckConstraint("age_to IS NULL OR age_to >= age_from", name="ck_territory_population_band"),
    )
    op.create_table(
        "mo_passport",
        _mo(),
        sa.Column("territory_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("head_name", sa.String(300), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("mo_id", name="pk_mo_passport"),
        _fk("mo_passport", "mo_id", "organization.id"),
        _fk("mo_passport", "territory_id", "territory.id"),
    )
    op.create_index("ix_mo_passport_territory_id", "mo_passport", ["territory_id"])
    op.create_table(
        "mo_branch",
        _id(),
        _mo(),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("address", sa.String(500), nullable=True),
        sa.Column("territory_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mo_branch"),
        _fk("mo_branch", "mo_id", "organization.id"),
        _fk("mo_branch", "territory_id", "territory.id"),
    )
    op.create_index("ix_mo_branch_mo_id", "mo_branch", ["mo_id"])
    op.create_table(
        "mo_department",
        _id(),
        _mo(),
        sa.Column("branch_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("department_type", sa.String(40), nullable=False),
        sa.Column("care_profiles", pg.ARRAY(sa.String(20)), server_default="{}", nullable=False),
        sa.Column("beds", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mo_department"),
        _fk("mo_department", "mo_id", "organization.id"),
        _fk("mo_department", "branch_id", "mo_branch.id"),
    )
    op.create_index("ix_mo_department_mo_id", "mo_department", ["mo_id"])
    op.create_index("ix_mo_department_branch_id", "mo_department", ["branch_id"])
    op.create_table(
        "mo_room",
        _id(),
        _mo(),
        sa.Column("department_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("floor", sa.SmallInteger(), nullable=True),
        sa.Column("area_m2", sa.Numeric(8, 2), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mo_room"),
        sa.UniqueConstraint("department_id", "number", name="uq_mo_room_department_id"),
        _fk("mo_room", "mo_id", "organization.id"),
        _fk("mo_room", "department_id", "mo_department.id"),
    )
    op.create_index("ix_mo_room_mo_id", "mo_room", ["mo_id"])
    op.create_table(
        "mo_license",
        _id(),
        _mo(),
        sa.Column("number", sa.String(60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("issuer", sa.String(300), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("care_profiles", pg.ARRAY(sa.String(20)), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_mo_license"),
        _fk("mo_license", "mo_id", "organization.id"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_mo_license_period"),
    )
    op.create_index("ix_mo_license_mo_id", "mo_license", ["mo_id"])
    # The service answers an overlap with a 422 naming the field; this is the backstop.
    op.execute(
        "ALTER TABLE mo_license ADD CONSTRAINT ex_mo_license_overlap EXCLUDE USING gist "
        "(mo_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)"
    )
    op.create_table(
        "mo_area",
        _id(),
        _mo(),
        sa.Column("department_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("description", sa.String(500), nullable=True),
        sa.Column("territory_id", pg.UUID(as_uuid=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_mo_area"),
        sa.UniqueConstraint("mo_id", "code", name="uq_mo_area_mo_id"),
        _fk("mo_area", "mo_id", "organization.id"),
        _fk("mo_area", "department_id", "mo_department.id"),
        _fk("mo_area", "territory_id", "territory.id"),
    )
    op.create_index("ix_mo_area_department_id", "mo_area", ["department_id"])

    op.create_table(
        "equipment",
        _id(),
        _mo(),
        sa.Column("department_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("room_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("type_code", sa.String(40), nullable=False),
        sa.Column("model", sa.String(300), nullable=False),
        sa.Column("manufacturer", sa.String(300), nullable=False),
        sa.Column("serial_number", sa.String(100), nullable=False),
        sa.Column("inventory_number", sa.String(60), nullable=True),
        sa.Column("manufactured_year", sa.Integer(), nullable=False),
        sa.Column("commissioned_on", sa.Date(), nullable=False),
        sa.Column("norm_hours_month", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("state_since", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_equipment"),
        _fk("equipment", "mo_id", "organization.id"),
        _fk("equipment", "department_id", "mo_department.id"),
        _fk("equipment", "room_id", "mo_room.id"),
        sa.CheckConstraint(
            "state IN ('working', 'under_repair', 'decommissioned')", name="ck_equipment_state"
        ),
        sa.CheckConstraint(
            "extract(year FROM commissioned_on) >= manufactured_year", name="ck_equipment_commissioned"
        ),
    )
    # The need calculation counts an MO's working units by type.
    op.create_index("ix_equipment_mo_type_state", "equipment", ["mo_id", "type_code", "state"])
    op.create_index("ix_equipment_department_id", "equipment", ["department_id"])
    op.create_index("ix_equipment_room_id", "equipment", ["room_id"])
    op.create_table(
        "equipment_state",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("equipment_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("since", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_equipment_state"),
        _fk("equipment_state", "equipment_id", "equipment.id"),
    )
    op.create_index("ix_equipment_state_equipment_id", "equipment_state", ["equipment_id"])
    op.create_table(
        "equipment_usage",
        sa.Column("equipment_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("hours_used", sa.Numeric(6, 1), nullable=False),
        sa.PrimaryKeyConstraint("equipment_id", "month", name="pk_equipment_usage"),
        _fk("equipment_usage", "equipment_id", "equipment.id"),
        sa.CheckConstraint("extract(day FROM month) = 1", name="ck_equipment_usage_first_day"),
    )
    op.create_table(
        "equipment_inventory",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("equipment_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("inventory_number", sa.String(60), nullable=False),
        sa.Column("counted_on", sa.Date(), nullable=False),
        sa.Column("result", sa.String(20), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_equipment_inventory"),
        _fk("equipment_inventory", "equipment_id", "equipment.id"),
    )
    op.create_index("ix_equipment_inventory_equipment_id", "equipment_inventory", ["equipment_id"])


def downgrade() -> None:
    for table in (
        "equipment_inventory",
        "equipment_usage",
        "equipment_state",
        "equipment",
        "mo_area",
        "mo_license",
        "mo_room",
        "mo_department",
        "mo_branch",
        "mo_passport",
        "territory_population",
        "territory",
    ):
        op.drop_table(table)
