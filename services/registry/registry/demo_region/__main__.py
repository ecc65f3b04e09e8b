"""``python -m registry.demo_region --persons 2000000 --database-url URL``: a synthetic region
loaded into a registry database (migrated, NSI loaded; organizations added when it has none),
one committed transaction per batch; or ``--csv FILE``: the region as an import file (and its
duplicate labels beside it) for ``POST /persons/imports``."""

from __future__ import annotations

import argparse
import asyncio
import csv
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

import registry
from oms_kit.migrations import upgrade
from registry.demo_region import distortions, region_rows
from registry.demo_region.loading import DEMO_SEED, load_region
from registry.demo_region.people import Organizations
from registry.models import Organization
from registry.nsi.shipped import load_shipped
from registry.person_import.columns import COLUMNS
from registry.person_import.staging import analyze

SERVICE_DIR = Path(registry.__file__).resolve().parents[1]
_NS = uuid.UUID("0b3c6a5e-1f4d-4e8a-9c7b-2d1e0f3a4b5c")
# The gateway's demo organizations by register code, for a database that never received them.
STANDALONE_ORGS = (
    ("tfoms", "99", "Территориальный фонд ОМС Приозёрской области"),
    ("insurer", "99001", "ООО «СМК «Приозёрье-Мед»"),
    ("insurer", "99002", "АО «Страховая компания «Озёрный край»"),
    ("mo", "990001", "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»"),
    ("mo", "990002", "ГБУЗ «Приозёрская областная клиническая больница»"),
    ("mo", "990003", "ГБУЗ «Заречная центральная районная больница»"),
)


async def ensure_organizations(session: AsyncSession) -> None:
    found = await session.scalar(
        select(Organization.id).where(Organization.kind.in_(("insurer", "mo"))).limit(1)
    )
    if found is None:
        for kind, code, name in STANDALONE_ORGS:
            session.add(Organization(id=uuid.uuid5(_NS, code), kind=kind, code=code, name=name))


async def load(database_url: str, persons: int, seed: int) -> dict[str, Any]:
    await asyncio.to_thread(upgrade, SERVICE_DIR, database_url)
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as session, session.begin():
            await load_shipped(session)
            await ensure_organizations(session)
        started = time.monotonic()

        async def progress(done: int) -> None:
            if done % 100_000 < 5_000:
                rate = done / (time.monotonic() - started)
                print(f"  {done:>9,} строк, {rate:,.0f} строк/с", file=sys.stderr, flush=True)

        async with sessions() as session:
            tfoms = await session.scalar(select(Organization.id).where(Organization.kind == "tfoms").limit(1))
            loaded = await load_region(
                session,
                lambda: _committed(sessions),
                count=persons,
                seed=seed,
                actor_org_id=tfoms or uuid.uuid5(_NS, "99"),
                progress=progress,
                writers=2,  # a transaction per batch: two may be written at once
            )
        seconds = time.monotonic() - started
        async with sessions() as session, session.begin():
            await analyze(session)
        return {**loaded.as_dict(), "seconds": round(seconds, 1), "rows_per_second": round(persons / seconds)}
    finally:
        await engine.dispose()


def _committed(sessions: async_sessionmaker[AsyncSession]) -> Any:
    from contextlib import asynccontextmanager

    @asynccontextmanager
    async def transaction() -> Any:
        async with sessions() as session, session.begin():
            yield session

    return transaction()


def write_csv(path: Path, persons: int, seed: int, first_person: int = 0) -> dict[str, Any]:
    orgs = Organizations(
        insurers=[c for k, c, _ in STANDALONE_ORGS if k == "insurer"],
        mos=[c for k, c, _ in STANDALONE_ORGS if k == "mo"],
        areas={},
    )
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(COLUMNS)
        for _, row in region_rows(persons, seed, orgs, first_person=first_person):
            writer.writerow([row.get(c) or "" for c in COLUMNS])
    labels = path.with_suffix(".duplicates.csv")
    with labels.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(("original_row", "duplicate_row", "distortion"))
        writer.writerows(distortions(persons, seed, orgs))
    return {"file": str(path), "labels": str(labels), "rows": persons}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m registry.demo_region", description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000, help="сколько записей (с дубликатами)")
    parser.add_argument("--seed", type=int, default=DEMO_SEED, help="зерно генератора")
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--database-url", help="база регистра (postgresql+asyncpg://…)")
    target.add_argument("--csv", type=Path, help="записать файл импорта вместо загрузки в базу")
    parser.add_argument(
        "--first-person", type=int, default=0, help="для --csv: начать с этого номера персоны региона"
    )
    args = parser.parse_args(argv)
    if args.csv is not None:
        print(write_csv(args.csv, args.persons, args.seed, args.first_person))
    else:
        print(asyncio.run(load(args.database_url, args.persons, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
