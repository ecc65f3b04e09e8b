"""Shared setup of the MO register's tests (no tests here): the project's NSI dictionaries the
register checks codes against, MOs, and the callers that meet the register."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org

from oms_kit.testing.tokens import TokenFactory
from registry.nsi.imports import ensure_dictionary, load_version
from registry.nsi.mapping import ColumnMap, map_rows
from registry.nsi.repository import NsiRepository
from registry.nsi.shipped import SHIPPED, shipped_table

READ = "registry.mo_passport:read"
WRITE = "registry.mo_passport:write"


async def load_mo_dictionaries(session: AsyncSession) -> None:
    """care_profile and equipment_type as shipped (ICD-10 is not needed here)."""
    for shipped in SHIPPED:
        if shipped.dictionary not in ("care_profile", "equipment_type"):
            continue
        dictionary = await ensure_dictionary(session, shipped.dictionary)
        assert dictionary is not None
        if await NsiRepository(session).version_named(dictionary.id, shipped.version) is not None:
            continue
        mapped = map_rows(
            shipped_table(shipped),
            ColumnMap.from_json(dictionary.columns),
            version_valid_from=shipped.valid_from,
        )
        await load_version(
            session, dictionary, mapped, version=shipped.version, valid_from=shipped.valid_from
        )
    await session.flush()


@pytest.fixture(autouse=True)
async def mo_dictionaries(session: AsyncSession) -> None:
    """Autouse wherever it is imported: every test of the module starts with the dictionaries."""
    await load_mo_dictionaries(session)


async def add_mo(session: AsyncSession, name: str = "ГБУЗ «Больница»") -> uuid.UUID:
    return await add_org(session, "mo", name)


def economist(tokens: TokenFactory, mo_id: uuid.UUID) -> dict[str, str]:
    """An MO's economist: reads and changes the passport of their own MO only."""
    return tokens.auth(roles=["mo_economist"], perms=[READ, WRITE], org_id=mo_id, org_type="mo")


def authority(tokens: TokenFactory, *, write: bool = False) -> dict[str, str]:
    """The regional health authority (region-wide); ``write`` as if granted the write permission."""
    perms = [READ, WRITE] if write else [READ]
    return tokens.auth(roles=["health_authority"], perms=perms, org_type="health_authority")


async def created(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def field_of(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    return str(response.json()["errors"][0]["field"])


async def mo_events(session: AsyncSession, mo_id: uuid.UUID) -> list[dict[str, Any]]:
    rows = await session.execute(
        text(
            "SELECT envelope->'data' FROM outbox_event WHERE type = 'registry.mo.updated' "
            "AND envelope->>'subject' = :mo ORDER BY (envelope->>'time')::timestamptz"
        ),
        {"mo": str(mo_id)},
    )
    return list(rows.scalars().all())
