"""Request and response bodies of the person register."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from oms_kit.identifiers import enp_is_valid, snils_is_valid
from oms_kit.identifiers.snils import digits_of


class Sex(enum.StrEnum):
    male = "male"
    female = "female"


class AddressKind(enum.StrEnum):
    registration = "registration"  # адрес регистрации по месту жительства
    residence = "residence"  # адрес фактического проживания (пребывания)


class ContactKind(enum.StrEnum):
    phone = "phone"
    email = "email"


class EmploymentStatus(enum.StrEnum):
    working = "working"
    non_working = "non_working"


def _snils(value: str) -> str:
    if not snils_is_valid(value):
        raise ValueError("СНИЛС должен состоять из 11 цифр с верным контрольным числом")
    return digits_of(value)


def _enp(value: str) -> str:
    if not enp_is_valid(value):
        raise ValueError("ЕНП должен состоять из 16 цифр с верной контрольной цифрой")
    return value


def _not_future(value: date) -> date:
    if value > date.today():
        raise ValueError("Дата не может быть в будущем")
    return value


Snils = Annotated[str, AfterValidator(_snils), Field(description="СНИЛС, 11 цифр (можно с дефисами)")]
Enp = Annotated[str, AfterValidator(_enp), Field(description="ЕНП, 16 цифр")]
PastDate = Annotated[date, AfterValidator(_not_future)]
NamePart = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-zА-Яа-яЁё' .\-]+$")]
Corrects = Annotated[
    int | None,
    Field(description="Идентификатор исправляемого факта: старая запись закрывается, история сохраняется"),
]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class NameIn(_In):
    surname: NamePart
    first_name: NamePart
    patronymic: NamePart | None = None
    valid_from: date | None = Field(
        default=None, description="С какой даты действует (по умолчанию — с рождения)"
    )
    reason: str | None = Field(
        default=None, max_length=200, description="Основание: брак, решение суда, исправление"
    )
    corrects: Corrects = None


class DocumentIn(_In):
    type: str = Field(min_length=1, max_length=10, description="Код вида документа по справочнику ФФОМС F011")
    series: str | None = Field(default=None, max_length=20)
    number: str = Field(min_length=1, max_length=30)
    issue_date: PastDate
    issuer: str | None = Field(default=None, max_length=500)
    valid_to: date | None = Field(default=None, description="Последний день действия (включительно)")
    corrects: Corrects = None


class AddressIn(_In):
    kind: AddressKind
    text: str = Field(min_length=3, max_length=1000)
    fias_id: uuid.UUID | None = Field(default=None, description="Идентификатор объекта ФИАС/ГАР")
    okato: str | None = Field(default=None, pattern=r"^\d{2,11}$", description="Код ОКАТО территории")
    valid_from: date
    valid_to: date | None = None
    corrects: Corrects = None


class ContactIn(_In):
    kind: ContactKind
    value: str = Field(min_length=3, max_length=200)
    valid_from: date
    corrects: Corrects = None


class EmploymentIn(_In):
    status: EmploymentStatus
    valid_from: date
    valid_to: date | None = None
    corrects: Corrects = None


class IdentifierIn(_In):
    valid_from: date | None = Field(default=None, description="С какой даты (по умолчанию — с рождения)")
    reason: str | None = Field(default=None, max_length=200)
    corrects: Corrects = None


class SnilsIn(IdentifierIn):
    snils: Snils


class EnpIn(IdentifierIn):
    enp: Enp


class BirthIn(_In):
    birth_date: PastDate
    birth_place: str | None = Field(default=None, max_length=500)
    reason: str | None = Field(default=None, max_length=200)
    corrects: Corrects = None


class SexIn(_In):
    sex: Sex
    valid_from: date | None = None
    reason: str | None = Field(default=None, max_length=200)
    corrects: Corrects = None


class DeathIn(_In):
    death_date: PastDate
    reason: str | None = Field(default=None, max_length=200, description="Основание: запись акта о смерти")
    corrects: Corrects = None


class PersonCreate(_In):
    surname: NamePart
    first_name: NamePart
    patronymic: NamePart | None = None
    sex: Sex
    birth_date: PastDate
    birth_place: str | None = Field(default=None, max_length=500)
    snils: Snils | None = None
    enp: Enp | None = None
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=10)
    contacts: list[ContactIn] = Field(default_factory=list, max_length=10)
    employment: EmploymentIn | None = None
    mother_id: uuid.UUID | None = Field(default=None, description="Мать (для новорождённого)")
    confirm_new: bool = Field(
        default=False,
        description="Оператор проверил найденные совпадения: это новый человек (иначе вероятный "
        "дубликат — ответ 409 со списком кандидатов)",
    )


class Period(BaseModel):
    fact_id: int
    valid_from: date
    valid_to: date | None


class NameRead(Period):
    surname: str
    first_name: str
    patronymic: str | None
    reason: str | None = None


class DocumentRead(Period):
    type: str
    series: str | None
    number: str
    issue_date: date
    issuer: str | None


class AddressRead(Period):
    kind: AddressKind
    text: str
    fias_id: uuid.UUID | None
    okato: str | None


class ContactRead(Period):
    kind: ContactKind
    value: str


class InsuranceRead(Period):
    insurer_id: uuid.UUID
    policy_type: str
    policy_series: str | None
    policy_number: str


class AttachmentRead(Period):
    mo_id: uuid.UUID
    area_code: str | None
    method: str
    application_date: date | None


class PersonRead(BaseModel):
    """A person as of ``on`` (validity) and ``as_of`` (what the register knew then)."""

    id: uuid.UUID
    oip: int
    requested_id: uuid.UUID = Field(description="Запрошенный идентификатор")
    merged_into: uuid.UUID | None = Field(
        description="Если запрошенная персона объединена — идентификатор персоны-продолжателя"
    )
    on: date
    as_of: datetime
    name: NameRead | None
    sex: Sex | None
    birth_date: date | None
    birth_place: str | None
    snils: str | None
    enp: str | None
    death_date: date | None
    documents: list[DocumentRead]
    addresses: list[AddressRead]
    contacts: list[ContactRead]
    insurance: InsuranceRead | None
    attachment: AttachmentRead | None
    employment: EmploymentStatus | None
    mother_id: uuid.UUID | None
    created_at: datetime


class PersonSummary(BaseModel):
    """A search hit: the current state from the search projection."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    oip: int
    surname: str
    first_name: str
    patronymic: str | None
    birth_date: date
    sex: Sex
    snils: str | None
    enp: str | None
    death_date: date | None
    score: float | None = Field(default=None, description="Сходство ФИО (0…1) при поиске по ФИО")
    birth_date_swapped: bool = Field(
        default=False, description="Найдено по дате рождения с переставленными днём и месяцем"
    )


class FactRead(BaseModel):
    fact_id: int
    kind: str
    slot: str
    valid_from: date
    valid_to: date | None
    recorded_from: datetime
    recorded_to: datetime | None
    data: dict[str, Any]
    reason: str | None
    recorded_by: str


class PersonHistory(BaseModel):
    person_id: uuid.UUID
    oip: int
    facts: list[FactRead]


class NonWorkingPerson(BaseModel):
    """A person of the non-working register on a date, in the columns of the verification
    service's register file (docs/formats.md)."""

    person_id: uuid.UUID
    surname: str | None
    first_name: str | None
    patronymic: str | None
    birth_date: date | None
    sex: Sex | None
    snils: str | None
    enp: str | None
    doc_type: str | None = Field(description="Код вида документа (F011)")
    doc_series: str | None
    doc_number: str | None
    address: str | None = Field(description="Адрес регистрации на дату")
    district: str | None = Field(
        description="ОКАТО адреса регистрации, а если его нет — ОКТМО территории МО прикрепления на дату"
    )


class NonWorkingPage(BaseModel):
    items: list[NonWorkingPerson]
    next_after: uuid.UUID | None = Field(
        description="Передать как after, чтобы получить следующую страницу; null — страниц больше нет"
    )


class ExclusionRead(BaseModel):
    """An exclusion of the person from the non-working register by a verification run."""

    run_id: uuid.UUID
    organization_id: uuid.UUID = Field(description="Плательщик, проводивший сверку")
    reason: str
    reason_title: str
    reasons: list[str]
    reason_titles: list[str]
    months_excluded: int = Field(description="Исключено месяцев в периоде сверки")
    duplicate_of: uuid.UUID | None = Field(description="Для дубликата — запись сверки, оставленная вместо")
    excluded_at: datetime = Field(description="Когда сверка исключила")
    reinstated_at: datetime | None = Field(description="Когда более поздняя сверка вернула в регистр")
    reinstated_on: date | None = Field(
        description="Дата, на которую более поздняя сверка оставила в регистре"
    )


class PersonExclusions(BaseModel):
    person_id: uuid.UUID
    items: list[ExclusionRead]
