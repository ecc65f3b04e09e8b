"""A run's register taken from the ``registry`` service: the persons whose employment status is
non-working on the run's date (``GET /api/registry/persons/non-working`` through the gateway,
keyset pages, docs/architecture.md «Verification»).

- ``RegistryRegister``: the port — pages of person rows for a date;
- ``HttpRegistryRegister``: the adapter over HTTP with ``X-API-Key`` (the gateway exchanges the
  key for an internal token; a key of role ``tfoms_exchange`` reads the whole region), every
  failure a ``RegistryUnavailable`` with a Russian title and detail, every request bounded by
  timeouts;
- ``load_from_registry``: the pages through the file path's validation and writing
  (``loading.load_rows``): a person's row becomes the cells of a file row, its subject key is
  ``person:<registry person id>`` (stable across runs), its row number its position in the
  extract; the next page is requested while the rows of the previous one are validated and
  written."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import httpx

from oms_kit.gateway_client import api_key_client
from oms_kit.tables import Cells, RowShape
from verification.register.columns import COLUMNS
from verification.register.loading import (
    BATCH_ROWS,
    LoadResult,
    Progress,
    Transaction,
    finish_load,
    load_rows,
)
from verification.register.subjects import REGISTRY_PERSON

REGISTRY_SOURCE = "registry"  # verification_run.register_source of a run on the registry's extract
EXTRACT_PATH = "/api/registry/persons/non-working"  # the gateway's proxy: /api/{service}/{path}
PAGE_SIZE = 5000  # the registry's default page; at most 10,000
UNAVAILABLE = "Регистр застрахованных недоступен"
NOT_CONFIGURED = "Регистр застрахованных не подключён"
REFUSED = "Регистр застрахованных отказал в доступе"


class RegistryUnavailable(Exception):
    """The register cannot be read from the registry: ``title`` and ``detail`` in Russian."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(f"{title}: {detail}")
        self.title = title
        self.detail = detail


class RegistryRegister(Protocol):
    """Where a run's register comes from when not from a file."""

    def pages(self, on: date) -> AsyncIterator[list[Mapping[str, Any]]]:
        """The non-working persons on ``on``, page by page (columns of ``columns.COLUMNS`` and
        ``person_id``), in a stable order; ``RegistryUnavailable`` when they cannot be read."""
        ...

    async def probe(self, on: date) -> None:
        """Raise ``RegistryUnavailable`` now if ``pages`` would fail (not configured, refused,
        unreachable), so a run is not started that cannot load."""
        ...


@dataclass
class HttpRegistryRegister:
    """The registry's extract through the gateway. ``base_url``: the gateway
    (``OMS_VERIFICATION_REGISTRY_URL``); ``api_key``: ``OMS_VERIFICATION_REGISTRY_API_KEY`` (the
    embedded mode hands over one issued at start, ``use_api_key``); ``transport``: an httpx
    transport instead of the network (the embedded mode's in-process gateway, tests)."""

    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)  # never in a log or a traceback
    transport: httpx.AsyncBaseTransport | None = None
    page_size: int = PAGE_SIZE
    timeout_seconds: float = 60.0
    connect_timeout_seconds: float = 5.0

    @property
    def configured(self) -> bool:
        return bool(self.base_url and self.api_key)

    def use_api_key(self, api_key: str) -> None:
        self.api_key = api_key

    def _client(self) -> httpx.AsyncClient:
        if not self.configured:
            raise RegistryUnavailable(
                NOT_CONFIGURED,
                "Проверка по регистру застрахованных невозможна: не заданы адрес шлюза "
                "(OMS_VERIFICATION_REGISTRY_URL) и ключ API роли tfoms_exchange "
                "(OMS_VERIFICATION_REGISTRY_API_KEY). Загрузите файл ТФОМС или обратитесь к администратору.",
            )
        assert self.base_url is not None and self.api_key is not None
        return api_key_client(
            self.base_url,
            self.api_key,
            transport=self.transport,
            timeout_seconds=self.timeout_seconds,
            connect_timeout_seconds=self.connect_timeout_seconds,
        )

    async def _page(
        self, client: httpx.AsyncClient, on: date, after: str | None, limit: int
    ) -> tuple[list[Mapping[str, Any]], str | None]:
        params = {"on": on.isoformat(), "limit": str(limit)} | ({"after": after} if after else {})
        try:
            # httpx's timeouts bound a network transport; this bounds any (an in-process gateway).
            async with asyncio.timeout(self.timeout_seconds):
                response = await client.get(EXTRACT_PATH, params=params)
        except (TimeoutError, httpx.TimeoutException) as exc:
            raise RegistryUnavailable(
                UNAVAILABLE,
                f"Регистр застрахованных не ответил за {self.timeout_seconds:g} с ({type(exc).__name__}); "
                "повторите проверку позже",
            ) from exc
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise RegistryUnavailable(
                UNAVAILABLE, f"Нет связи с регистром застрахованных ({self.base_url}): {reason}"
            ) from exc
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
            body = response.json()
            items, next_after = body["items"], body.get("next_after")
            if not isinstance(items, list) or not (next_after is None or isinstance(next_after, str)):
                raise TypeError("items is no list or next_after no string")
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryUnavailable(
                UNAVAILABLE, f"Ответ регистра застрахованных не по формату выписки неработающих: {exc}"
            ) from exc
        return items, next_after

    async def pages(self, on: date) -> AsyncIterator[list[Mapping[str, Any]]]:
        async with self._client() as client:
            after: str | None = None
            while True:
                items, after = await self._page(client, on, after, self.page_size)
                if items:
                    yield items
                if after is None:
                    return

    async def probe(self, on: date) -> None:
        async with self._client() as client:
            await self._page(client, on, None, 1)


def _detail(response: httpx.Response) -> str:
    """The problem's detail (or title) of an error response, else the start of its text."""
    try:
        body = response.json()
        return str(body.get("detail") or body.get("title") or body)[:300]
    except ValueError:
        return response.text[:300] or response.reason_phrase


def registry_cells(item: Any) -> Cells | RowShape:
    """A person of the extract as the cells of a register file's row, its registry id under
    ``subjects.REGISTRY_PERSON``; ``RowShape`` for an item that is no person."""
    if not isinstance(item, Mapping):
        return RowShape("Запись выписки регистра — не объект с полями лица")
    try:
        person_id = uuid.UUID(str(item.get("person_id")))
    except ValueError:
        return RowShape("Запись выписки регистра без идентификатора лица (person_id)")
    cells: Cells = {column: item.get(column) for column in COLUMNS}
    cells[REGISTRY_PERSON] = person_id
    return cells


class PagedRows:
    """The extract's pages as the rows ``load_rows`` reads in its worker thread
    (``(position, cells)``, positions from 1): each page is requested on the event loop, the
    next one as soon as the rows of the current one start being read. ``close()`` (on the
    loop) waits for a request in flight and closes the pages."""

    def __init__(
        self, pages: AsyncIterator[list[Mapping[str, Any]]], loop: asyncio.AbstractEventLoop
    ) -> None:
        self._pages = pages
        self._loop = loop
        self._stopped = False
        self._in_flight: concurrent.futures.Future[list[Mapping[str, Any]] | None] | None = None

    def _request(self) -> concurrent.futures.Future[list[Mapping[str, Any]] | None]:
        self._in_flight = asyncio.run_coroutine_threadsafe(_next_page(self._pages), self._loop)
        return self._in_flight

    def __iter__(self) -> Iterator[tuple[int, Cells | RowShape]]:
        position = 0
        pending = self._request()
        while True:
            page = pending.result()
            if page is None or self._stopped:
                return
            pending = self._request()  # fetched while this page is validated and written
            for item in page:
                position += 1
                yield position, registry_cells(item)

    async def close(self) -> None:
        self._stopped = True
        while (in_flight := self._in_flight) is not None:
            await asyncio.gather(asyncio.wrap_future(in_flight), return_exceptions=True)
            if self._in_flight is in_flight:
                break
        aclose = getattr(self._pages, "aclose", None)
        if aclose is not None:
            await aclose()


async def _next_page(pages: AsyncIterator[list[Mapping[str, Any]]]) -> list[Mapping[str, Any]] | None:
    try:
        return await anext(pages)
    except StopAsyncIteration:
        return None


async def load_from_registry(
    run_id: uuid.UUID,
    registry: RegistryRegister,
    *,
    on: date,
    transaction: Transaction,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
) -> LoadResult:
    """Load the registry's non-working persons on ``on`` as the run's register, through the
    validation and writing of a file's rows; ``RegistryUnavailable`` when the registry cannot
    be read (rows written before stay: the loading stage clears them when it runs again)."""
    rows = PagedRows(registry.pages(on), asyncio.get_running_loop())

    async def report(done: int) -> None:
        if progress is not None:
            await progress(done, None)

    try:
        read, _ = await load_rows(
            run_id, iter(rows), today=on, transaction=transaction, progress=report, batch_rows=batch_rows
        )
    finally:
        await rows.close()
    return await finish_load(run_id, read, transaction, file_format=REGISTRY_SOURCE, ignored=[])
