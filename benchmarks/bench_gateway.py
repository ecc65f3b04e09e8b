"""Gateway overhead: requests/s and latency through the gateway vs. the service directly,
measured in the same run with wrk (Debian's package).

    .tools/bin/uv run --frozen python benchmarks/bench_gateway.py [--seconds 15] [--connections 32]

The distributed shape on one machine: the registry and the gateway each as its own uvicorn
process (one worker) on the machine's PostgreSQL (throwaway databases), the gateway proxying
``/api/registry/*`` to the registry with its pooled, streaming httpx client. The same
authenticated request — ``GET /organizations?limit=20`` with a user token (JWT verify, one
scoped count + one page query) — is sent by wrk:

- direct:  http://127.0.0.1:<registry>/organizations?limit=20
- gateway: http://127.0.0.1:<gateway>/api/registry/organizations?limit=20

The gateway verifies the token too (as it does in production), then forwards it.
Prints a JSON summary; ``--markdown`` prints a table row for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name

REPO = Path(__file__).resolve().parents[1]
SERVICES = REPO / "services"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become ready")


def start(factory: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(cmd, env={**os.environ, **env}, cwd=REPO)


def wrk(url: str, token: str, seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-H",
            f"Authorization: Bearer {token}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)

    def pct(p: str) -> float:
        m = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out)
        assert m, out
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": rps,
        "p50_ms": pct("50"),
        "p99_ms": pct("99"),
        "errors": int(non2xx.group(1)) if non2xx else 0,
    }


async def prepare(dsn: str) -> tuple[str, str, list[str]]:
    names = [unique_name("bench_gateway"), unique_name("bench_registry")]
    for name in names:
        await create_database(dsn, name)
    gw_url, reg_url = (sqlalchemy_url(dsn, n) for n in names)
    await asyncio.to_thread(upgrade, SERVICES / "gateway", gw_url)
    await asyncio.to_thread(upgrade, SERVICES / "registry", reg_url)
    return gw_url, reg_url, names


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: `apt-get install wrk` (make bench does this)")

    dsn = admin_dsn(REPO)
    gw_url, reg_url, names = asyncio.run(prepare(dsn))
    reg_port, gw_port = free_port(), free_port()
    common = {"OMS_ENV": "test", "OMS_LOG_LEVEL": "WARNING"}
    gateway = start(
        "gateway.main:create_app",
        gw_port,
        {
            **common,
            "OMS_GATEWAY_DATABASE_URL": gw_url,
            "OMS_GATEWAY_UPSTREAM_REGISTRY": f"http://127.0.0.1:{reg_port}",
        },
    )
    registry = start(
        "registry.main:create_app",
        reg_port,
        {
            **common,
            "OMS_REGISTRY_DATABASE_URL": reg_url,
            "OMS_JWT_JWKS_URL": f"http://127.0.0.1:{gw_port}/api/auth/.well-known/jwks.json",
        },
    )
    try:
        wait_ready(f"http://127.0.0.1:{gw_port}/readyz")
        wait_ready(f"http://127.0.0.1:{reg_port}/readyz")
        subprocess.run(
            [
                sys.executable,
                "-c",
                (
                    "import asyncio, gateway.demo as d; from oms_kit.db import Database\n"
                    "async def go():\n"
                    f"    db = Database({gw_url!r})\n"
                    "    async with db.sessions() as s, s.begin(): await d.seed(s)\n"
                    "    await db.dispose()\n"
                    "asyncio.run(go())"
                ),
            ],
            check=True,
            cwd=REPO,
        )
        login = httpx.post(
            f"http://127.0.0.1:{gw_port}/api/auth/login",
            json={"login": "economist", "password": "demo"},
            timeout=10,
        )
        login.raise_for_status()
        token = login.json()["access_token"]
        direct_url = f"http://127.0.0.1:{reg_port}/organizations?limit=20"
        gateway_url = f"http://127.0.0.1:{gw_port}/api/registry/organizations?limit=20"
        for url in (direct_url, gateway_url):  # both must really answer 200 before measuring
            r = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
            assert r.status_code == 200, (url, r.status_code, r.text)
            wrk(url, token, 3, args.connections)  # warm-up
        direct = wrk(direct_url, token, args.seconds, args.connections)
        through = wrk(gateway_url, token, args.seconds, args.connections)
    finally:
        for proc in (gateway, registry):
            proc.send_signal(signal.SIGTERM)
        for proc in (gateway, registry):
            proc.wait(timeout=30)
        for name in names:
            asyncio.run(drop_database(dsn, name))

    result = {
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "seconds": args.seconds,
        "connections": args.connections,
        "direct": direct,
        "gateway": through,
        "gateway_share_of_direct": round(through["rps"] / direct["rps"], 3),
    }
    print(json.dumps(result, indent=2))
    if args.markdown:
        print(f"| direct | {direct['rps']:.0f} | {direct['p50_ms']:.1f} | {direct['p99_ms']:.1f} |")
        print(f"| gateway | {through['rps']:.0f} | {through['p50_ms']:.1f} | {through['p99_ms']:.1f} |")
    if direct["errors"] or through["errors"]:
        sys.exit("non-2xx responses during the run: the figures are not valid")


if __name__ == "__main__":
    main()
