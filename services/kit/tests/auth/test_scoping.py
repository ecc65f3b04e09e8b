import uuid

import pytest
from sqlalchemy import Column, MetaData, Table, select
from sqlalchemy.dialects.postgresql import UUID

from oms_kit.auth import Principal, ensure_same_org, scope_to_org
from oms_kit.errors import NotFound

rows = Table("rows", MetaData(), Column("org_id", UUID(as_uuid=True)))


def test_org_user_query_is_filtered():
    org = uuid.uuid4()
    stmt = scope_to_org(
        select(rows), rows.c.org_id, Principal(subject="u", org_id=org, roles=frozenset({"doctor"}))
    )
    compiled = stmt.compile()
    assert "WHERE rows.org_id = " in str(compiled)
    assert org in compiled.params.values()


def test_region_wide_query_is_not_filtered():
    p = Principal(subject="u", org_id=uuid.uuid4(), roles=frozenset({"tfoms_analyst"}))
    assert "WHERE" not in str(scope_to_org(select(rows), rows.c.org_id, p).compile())


def test_other_org_resource_is_not_found():
    p = Principal(subject="u", org_id=uuid.uuid4(), roles=frozenset({"mo_economist"}))
    with pytest.raises(NotFound):
        ensure_same_org(uuid.uuid4(), p)
    ensure_same_org(p.org_id, p)
