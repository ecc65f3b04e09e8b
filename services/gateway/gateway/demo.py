"""Demo data of a synthetic region (Приозёрская область) for ``make run``: its funds, the
ministry, the payer for the non-working, an insurer, about 50 MOs, 30 pharmacies, a warehouse,
one demo user per role, all with the password ``demo`` — for development only — and two
months of their sign-ins (``gateway.activity.history``) for the activity dashboard.

Idempotent: ids are derived from the register codes, existing rows are left as they are.
Organizations are registered through the same service function as the API, so their
``gateway.organization.registered`` events go to the outbox and the services get their
copies. The caller owns the transaction (``async with session.begin(): await seed(session)``)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.access.roles import permissions_for
from gateway.activity.history import REGION_TZ, Account, sign_in_history
from gateway.activity.repository import SignInActivityRepository
from gateway.api_key import service as api_keys
from gateway.api_key.schemas import ApiKeyCreate
from gateway.auth.passwords import hash_password
from gateway.models import UserAccount
from gateway.models.organization import OrganizationKind
from gateway.organization import service as organizations
from gateway.organization.identifiers import complete_inn, complete_ogrn
from gateway.organization.repository import OrganizationRepository
from gateway.organization.schemas import OrganizationCreate
from gateway.user.repository import UserRepository
from oms_kit.auth import Principal
from oms_kit.pagination import PageParams

DEMO_PASSWORD = "demo"  # noqa: S105  (dev-only demo accounts)
_NAMESPACE = uuid.UUID("6f1c2a5e-3d4b-4c8e-9a7f-0b1d2e3f4a5b")
# The demo patient's id in the registry: the registry's demo data creates this person.
DEMO_PATIENT_PERSON_ID = uuid.uuid5(_NAMESPACE, "person:patient")


@dataclass(frozen=True)
class _Org:
    key: str
    kind: OrganizationKind
    code: str
    name: str
    serial: int  # builds a valid INN and OGRN

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(_NAMESPACE, f"organization:{self.kind.value}:{self.code}")


@dataclass(frozen=True)
class _User:
    login: str
    full_name: str
    role: str
    org: str
    person_id: uuid.UUID | None = None


K = OrganizationKind
ORGANIZATIONS: tuple[_Org, ...] = (
    _Org("tfoms", K.tfoms, "99", "Территориальный фонд ОМС Приозёрской области", 1),
    _Org("foms", K.foms, "00", "Федеральный фонд обязательного медицинского страхования", 2),
    _Org("minzdrav", K.health_authority, "99-MZ", "Министерство здравоохранения Приозёрской области", 3),
    _Org(
        "payer", K.payer, "99-SN", "Управление по страхованию неработающего населения Приозёрской области", 4
    ),
    _Org("insurer", K.insurer, "99001", "ООО «Страховая медицинская компания «Приозёрье-Мед»", 5),
    _Org("mo1", K.mo, "990001", "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»", 6),
    _Org("mo2", K.mo, "990002", "ГБУЗ «Приозёрская областная клиническая больница»", 7),
    _Org("mo3", K.mo, "990003", "ГБУЗ «Заречная центральная районная больница»", 8),
    _Org("pharmacy1", K.pharmacy, "990101", "ГУП «Приозёрская областная аптека», аптека № 1", 9),
    _Org("pharmacy2", K.pharmacy, "990102", "ГУП «Приозёрская областная аптека», аптека № 14", 10),
    _Org("warehouse", K.warehouse, "990201", "ГУП «Приозёрская областная аптека», аптечный склад", 11),
)
# The rest of the region's MOs working in CMI (about 50 in all, as the registry's demo
# expects): no demo logins, they fill the registers, dashboards and reports.
_MORE_MO_NAMES = (
    "ГБУЗ «Городская поликлиника № 1 г. Приозёрска»",
    "ГБУЗ «Городская поликлиника № 3 г. Приозёрска»",
    "ГБУЗ «Городская поликлиника № 4 г. Приозёрска»",
    "ГБУЗ «Городская поликлиника № 5 г. Приозёрска»",
    "ГБУЗ «Городская поликлиника № 6 г. Приозёрска»",
    "ГБУЗ «Городская поликлиника № 7 г. Приозёрска»",
    "ГБУЗ «Детская городская поликлиника № 1 г. Приозёрска»",
    "ГБУЗ «Детская городская поликлиника № 2 г. Приозёрска»",
    "ГБУЗ «Городская больница № 1 г. Приозёрска»",
    "ГБУЗ «Городская больница № 2 г. Приозёрска»",
    "ГБУЗ «Городская больница № 3 г. Приозёрска»",
    "ГБУЗ «Приозёрская областная детская клиническая больница»",
    "ГБУЗ «Приозёрский областной перинатальный центр»",
    "ГБУЗ «Родильный дом № 1 г. Приозёрска»",
    "ГБУЗ «Приозёрский областной онкологический диспансер»",
    "ГБУЗ «Приозёрский областной кардиологический диспансер»",
    "ГБУЗ «Приозёрский областной кожно-венерологический диспансер»",
    "ГБУЗ «Приозёрская областная инфекционная больница»",
    "ГБУЗ «Приозёрский областной госпиталь для ветеранов войн»",
    "ГБУЗ «Приозёрский областной центр медицинской реабилитации»",
    "ГБУЗ «Станция скорой медицинской помощи г. Приозёрска»",
    "ГАУЗ «Стоматологическая поликлиника № 1 г. Приозёрска»",
    "ГАУЗ «Стоматологическая поликлиника № 2 г. Приозёрска»",
    "ГАУЗ «Детская стоматологическая поликлиника г. Приозёрска»",
    "ГБУЗ «Приозёрский областной центр общественного здоровья и медицинской профилактики»",
    "ГБУЗ «Лесогорская центральная районная больница»",
    "ГБУЗ «Лесогорская городская больница»",
    "ГБУЗ «Озёрная центральная районная больница»",
    "ГБУЗ «Береговая центральная районная больница»",
    "ГБУЗ «Сосновоборская центральная районная больница»",
    "ГАУЗ «Сосновоборская стоматологическая поликлиника»",
    "ГБУЗ «Каменноключевская центральная районная больница»",
    "ГБУЗ «Верхнеречинская центральная районная больница»",
    "ГБУЗ «Светлоярская центральная районная больница»",
    "ГБУЗ «Светлоярская городская поликлиника»",
    "ГБУЗ «Боровлянская центральная районная больница»",
    "ГБУЗ «Заречная детская больница»",
    "ГБУЗ «Станция скорой медицинской помощи Заречного района»",
    "ООО «Медицинский центр «Здоровье»",
    "ООО «Клиника «Диагност»",
    "ООО «Центр диализа «Приозёрье»",
    "ООО «Стоматология «Улыбка»",
    "АО «Медицина плюс»",
    "ООО «Центр ЭКО «Надежда»",
    "ООО «МРТ-Эксперт Приозёрск»",
    "ООО «Лаборатория «Гемотест Приозёрье»",
    "ООО «Офтальмологическая клиника «Зрение»",
)
ORGANIZATIONS += tuple(
    _Org(f"mo{n}", K.mo, f"99{n:04d}", name, 11 + i)
    for i, (n, name) in enumerate(enumerate(_MORE_MO_NAMES, start=4), start=1)
)
# The rest of the region's pharmacies serving benefit prescriptions (30 in all with the two
# above): branches of the regional state pharmacy and a few private chains; codes 990103…990130,
# serials after the MOs' (the last MO has 58).
_MORE_PHARMACY_NAMES = (
    "ГУП «Приозёрская областная аптека», аптека № 2",
    "ГУП «Приозёрская областная аптека», аптека № 3",
    "ГУП «Приозёрская областная аптека», аптека № 5",
    "ГУП «Приозёрская областная аптека», аптека № 7",
    "ГУП «Приозёрская областная аптека», аптека № 9",
    "ГУП «Приозёрская областная аптека», аптека № 11",
    "ГУП «Приозёрская областная аптека», аптека № 16",
    "ГУП «Приозёрская областная аптека», аптека № 21 (г. Лесогорск)",
    "ГУП «Приозёрская областная аптека», аптека № 23 (г. Лесогорск)",
    "ГУП «Приозёрская областная аптека», аптека № 27 (пгт Озёрный)",
    "ГУП «Приозёрская областная аптека», аптека № 31 (с. Береговое)",
    "ГУП «Приозёрская областная аптека», аптека № 34 (г. Сосновобор)",
    "ГУП «Приозёрская областная аптека», аптека № 38 (с. Каменный Ключ)",
    "ГУП «Приозёрская областная аптека», аптека № 41 (пгт Верхнеречинск)",
    "ГУП «Приозёрская областная аптека», аптека № 45 (г. Светлояр)",
    "ГУП «Приозёрская областная аптека», аптека № 47 (с. Боровлянка)",
    "ГУП «Приозёрская областная аптека», аптека № 52 (г. Заречный)",
    "ГУП «Приозёрская областная аптека», аптечный пункт при областной клинической больнице",
    "ГУП «Приозёрская областная аптека», аптечный пункт при онкологическом диспансере",
    "ООО «Аптечная сеть «Озерки-Приозёрье», аптека на Набережной",
    "ООО «Аптечная сеть «Озерки-Приозёрье», аптека на Садовой",
    "ООО «Аптечная сеть «Озерки-Приозёрье», аптека в г. Лесогорске",
    "ООО «Фармация Приозёрья», аптека № 101",
    "ООО «Фармация Приозёрья», аптека № 102",
    "ООО «Фармация Приозёрья», аптека в г. Светлояре",
    "ООО «Здоровье+», аптека на Вокзальной",
    "ООО «Здоровье+», аптека в г. Заречном",
    "АО «Лекарь», аптека на проспекте Мира",
)
ORGANIZATIONS += tuple(
    _Org(f"pharmacy{n}", K.pharmacy, f"9901{n:02d}", name, 58 + i)
    for i, (n, name) in enumerate(enumerate(_MORE_PHARMACY_NAMES, start=3), start=1)
)
USERS = (
    _User("admin", "Администратор платформы", "admin", "tfoms"),
    _User("tfoms", "Кузнецова Анна Сергеевна", "tfoms_analyst", "tfoms"),
    _User("foms", "Орлов Дмитрий Андреевич", "foms_viewer", "foms"),
    _User("minzdrav", "Белова Татьяна Игоревна", "health_authority", "minzdrav"),
    _User("economist", "Смирнова Ольга Викторовна", "mo_economist", "mo1"),
    _User("doctor", "Петров Игорь Николаевич", "doctor", "mo1"),
    _User("doctor2", "Фёдорова Мария Павловна", "doctor", "mo3"),
    _User("pharmacist", "Соколова Елена Юрьевна", "pharmacist", "pharmacy1"),
    _User("pharmacist2", "Григорьева Наталья Петровна", "pharmacist", "pharmacy2"),
    _User("warehouse", "Волков Сергей Александрович", "warehouse_operator", "warehouse"),
    _User("registrar", "Новикова Ирина Олеговна", "registry_operator", "tfoms"),
    _User("verifier", "Морозов Алексей Викторович", "verification_operator", "payer"),
    _User("patient", "Иванов Иван Иванович", "patient", "mo1", DEMO_PATIENT_PERSON_ID),
)


@dataclass(frozen=True)
class DemoLogin:
    login: str
    password: str
    full_name: str
    roles: tuple[str, ...]
    organization: str
    org_id: uuid.UUID


class DemoLogins(list[DemoLogin]):
    """The demo logins (a list, so it serializes to a JSON array of objects)."""

    def table(self) -> str:
        """The logins as plain text, for printing at startup."""
        width = max((len(d.login) for d in self), default=0)
        rows = [
            f"  {d.login:<{width}} / {d.password}  {', '.join(d.roles):<22} {d.organization}" for d in self
        ]
        return "\n".join(["Демо-входы (логин / пароль, роль, организация):", *rows])


def _seed_principal() -> Principal:
    tfoms = ORGANIZATIONS[0]
    return Principal(
        subject="demo-seed",
        org_id=tfoms.id,
        org_type=tfoms.kind.value,
        roles=frozenset({"admin"}),
        permissions=permissions_for(["admin"]),
    )


async def seed(session: AsyncSession) -> DemoLogins:
    principal = _seed_principal()
    orgs = OrganizationRepository(session)
    for org in ORGANIZATIONS:
        if await orgs.get(org.id) is None:
            serial = f"{org.serial:05d}"
            data = OrganizationCreate(
                name=org.name,
                kind=org.kind,
                code=org.code,
                inn=complete_inn(f"9901{serial}"),
                ogrn=complete_ogrn(f"1029901{serial}"),
            )
            await organizations.register_organization(session, principal, data, org_id=org.id)

    by_key = {o.key: o for o in ORGANIZATIONS}
    users = UserRepository(session)
    shared_hash: str | None = None  # one argon2 run for all demo users: same password anyway
    for user in USERS:
        if await users.by_login(user.login) is None:
            shared_hash = shared_hash or await hash_password(DEMO_PASSWORD)
            await users.add(
                UserAccount(
                    login=user.login,
                    password_hash=shared_hash,
                    full_name=user.full_name,
                    roles=[user.role],
                    org_id=by_key[user.org].id,
                    person_id=user.person_id,
                    active=True,
                )
            )
    await _seed_sign_in_history(session)
    return DemoLogins(
        DemoLogin(u.login, DEMO_PASSWORD, u.full_name, (u.role,), by_key[u.org].name, by_key[u.org].id)
        for u in USERS
    )


async def _seed_sign_in_history(session: AsyncSession) -> None:
    """Two months of sign-ins for the dashboards, once: not when any sign-in is recorded."""
    activity = SignInActivityRepository(session)
    if await activity.any_recorded():
        return
    users = UserRepository(session)
    accounts = []
    for user in USERS:
        account = await users.by_login(user.login)
        if account is not None:
            accounts.append(Account(account.id, account.org_id, tuple(account.roles)))
    today = dt.datetime.now(REGION_TZ).date()
    await activity.add_all(sign_in_history(accounts, today))


# The key the embedded verification service reads the registry's non-working persons with.
EXCHANGE_KEY_NAME = "Демо: сервис верификации — регистр неработающих (выдаётся при каждом запуске)"


async def issue_exchange_key(session: AsyncSession) -> str:
    """A fresh API key of role ``tfoms_exchange`` for the TFOMS, allowed only to read persons,
    for the embedded verification service (``make run`` calls it at every start and hands the
    key over in memory: it is stored nowhere but as its hash); the keys it issued before are
    revoked. The caller owns the transaction."""
    principal = _seed_principal()
    tfoms = ORGANIZATIONS[0]
    earlier = await api_keys.list_api_keys(
        session, principal, PageParams(limit=100, offset=0), org_id=tfoms.id, include_revoked=False
    )
    for key in earlier.items:
        if key.name == EXCHANGE_KEY_NAME:
            await api_keys.revoke_api_key(session, principal, key.id)
    created = await api_keys.create_api_key(
        session,
        principal,
        ApiKeyCreate(
            name=EXCHANGE_KEY_NAME,
            org_id=tfoms.id,
            client_role="tfoms_exchange",
            scopes=["registry.person:read"],
            rate_per_minute=6000,
        ),
    )
    return created.key
