import asyncpg
import pytest

from oms_embedded.databases import asyncpg_url, database_urls, ensure_database
from oms_kit.testing.postgres import drop_database, unique_name


def test_urls_keep_the_unix_socket_of_the_embedded_server():
    urls = database_urls(
        {"gateway": "postgresql+asyncpg://u@db:5432/gw"}, "postgresql://postgres:@/postgres?host=/data/pg"
    )
    assert urls["gateway"] == "postgresql+asyncpg://u@db:5432/gw"
    assert urls["pharmacy"] == "postgresql+asyncpg://postgres:@/oms_pharmacy?host=%2Fdata%2Fpg"
    assert set(urls) == {"gateway", "registry", "finance", "pharmacy", "verification"}


def test_without_a_server_every_url_must_be_explicit():
    with pytest.raises(ValueError, match="registry"):
        database_urls({"gateway": "postgresql+asyncpg://u@db/gw"}, None)


async def test_missing_database_is_created_once(postgres_dsn):
    name = unique_name("t_embedded")
    url = asyncpg_url(postgres_dsn, name)
    try:
        assert await ensure_database(url) is True
        assert await ensure_database(url) is False
        conn = await asyncpg.connect(postgres_dsn)
        try:
            assert await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name) == 1
        finally:
            await conn.close()
    finally:
        await drop_database(postgres_dsn, name)
