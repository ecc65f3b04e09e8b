"""The SPA in a real browser against the real system: `python -m oms_embedded` serving the
built SPA, the gateway and the four services on fresh databases of the machine's PostgreSQL,
driven by frontend/e2e/*.e2e.mjs in Debian's Chromium (playwright-core, no download).

roles.e2e.mjs logs in as admin and as pharmacist, checks the menus differ by role, drives the
admin lists, creates and revokes an API key, logs out. jobs.e2e.mjs then imports a new NSI
dictionary version through the upload (progress bar), follows the import job to its end,
downloads its reports and checks the diff and the entries on the new version's date.
registry.e2e.mjs searches the demo patient, opens the card and its timeline, matches before
creating and sees the duplicate refusal, merges and unmerges the pair, browses an MO's tree and
the equipment need. verification.e2e.mjs walks the demo's finished run, the sources and the
tariffs, and follows a new run to its end. finance.e2e.mjs walks the finance screens as the MO
economist (budget grid, 1C import, classification review, a 14-Ф draft submitted), the fund's
analyst (analytics, deviations, the 14-Ф accepted), FOMS (consolidated only) and the health
authority (its own MOs only). pharmacy.e2e.mjs walks the demo's pharmacy scenario: the doctor's
beneficiary card and prescription form, the pharmacist's scanner counter, deferred list and
stock card, two counters racing for the last package, the fund's control run and МДЛП reports,
another pharmacy refused a stock card.
Screenshots land in frontend/e2e/artifacts/. `make test` builds the SPA and installs Chromium
before this runs."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
SERVICES = ("gateway", "registry", "finance", "pharmacy", "verification")
CHROMIUM = os.environ.get("OMS_E2E_CHROMIUM", "/usr/bin/chromium")

# The first test also pays for the system's start (its demo seed waits for the events to settle).
pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
async def database_urls(fresh_database) -> dict[str, str]:
    return {name: await fresh_database(REPO / "services" / name) for name in SERVICES}


@pytest.fixture(scope="module")
def system(database_urls, tmp_path_factory):
    assert (FRONTEND / "dist" / "index.html").exists(), "the SPA is not built: run `make frontend`"
    assert Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM}: `apt-get install chromium` (make test does)"
    assert shutil.which("node"), "Node.js is needed for the browser test"
    urls = database_urls
    port = _free_port()
    log = tmp_path_factory.mktemp("spa") / "server.log"
    env = os.environ | {f"OMS_{name.upper()}_DATABASE_URL": url for name, url in urls.items()}
    env |= {"OMS_PORT": str(port), "OMS_ENV": "development", "OMS_LOG_LEVEL": "WARNING"}
    # the three scripts log in ~25 times within a few minutes; the limit has its own tests
    env |= {"OMS_GATEWAY_LOGIN_ATTEMPTS_PER_MINUTE": "120"}
    # a small region: the scripts need the MOs and the demo patient, not 200,000 persons
    env |= {"OMS_REGISTRY_DEMO_PERSONS": "3000"}
    # and a small register of non-working persons with its finished run (verification.demo)
    env |= {"OMS_VERIFICATION_DEMO_REGISTER": "3000"}
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "oms_embedded"], cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        # The gateway answers once every service's demo is seeded: registry's and
        # verification's small regions and finance's year of ~50 MOs with its classifier trained
        # take 60–100 s together on the 2-core machine, more while it is busy (finance then takes
        # in the pharmacy's dispensing history).
        deadline = time.monotonic() + 360
        while True:
            assert server.poll() is None, f"the system exited early:\n{log.read_text()[-4000:]}"
            try:
                if httpx.get(f"{base}/api/auth/.well-known/jwks.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, f"the system did not start:\n{log.read_text()[-4000:]}"
            time.sleep(0.5)
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _run_script(
    system: str, script: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", f"e2e/{script}"],
        cwd=FRONTEND,
        env=os.environ | {"OMS_E2E_BASE_URL": system, "OMS_E2E_CHROMIUM": CHROMIUM} | (env or {}),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_login_menus_admin_and_logout_in_chromium(system):
    page = httpx.get(system + "/", timeout=5)
    assert page.status_code == 200 and '<div id="root">' in page.text, page.text[:300]
    run = _run_script(system, "roles.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    shots = list((FRONTEND / "e2e" / "artifacts").glob("*.png"))
    assert shots, "the browser test saved no screenshots"


def test_upload_job_progress_and_downloads_in_chromium(system):
    """After the roles test on the same system (module order): NSI import, job, downloads."""
    run = _run_script(system, "jobs.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]
    for name in ("nsi-import-done.png", "nsi-diff.png", "jobs.png"):
        assert (FRONTEND / "e2e" / "artifacts" / name).exists(), f"no screenshot {name}"


def test_dashboards_per_role_in_chromium(system):
    """Summary with sign-in activity for the admin, the region dashboard as the analysts' home."""
    run = _run_script(system, "dashboards.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]


def test_registry_screens_in_chromium(system):
    """Persons (search, card, timeline, match before create, the duplicate refusal), the duplicate
    queue (merge, unmerge), the MO register and the equipment need with its exports."""
    run = _run_script(system, "registry.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]
    for name in (
        "registry-card.png",
        "registry-timeline.png",
        "registry-duplicates.png",
        "registry-need-region.png",
    ):
        assert (FRONTEND / "e2e" / "artifacts" / name).exists(), f"no screenshot {name}"


def test_verification_screens_in_chromium(system):
    """The demo's finished run (KPIs, chart, outcomes by reason, a person's evidence, rejected
    rows, savings, an export job), the review queue with a decision, the sources and tariffs,
    and a new incremental run followed to its end."""
    run = _run_script(system, "verification.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]
    for name in (
        "verification-run.png",
        "verification-evidence.png",
        "verification-review.png",
        "verification-new-run.png",
    ):
        assert (FRONTEND / "e2e" / "artifacts" / name).exists(), f"no screenshot {name}"


def test_finance_screens_in_chromium(system):
    """The demo's finance data by role: the economist's budget grid (totals as one types, a bad
    amount at its cell, the save kept, a closed month read only), payment orders with a 1C import
    of a file with a bad document, the review list, a 14-Ф draft with a control ratio broken live
    then submitted; the fund's analytics, deviations (planted anomalies) and the 14-Ф accepted;
    FOMS consolidated only; the health authority without private MOs, accepting form 62."""
    run = _run_script(system, "finance.e2e.mjs")
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]
    for name in (
        "finance-budget-saved.png",
        "finance-review.png",
        "finance-import-report.png",
        "finance-report-ratio.png",
        "finance-analytics.png",
        "finance-deviations.png",
    ):
        assert (FRONTEND / "e2e" / "artifacts" / name).exists(), f"no screenshot {name}"


def test_pharmacy_screens_in_chromium(system):
    """The demo's pharmacy scenario by role: the doctor's beneficiary card and prescription form
    (free packages per pharmacy, refusals at their fields, issued, printed, listed, copied, the
    copy cancelled); the pharmacist's counter (№ 41 scanned as a keyboard wedge and dispensed, a
    repeat refused, dispensed twice refused, № 43 deferred, № 44's unmarked test strips from the
    batch picker — the FEFO batch chosen, more than its free refused at the field — the stock
    card); two counters racing for the last package (exactly one dispenses); the fund's control
    run, act and МДЛП reports; another pharmacy refused the stock card; the registrar's federal
    register page (a one-line file loaded, the re-matching to its report and CSV). The codes are the demo's
    (pharmacy/demo/scenario.py)."""
    from pharmacy.demo import scenario

    series, ready = scenario.READY
    plan = {
        "series": series,
        "ready": ready,
        "last": scenario.LAST_PACKAGE[1],
        "none": scenario.NO_STOCK[1],
        "ready_codes": list(scenario.READY_CODES),
        "last_code": scenario.LAST_PACKAGE_CODE,
        "unmarked": scenario.UNMARKED[1],
        "unmarked_trade": scenario.TEST_STRIPS.trade_name,
        "unmarked_batches": [{"packages": n, "expires_in_days": d} for n, d in scenario.UNMARKED_BATCHES],
    }
    run = _run_script(system, "pharmacy.e2e.mjs", {"OMS_E2E_PHARMACY_SCENARIO": json.dumps(plan)})
    assert run.returncode == 0, f"browser test failed:\n{run.stdout[-6000:]}\n{run.stderr[-4000:]}"
    assert "steps passed" in run.stdout, run.stdout[-2000:]
    for name in (
        "pharmacy-beneficiary.png",
        "pharmacy-rx-issued.png",
        "pharmacy-dispensing-done.png",
        "pharmacy-dispensing-unmarked.png",
        "pharmacy-deferred.png",
        "pharmacy-stock-card.png",
        "pharmacy-race-lost.png",
        "pharmacy-control.png",
        "pharmacy-marking.png",
        "pharmacy-federal-register.png",
    ):
        assert (FRONTEND / "e2e" / "artifacts" / name).exists(), f"no screenshot {name}"
