"""The registry's persons by SNILS, for matching lines of the federal register of beneficiaries
to registry persons (docs/architecture.md «Pharmacy: beneficiaries»).

- ``RegistryPersons``: the port — the persons the registry holds for each of some SNILS;
- ``HttpRegistryPersons``: the adapter over HTTP through the gateway with ``X-API-Key``
  (``GET /api/registry/persons?snils=…``, the registry's search; it has no batch lookup, so one
  request per distinct SNILS, at most ``concurrency`` at a time; a 429 of the gateway's rate
  limit asked again after its ``Retry-After``, capped, a few times), every failure a
  ``RegistryUnavailable`` with a Russian title and detail, every request bounded by timeouts.
  The same shape as verification's ``register/from_registry.py``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import httpx

from oms_kit.gateway_client import api_key_client

SEARCH_PATH = "/api/registry/persons"  # the gateway's proxy: /api/{service}/{path}
UNAVAILABLE = "Регистр застрахованных недоступен"
NOT_CONFIGURED = "Регистр застрахованных не подключён"
REFUSED = "Регистр застрахованных отказал в доступе"


class RegistryUnavailable(Exception):
    """The registry cannot be asked: ``title`` and ``detail`` in Russian."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(f"{title}: {detail}")
        self.title = title
        self.detail = detail


@dataclass(frozen=True, slots=True)
class RegistryPerson:
    person_id: uuid.UUID
    birth_date: date | None


class RegistryPersons(Protocol):
    """Who the registry of insured persons holds under a SNILS."""

    async def by_snils(self, snils: Collection[str]) -> dict[str, list[RegistryPerson]]:
        """Every SNILS asked (11 digits) → the registry's persons with it (none: not found);
        ``RegistryUnavailable`` when the registry cannot be asked (then nothing is returned)."""
        ...


@dataclass
class HttpRegistryPersons:
    """The registry's search through the gateway. ``base_url``: the gateway
    (``OMS_PHARMACY_REGISTRY_URL``); ``api_key``: ``OMS_PHARMACY_REGISTRY_API_KEY`` (the embedded
    mode hands over the key it issues at start, ``use_api_key``); ``transport``: an httpx
    transport instead of the network (the embedded mode's in-process gateway, tests)."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a log or a traceback
    transport: httpx.AsyncBaseTransport | None = None
    concurrency: int = 8
    timeout_seconds: float = 30.0
    connect_timeout_seconds: float = 5.0
    # 429 (the gateway's rate limit of the API key): asked again after ``Retry-After`` seconds
    # (none or unreadable: 1 s), each wait at most ``retry_wait_cap_seconds``, ``rate_limit_retries``
    # times; then ``RegistryUnavailable`` as for any other answer.
    rate_limit_retries: int = 3
    retry_wait_cap_seconds: float = 10.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.api_key)

    def use_api_key(self, api_key: str) -> None:
        self.api_key = api_key

    def _client(self) -> httpx.AsyncClient:
        if not self.configured:
            raise RegistryUnavailable(
                NOT_CONFIGURED,
                "Сопоставление с регистром застрахованных невозможно: не заданы адрес шлюза "
                "(OMS_PHARMACY_REGISTRY_URL) и ключ API роли tfoms_exchange "
                "(OMS_PHARMACY_REGISTRY_API_KEY). Обратитесь к администратору.",
            )
        assert self.base_url is not None and self.api_key is not None
        return api_key_client(
            self.base_url,
            self.api_key,
            transport=self.transport,
            timeout_seconds=self.timeout_seconds,
            connect_timeout_seconds=self.connect_timeout_seconds,
        )

    async def _one(self, client: httpx.AsyncClient, snils: str) -> list[RegistryPerson]:
        response = await self._get(client, snils)
        for _ in range(max(0, self.rate_limit_retries)):
            if response.status_code != 429:
                break
            await self.sleep(self._retry_wait(response))
            response = await self._get(client, snils)
        return self._persons(response)

    def _retry_wait(self, response: httpx.Response) -> float:
        """``Retry-After`` in seconds (an HTTP date or nothing: 1 s), within 0…the cap."""
        try:
            wait = float(response.headers.get("retry-after", "1"))
        except ValueError:
            wait = 1.0
        if wait != wait:  # NaN
            wait = 1.0
        return min(max(wait, 0.0), self.retry_wait_cap_seconds)

    async def _get(self, client: httpx.AsyncClient, snils: str) -> httpx.Response:
        try:
            # httpx's timeouts bound a network transport; this bounds any (an in-process gateway).
            async with asyncio.timeout(self.timeout_seconds):
                response = await client.get(SEARCH_PATH, params={"snils": snils, "limit": "10"})
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise RegistryUnavailable(
                UNAVAILABLE,
                f"Регистр застрахованных не ответил за {self.timeout_seconds:g} с ({type(exc).__name__})",
            ) from exc
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise RegistryUnavailable(
                UNAVAILABLE, f"Нет связи с регистром застрахованных ({self.base_url}): {reason}"
            ) from exc
        return response

    def _persons(self, response: httpx.Response) -> list[RegistryPerson]:
        if response.status_code == 429:
            raise RegistryUnavailable(
                UNAVAILABLE,
                f"Шлюз ограничил частоту запросов ключа API (429) и после {self.rate_limit_retries} "
                f"повторов: {_detail(response)}",
            )
        if response.status_code in (401, 403):
            raise RegistryUnavailable(
                REFUSED,
                f"Регистр застрахованных ответил {response.status_code}: {_detail(response)}. Нужен "
                "действующий ключ API роли tfoms_exchange с правом registry.person:read",
            )
        if response.status_code != 200:
            raise RegistryUnavailable(
                UNAVAILABLE, f"Регистр застрахованных ответил {response.status_code}: {_detail(response)}"
            )
        try:
            items = response.json()["items"]
            if not isinstance(items, list):
                raise TypeError("items is no list")
            return [_person(item) for item in items]
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryUnavailable(
                UNAVAILABLE, f"Ответ регистра застрахованных не по формату поиска персон: {exc}"
            ) from exc

    async def by_snils(self, snils: Collection[str]) -> dict[str, list[RegistryPerson]]:
        wanted = sorted(set(snils))
        if not wanted:
            return {}
        gate = asyncio.Semaphore(max(1, self.concurrency))
        async with self._client() as client:

            async def one(value: str) -> list[RegistryPerson]:
                async with gate:
                    return await self._one(client, value)

            # The first failure cancels the requests still waiting (a TaskGroup).
            try:
                async with asyncio.TaskGroup() as group:
                    tasks = {value: group.create_task(one(value)) for value in wanted}
            except* RegistryUnavailable as failed:
                raise failed.exceptions[0] from None
        return {value: task.result() for value, task in tasks.items()}


def _person(item: Any) -> RegistryPerson:
    if not isinstance(item, Mapping):
        raise TypeError("a person is no object")
    born = item.get("birth_date")
    return RegistryPerson(
        person_id=uuid.UUID(str(item["id"])),
        birth_date=date.fromisoformat(born) if isinstance(born, str) else None,
    )


def _detail(response: httpx.Response) -> str:
    """The problem's detail (or title) of an error response, else the start of its text."""
    try:
        body = response.json()
        return str(body.get("detail") or body.get("title") or body)[:300]
    except (ValueError, AttributeError):
        return response.text[:300] or response.reason_phrase
