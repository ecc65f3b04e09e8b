"""A small region for the form tests: two MOs founded by one health authority and a third by
another, and hand-made budget entries of 2025 whose form cells are worked out by hand in the
tests (``KNOWN``)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import BudgetEntry, MoProfile, Organization
from oms_kit.testing.tokens import TokenFactory

READ = ["finance.report:read", "finance.budget:read", "finance.organization:read"]
ECONOMIST = [*READ, "finance.report:write", "finance.budget:write"]
ACCEPT = [*READ, "finance.report:accept"]


@dataclass(frozen=True)
class Region:
    mo_a: uuid.UUID
    mo_b: uuid.UUID
    mo_c: uuid.UUID  # founded by another authority
    founder: uuid.UUID
    other_founder: uuid.UUID
    tfoms: uuid.UUID


# (mo, month, flow, kvfo, kosgu, planned, actual) of MO A; see the expected cells in the tests.
ENTRIES_A = [
    (1, "income", 7, "132", "1100", "1000"),
    (1, "expense", 7, "211", "450", "400"),
    (1, "expense", 7, "213", "130", "120"),
    (1, "expense", 7, "223", None, "50"),
    (1, "expense", 7, "341", "180", "200"),
    (1, "income", 2, "131", None, "100"),
    (1, "expense", 2, "226", None, "40"),
    (2, "income", 7, "132", "1100", "900"),
    (2, "income", 7, "133", None, "30"),
    (2, "expense", 7, "211", "450", "410"),
    (2, "expense", 7, "226", None, "25"),
    (2, "expense", 7, "342", None, "15"),
    (2, "payable", 7, "211", None, "70"),
    (3, "expense", 7, "211", None, "400"),
    (3, "expense", 7, "310", None, "60"),
    (3, "expense", 4, "211", None, "300"),
    (3, "payable", 7, "211", None, "80"),
    (3, "payable", 7, "223", None, "5"),
    (4, "expense", 7, "211", None, "999"),
]
# MO B: a little of everything in 2025 so the consolidated form sums two MOs.
ENTRIES_B = [
    (1, "income", 7, "132", "500", "500"),
    (2, "expense", 7, "211", "300", "300"),
    (3, "payable", 7, "211", None, "20"),
]


def entry(mo: uuid.UUID, month: int, flow: str, kvfo: int, kosgu: str, planned: str | None, actual: str,
          year: int = 2025) -> dict[str, object]:  # fmt: skip
    return {
        "id": uuid.uuid4(),
        "mo_id": mo,
        "month": date(year, month, 1),
        "flow": flow,
        "kvfo": kvfo,
        "kosgu": kosgu,
        "planned": Decimal(planned) if planned is not None else None,
        "actual": Decimal(actual),
        "source": "manual",
        "updated_by": "test",
    }


@pytest.fixture
async def region(session: AsyncSession) -> Region:
    r = Region(*(uuid.uuid4() for _ in range(6)))
    session.add_all(
        [
            Organization(id=r.mo_a, name="ГБУЗ «Городская больница № 1»", kind="mo", code="A1"),
            Organization(id=r.mo_b, name="ГБУЗ «Районная больница»", kind="mo", code="B1"),
            Organization(id=r.mo_c, name="ГАУЗ «Стоматологическая поликлиника»", kind="mo", code="C1"),
            MoProfile(mo_id=r.mo_a, founder_id=r.founder),
            MoProfile(mo_id=r.mo_b, founder_id=r.founder),
            MoProfile(mo_id=r.mo_c, founder_id=r.other_founder),
        ]
    )
    await session.flush()
    rows = [entry(r.mo_a, *e) for e in ENTRIES_A] + [entry(r.mo_b, *e) for e in ENTRIES_B]
    await session.execute(insert(BudgetEntry), rows)
    return r


Headers = Callable[..., dict[str, str]]


@pytest.fixture
def as_(tokens: TokenFactory, region: Region) -> Headers:
    """``as_("economist", mo)``, ``as_("tfoms")``, ``as_("health", founder)``, ``as_("foms")``."""

    def headers(who: str, org: uuid.UUID | None = None) -> dict[str, str]:
        roles, perms, default = {
            "economist": (["mo_economist"], ECONOMIST, region.mo_a),
            "tfoms": (["tfoms_analyst"], ACCEPT, region.tfoms),
            "health": (["health_authority"], ACCEPT, region.founder),
            "foms": (["foms_viewer"], READ, uuid.uuid4()),
            "foms_exchange": (["foms_exchange"], ["finance.report:read"], uuid.uuid4()),
        }[who]
        token = tokens.token(org_id=org or default, roles=roles, perms=perms, subject=f"{who}-user")
        return {"Authorization": f"Bearer {token}"}

    return headers
