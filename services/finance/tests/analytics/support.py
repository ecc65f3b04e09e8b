"""A small known region for the analytics and deviation tests (no tests here): three MOs —
A and B founded by one health authority, C a private clinic — and their cells of months of a
year no other test uses, added in the test's rolled-back session."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import BudgetEntry, MoProfile, Organization
from oms_kit.testing.tokens import TokenFactory

READ = ["finance.budget:read"]
DEVIATION = ["finance.budget:read", "finance.deviation:write"]
SEARCH = [*DEVIATION, "finance.deviation:search"]  # the fund and the health authority
YEAR = 2031


def month(n: int, year: int = YEAR) -> date:
    return date(year, n, 1)


@dataclass
class Region:
    client: httpx.AsyncClient
    session: AsyncSession
    tokens: TokenFactory
    founder: uuid.UUID = field(default_factory=uuid.uuid4)
    mo_a: uuid.UUID = field(default_factory=uuid.uuid4)
    mo_b: uuid.UUID = field(default_factory=uuid.uuid4)
    mo_c: uuid.UUID = field(default_factory=uuid.uuid4)

    async def add_mos(self) -> None:
        tag = uuid.uuid4().hex[:6]
        for mo, code, name, founder, form, beds, attached in (
            (self.mo_a, f"A{tag}", "ГБУЗ «Больница А»", self.founder, "budget", 100, 10_000),
            (self.mo_b, f"B{tag}", "ГБУЗ «Больница Б»", self.founder, "budget", 50, 5_000),
            (self.mo_c, f"C{tag}", "ООО «Клиника В»", None, "private", None, 2_000),
        ):
            self.session.add(Organization(id=mo, name=name, kind="mo", code=code))
            self.session.add(
                MoProfile(mo_id=mo, founder_id=founder, legal_form=form, beds=beds, attached_persons=attached)
            )
        await self.session.flush()

    async def cell(
        self,
        mo: uuid.UUID,
        when: date,
        flow: str,
        kvfo: int,
        kosgu: str,
        actual: str | int,
        planned: str | int | None = None,
    ) -> None:
        self.session.add(
            BudgetEntry(
                mo_id=mo,
                month=when,
                flow=flow,
                kvfo=kvfo,
                kosgu=kosgu,
                actual=Decimal(str(actual)),
                planned=None if planned is None else Decimal(str(planned)),
                source="manual",
                updated_by="test",
            )
        )

    def economist(self, mo: uuid.UUID | None = None) -> dict[str, str]:
        return self.tokens.auth(
            org_id=mo or self.mo_a, roles=["mo_economist"], perms=DEVIATION, subject="economist"
        )

    def health(self) -> dict[str, str]:
        return self.tokens.auth(
            org_id=self.founder, roles=["health_authority"], perms=SEARCH, subject="minzdrav"
        )

    def tfoms(self) -> dict[str, str]:
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["tfoms_analyst"], perms=SEARCH, subject="tfoms")

    def foms(self) -> dict[str, str]:
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["foms_viewer"], perms=READ, subject="foms")
