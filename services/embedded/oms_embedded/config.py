"""Settings of the embedded shape (``OMS_HOST``, ``OMS_PORT``, ``OMS_DATA_DIR``, ``OMS_LOG_LEVEL``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from oms_embedded.services import ALL_SERVICES, SERVICES, repo_root


class EmbeddedSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="OMS_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=0, le=65535)
    # Where the embedded PostgreSQL keeps its data; default ``<repo>/.data``.
    data_dir: Path | None = None
    log_level: str = "INFO"
    # Per-service pool in one process: five apps share the server's ~100 connections.
    db_pool_size: int = Field(default=5, ge=1)
    # The demo publishes a few thousand events (pharmacy's dispensing history among them) that the
    # consumers take in one by one; on a busy 2-core machine that can pass a minute.
    seed_timeout_seconds: float = Field(default=180.0, gt=0)

    def resolved_data_dir(self) -> Path:
        return (self.data_dir or repo_root() / ".data").expanduser().resolve()


def explicit_database_urls() -> dict[str, str]:
    """``OMS_<SERVICE>_DATABASE_URL`` variables that are set: those services use them and
    the embedded server is not started for them."""
    found = {}
    for name in ALL_SERVICES:
        value = os.environ.get(SERVICES[name].database_url_env, "").strip()
        if value:
            found[name] = value
    return found
