from __future__ import annotations

import uuid
from typing import Any

from oms_kit.testing.tokens import TokenFactory

READ = ["pharmacy.beneficiary:read"]
WRITE = ["pharmacy.beneficiary:read", "pharmacy.beneficiary:write"]


def operator(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["registry_operator"], perms=WRITE, subject="operator")


def pharmacist(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["pharmacist"], perms=READ, subject="pharmacist")


def beneficiary(person_id: uuid.UUID | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "person_id": str(person_id or uuid.uuid4()),
        "surname": "Петрова",
        "first_name": "Анна",
        "birth_date": "1950-03-01",
        "sex": "female",
        **extra,
    }
