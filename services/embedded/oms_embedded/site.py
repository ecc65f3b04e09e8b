"""The SPA at ``/``: the files of ``frontend/dist`` with ``index.html`` for client-side routes,
or, before the SPA is built, a short page saying so."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

NOT_BUILT_PAGE = """<!doctype html>
<html lang="ru">
<head><meta charset="utf-8"><title>OMS Region</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto; line-height: 1.5">
<h1>OMS Region</h1>
<p>Интерфейс (SPA) ещё не собран: нет каталога <code>frontend/dist</code>.
Соберите его командой <code>make frontend</code> (нужен Node 20) или запустите <code>make run</code>.</p>
<p>API уже работает: <a href="/api/docs">документация API</a>,
<a href="/api/openapi.json">схема OpenAPI</a>.</p>
</body>
</html>
"""


class SpaFiles(StaticFiles):
    """Static files; a GET for a path without a file extension that matches no file is a
    client-side route and gets ``index.html``. A missing asset stays a 404."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        try:
            return await super().get_response(path, scope)
        except HTTPException as exc:
            if exc.status_code != 404 or PurePosixPath(path).suffix:
                return PlainTextResponse(str(exc.detail), status_code=exc.status_code, headers=exc.headers)
        return await super().get_response("index.html", scope)


class Site:
    """ASGI app of everything outside ``/api``. Whether the SPA is built is looked up per
    request, so a build made while the server runs is picked up."""

    def __init__(self, dist: Path) -> None:
        self.dist = dist
        self._files: SpaFiles | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        if not (self.dist / "index.html").is_file():
            status = 200 if scope["path"] in ("", "/") else 404
            await HTMLResponse(NOT_BUILT_PAGE, status_code=status)(scope, receive, send)
            return
        if self._files is None:
            self._files = SpaFiles(directory=self.dist, html=True)
        await self._files(scope, receive, send)
