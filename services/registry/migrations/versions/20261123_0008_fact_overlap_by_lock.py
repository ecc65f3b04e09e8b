"""person facts: overlaps of current facts are refused by the service under the person's lock
and by a unique btree on open-ended current facts, no longer by a GiST exclusion constraint

The exclusion constraint's btree_gist index over (person_id, kind, slot, valid) cost more than
every other part of a write together and grew worse with the register's size (a bulk import fell
to a few hundred rows/s at 2 million persons); see docs/decisions/0007 (amended).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER TABLE person_fact DROP CONSTRAINT IF EXISTS ex_person_fact_current_overlap")
    # At most one open-ended current fact per person, kind and slot: the common shape of an
    # overlap (two "from D on" records of one thing) stays impossible for any writer.
    op.execute(
        "CREATE UNIQUE INDEX ux_person_fact_open_current ON person_fact (person_id, kind, slot) "
        "WHERE upper_inf(recorded) AND upper_inf(valid)"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ux_person_fact_open_current")
    op.execute(
        "ALTER TABLE person_fact ADD CONSTRAINT ex_person_fact_current_overlap "
        "EXCLUDE USING gist (person_id WITH =, kind WITH =, slot WITH =, valid WITH &&) "
        "WHERE (upper_inf(recorded))"
    )
