"""Request bodies → fact drafts: which kind, slot, period, lookup key and stored data."""

from __future__ import annotations

import re
from datetime import date

from registry.person.facts import FactDraft, FactKind
from registry.person.schemas import (
    AddressIn,
    BirthIn,
    ContactIn,
    DeathIn,
    DocumentIn,
    EmploymentIn,
    EnpIn,
    NameIn,
    SexIn,
    SnilsIn,
)


def document_key(series: str | None, number: str) -> str:
    """Series and number as one comparable string: «45 06» «123456» → «4506123456»."""
    return re.sub(r"[\s\-№]", "", f"{series or ''}{number}").upper().replace("Ё", "Е")


def name_draft(data: NameIn, birth_date: date, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.name,
        valid_from=data.valid_from or birth_date,
        data={"surname": data.surname, "first_name": data.first_name, "patronymic": data.patronymic},
        reason=data.reason,
        corrects=data.corrects,
        field_prefix=prefix,
    )


def sex_draft(data: SexIn, birth_date: date) -> FactDraft:
    return FactDraft(
        kind=FactKind.sex,
        valid_from=data.valid_from or birth_date,
        data={"sex": data.sex.value},
        reason=data.reason,
        corrects=data.corrects,
    )


def birth_draft(data: BirthIn) -> FactDraft:
    return FactDraft(
        kind=FactKind.birth,
        valid_from=data.birth_date,
        data={"birth_date": data.birth_date.isoformat(), "birth_place": data.birth_place},
        reason=data.reason,
        corrects=data.corrects,
    )


def snils_draft(data: SnilsIn, birth_date: date, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.snils,
        valid_from=data.valid_from or birth_date,
        data={"snils": data.snils},
        key=data.snils,
        reason=data.reason,
        corrects=data.corrects,
        field_prefix=prefix,
    )


def enp_draft(data: EnpIn, birth_date: date, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.enp,
        valid_from=data.valid_from or birth_date,
        data={"enp": data.enp},
        key=data.enp,
        reason=data.reason,
        corrects=data.corrects,
        field_prefix=prefix,
    )


def document_draft(data: DocumentIn, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.document,
        slot=data.type,
        valid_from=data.issue_date,
        valid_to=data.valid_to,
        key=document_key(data.series, data.number),
        data={
            "type": data.type,
            "series": data.series,
            "number": data.number,
            "issue_date": data.issue_date.isoformat(),
            "issuer": data.issuer,
        },
        corrects=data.corrects,
        field_prefix=prefix,
    )


def address_draft(data: AddressIn, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.address,
        slot=data.kind.value,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        data={
            "kind": data.kind.value,
            "text": data.text,
            "fias_id": str(data.fias_id) if data.fias_id else None,
            "okato": data.okato,
        },
        corrects=data.corrects,
        field_prefix=prefix,
    )


def contact_draft(data: ContactIn, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.contact,
        slot=data.kind.value,
        valid_from=data.valid_from,
        data={"kind": data.kind.value, "value": data.value},
        corrects=data.corrects,
        field_prefix=prefix,
    )


def employment_draft(data: EmploymentIn, prefix: str = "") -> FactDraft:
    return FactDraft(
        kind=FactKind.employment,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        data={"status": data.status.value},
        corrects=data.corrects,
        field_prefix=prefix,
    )


def death_draft(data: DeathIn) -> FactDraft:
    return FactDraft(
        kind=FactKind.death,
        valid_from=data.death_date,
        data={"death_date": data.death_date.isoformat()},
        reason=data.reason,
        corrects=data.corrects,
    )
