"""Shared setup of the person register's tests: organizations, document types, valid
identifiers, tokens of the roles that meet the register."""

from __future__ import annotations

import itertools
import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.identifiers import complete_enp, complete_snils
from oms_kit.testing.tokens import TokenFactory
from registry.formats.nsi import read_table
from registry.models import Organization
from registry.nsi.catalog import DOCUMENT_TYPE, POLICY_TYPE
from registry.nsi.imports import ensure_dictionary, load_version
from registry.nsi.mapping import map_rows
from registry.nsi.shipped import SHIPPED, shipped_table

PASSPORT = "14"  # F011: паспорт гражданина Российской Федерации
BIRTH_CERTIFICATE = "03"
PERSON_RW = [
    "registry.person:read",
    "registry.person:write",
    "registry.attachment:read",
    "registry.attachment:write",
]
_numbers = itertools.count(1)


def new_snils() -> str:
    return complete_snils(f"{200_000_000 + next(_numbers) * 7919:09d}")


def new_enp() -> str:
    return complete_enp(f"{770_000_000_000_000 + next(_numbers) * 104_729:015d}")


async def seed_document_types(session: AsyncSession) -> None:
    dictionary = await ensure_dictionary(session, DOCUMENT_TYPE.code)
    assert dictionary is not None
    body = (
        "IDDoc;DocName;DocSer;DocNum;DATEBEG;DATEEND\n"
        "03;Свидетельство о рождении;;;;\n14;Паспорт гражданина РФ;;;;\n"
    )
    mapped = map_rows(read_table(body.encode()), DOCUMENT_TYPE.columns, version_valid_from=date(2011, 1, 1))
    await load_version(session, dictionary, mapped, version="test", valid_from=date(2011, 1, 1))
    await session.flush()


async def seed_policy_types(session: AsyncSession) -> None:
    """F008 as shipped (``nsi/data/f008.csv``)."""
    shipped = next(s for s in SHIPPED if s.dictionary == POLICY_TYPE.code)
    dictionary = await ensure_dictionary(session, POLICY_TYPE.code)
    assert dictionary is not None
    mapped = map_rows(shipped_table(shipped), POLICY_TYPE.columns, version_valid_from=shipped.valid_from)
    await load_version(session, dictionary, mapped, version=shipped.version, valid_from=shipped.valid_from)
    await session.flush()


async def add_org(session: AsyncSession, kind: str, name: str = "Организация") -> uuid.UUID:
    org = Organization(id=uuid.uuid4(), name=name, kind=kind, code=None)
    session.add(org)
    await session.flush()
    return org.id


def operator(
    tokens: TokenFactory, org_id: uuid.UUID | None = None, org_type: str = "tfoms"
) -> dict[str, str]:
    """A registry operator of the TFOMS (sees the whole register) or of ``org_id``."""
    return tokens.auth(
        roles=["registry_operator"], perms=PERSON_RW, org_id=org_id or uuid.uuid4(), org_type=org_type
    )


def person_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "surname": "Иванова",
        "first_name": "Алёна",
        "patronymic": "Петровна",
        "sex": "female",
        "birth_date": "1990-03-15",
        "birth_place": "г. Тверь",
        "snils": new_snils(),
        "enp": new_enp(),
        "documents": [
            {
                "type": PASSPORT,
                "series": "28 10",
                "number": f"{next(_numbers):06d}",
                "issue_date": "2010-04-01",
            }
        ],
        "addresses": [
            {"kind": "registration", "text": "г. Тверь, ул. Советская, д. 1", "valid_from": "2010-01-01"}
        ],
    }
    body.update(overrides)
    return body
