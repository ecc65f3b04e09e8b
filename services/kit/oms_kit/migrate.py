"""``python -m oms_kit.migrate <service_dir>``: apply a service's migrations to its database.

The one-shot migration step of the distributed shape (a ``<service>-migrate`` container in
docker-compose.yml, a Job in Kubernetes). The database URL is the one the service itself
reads, ``OMS_<SERVICE>_DATABASE_URL``, where ``<SERVICE>`` is the directory's name
(``services/pharmacy`` → ``OMS_PHARMACY_DATABASE_URL``); ``--database-url`` overrides it."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from oms_kit.migrations import upgrade

log = logging.getLogger("oms.migrate")


def database_url_variable(service_dir: Path) -> str:
    return f"OMS_{service_dir.resolve().name.upper()}_DATABASE_URL"


def resolve_database_url(service_dir: Path, explicit: str | None, environ: Mapping[str, str]) -> str:
    if explicit:
        return explicit
    variable = database_url_variable(service_dir)
    url = environ.get(variable)
    if not url:
        raise SystemExit(f"{variable} is not set: nowhere to apply the migrations of {service_dir}")
    return url


def main(argv: Sequence[str] | None = None, environ: Mapping[str, str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m oms_kit.migrate", description=__doc__)
    parser.add_argument("service_dir", type=Path, help="the service's directory, holding migrations/")
    parser.add_argument("--revision", default="head", help="target revision (default: head)")
    parser.add_argument("--database-url", default=None, help="instead of OMS_<SERVICE>_DATABASE_URL")
    args = parser.parse_args(argv)
    service_dir: Path = args.service_dir
    if not (service_dir / "migrations").is_dir():
        raise SystemExit(f"{service_dir} has no migrations/ directory")
    url = resolve_database_url(service_dir, args.database_url, os.environ if environ is None else environ)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    log.info("upgrading %s to %s", service_dir.resolve().name, args.revision)
    upgrade(service_dir, url, args.revision)
    log.info("%s is at %s", service_dir.resolve().name, args.revision)
    return 0


if __name__ == "__main__":
    sys.exit(main())
