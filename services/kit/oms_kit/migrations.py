"""Alembic helpers: every service's ``migrations/env.py`` is three lines that call these."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import oms_kit.audit
import oms_kit.events.tables  # noqa: F401  (registers outbox and inbox)
from oms_kit.db import KitBase


def alembic_config(service_dir: Path, database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(service_dir / "migrations"))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    cfg.set_main_option("file_template", "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s")
    return cfg


def upgrade(service_dir: Path, database_url: str, revision: str = "head") -> None:
    """Apply a service's migrations (blocking; call from a thread inside an event loop)."""
    command.upgrade(alembic_config(service_dir, database_url), revision)


async def upgrade_async(service_dir: Path, database_url: str) -> None:
    await asyncio.to_thread(upgrade, service_dir, database_url)


def _do_run(connection: Connection, target_metadata: list[MetaData]) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def run_env(service_metadata: MetaData) -> None:
    """Body of a service's ``migrations/env.py``: online migrations over asyncpg, with the
    kit's tables (outbox, inbox, audit) in the target metadata beside the service's own."""
    target = [service_metadata, KitBase.metadata]
    url = context.config.get_main_option("sqlalchemy.url")
    assert url
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    async def run() -> None:
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.connect() as conn:
            await conn.run_sync(_do_run, target)
        await engine.dispose()

    asyncio.run(run())


def kit_tables_v1_upgrade(op: Any) -> None:
    """Create the kit's tables (schema v1) in a service's first migration. The DDL is
    spelled out, not derived from the models, so an old migration never changes meaning."""
    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql as pg

    op.create_table(
        "outbox_event",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("envelope", pg.JSONB(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_event"),
    )
    op.create_index(
        "ix_outbox_event_unsent", "outbox_event", ["created_at"], postgresql_where=sa.text("sent_at IS NULL")
    )
    op.create_table(
        "inbox_event",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("type", sa.String(200), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_inbox_event"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("actor_kind", sa.String(20), nullable=False),
        sa.Column("actor_org_id", pg.UUID(as_uuid=True), nullable=False),
        sa.Column("person_id", pg.UUID(as_uuid=True), nullable=True),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("resource", sa.String(200), nullable=False),
        sa.Column("reason", sa.String(500), nullable=True),
        sa.Column("request_id", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_person_at", "audit_log", ["person_id", "at"])


def kit_tables_v1_downgrade(op: Any) -> None:
    for name in ("audit_log", "inbox_event", "outbox_event"):
        op.drop_table(name)
