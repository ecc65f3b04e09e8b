"""``python -m registry.nsi.load_shipped``: load the dictionaries that ship with the registry
(ICD-10, F011, F008, the project's own) into its database, for the distributed shape, where
no demo seed runs. Idempotent: a version already stored is skipped, so it runs on every
start (docker compose) or as a Job after the migrations (Kubernetes); replicas racing each
other wait for one another (an advisory lock) instead of failing.

The database is the one the service reads, ``OMS_REGISTRY_DATABASE_URL``; ``--database-url``
overrides it. Prints what it loaded as JSON (``{}`` when everything was there already)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from typing import Any

from oms_kit.db import Database
from registry.config import Settings
from registry.nsi.shipped import load_shipped
from registry.nsi.shipped_repository import lock_shipped_load

log = logging.getLogger("registry.nsi")


async def load(database_url: str) -> dict[str, Any]:
    database = Database(database_url, pool_size=1)
    try:
        async with database.sessions() as session, session.begin():
            await lock_shipped_load(session)
            return await load_shipped(session)
    finally:
        await database.dispose()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.nsi.load_shipped", description=__doc__)
    parser.add_argument("--database-url", default=None, help="instead of OMS_REGISTRY_DATABASE_URL")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    url = args.database_url or Settings().database_url
    loaded = asyncio.run(load(url))
    log.info("shipped NSI dictionaries: %s", ", ".join(sorted(loaded)) or "all stored already")
    print(json.dumps(loaded, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
