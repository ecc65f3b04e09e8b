// Time to first render of a dashboard in headless Chromium, against a running system:
//   OMS_E2E_BASE_URL=http://127.0.0.1:8012 node e2e/perf.e2e.mjs   [OMS_PERF_RUNS=7] [OMS_PERF_DASHBOARD=summary|region]
// Each run is a fresh browser context (empty cache, as a first visit): it opens the deep
// link /dashboard, is sent to /login (tokens live in memory only), logs in (admin for
// «Сводка», tfoms for the region dashboard) and is sent back; the clock stops when every
// chart of the page is drawn (the canvases have a size — Chart.js draws synchronously with
// animation off — and the heat map has its cells). Reported, median and range:
//   total      — navigation start → charts drawn (includes the login form and request)
//   afterLogin — the click on "Войти" → charts drawn (login request, /api/auth/me, the
//                dashboard and Chart.js chunks, the data requests, drawing)
//   afterMe    — /api/auth/me answered → charts drawn: the dashboard's own part, without
//                the login's password hashing (which varies most between runs)
// One login per run: the gateway allows 10 logins/min per login, keep runs ≤ 9.
import { chromium } from "playwright-core";

const base = process.env.OMS_E2E_BASE_URL?.replace(/\/$/, "");
if (!base) {
  console.error("OMS_E2E_BASE_URL is not set (e.g. http://127.0.0.1:8000)");
  process.exit(2);
}
const runs = Number(process.env.OMS_PERF_RUNS ?? 7);
const DASHBOARDS = {
  summary: { user: "admin", canvases: ["chart-org-kinds", "chart-user-roles", "chart-sign-ins"], svgs: ["chart-sign-in-hours"],
    data: /\/api\/admin\/(organizations|users|api-keys|activity\/sign-ins)\?/ },
  region: { user: "tfoms", canvases: ["chart-region-org-kinds", "chart-region-directories"], svgs: [],
    data: /\/api\/(admin\/organizations|registry\/organizations|finance\/organizations|pharmacy\/organizations|verification\/organizations|registry\/nsi\/dictionaries)/ },
};
const dashboard = DASHBOARDS[process.env.OMS_PERF_DASHBOARD ?? "summary"];
if (!dashboard) {
  console.error(`OMS_PERF_DASHBOARD must be one of ${Object.keys(DASHBOARDS).join(", ")}`);
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.OMS_E2E_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = [];
try {
  for (let i = 0; i < runs; i++) {
    const ctx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/dashboard`);
    await page.waitForURL(/\/login$/);
    const loginShown = await page.evaluate(async () => {
      while (!document.querySelector('input[name="password"]')) await new Promise(requestAnimationFrame);
      return performance.now();
    });
    await page.getByLabel("Логин").fill(dashboard.user);
    await page.getByLabel("Пароль").fill("demo");
    const clickAt = await page.evaluate(() => performance.now());
    await page.getByRole("button", { name: "Войти" }).click();
    const refused = page.locator(".notice-error");
    const drawn = page.waitForFunction(
      ({ canvases, svgs }) => {
        const ok =
          canvases.every((id) => {
            const c = document.querySelector(`[data-testid="${id}"] canvas`);
            return c instanceof HTMLCanvasElement && c.width > 0 && c.height > 0;
          }) && svgs.every((id) => document.querySelector(`[data-testid="${id}"] svg rect`) !== null);
        if (ok) window.__chartsAt ??= performance.now();
        return ok;
      },
      { canvases: dashboard.canvases, svgs: dashboard.svgs },
      { polling: "raf", timeout: 30_000 },
    );
    await Promise.race([drawn, refused.waitFor().then(async () => { throw new Error(`login refused: ${await refused.innerText()}`); })]);
    const chartsAt = await page.evaluate(() => window.__chartsAt);
    // Where the time after the click goes: when each request finished, from the click.
    const marks = await page.evaluate(({ t0, data }) => {
      const end = (re) => {
        const e = performance.getEntriesByType("resource").filter((x) => re.test(x.name));
        return e.length ? Math.max(...e.map((x) => x.responseEnd)) - t0 : NaN;
      };
      return {
        login: end(/\/api\/auth\/login$/),
        me: end(/\/api\/auth\/me$/),
        pageChunk: end(/\/assets\/(DashboardPage|RegionDashboard|routes)-/),
        data: end(new RegExp(data)),
        chartJs: end(/\/assets\/charts-/),
      };
    }, { t0: clickAt, data: dashboard.data.source });
    const r = { total: chartsAt, loginShown, afterLogin: chartsAt - clickAt, ...marks };
    r.afterMe = r.afterLogin - r.me; // the dashboard's own part: from the user known to the charts drawn
    results.push(r);
    console.log(`run ${i + 1}: total ${r.total.toFixed(0)} ms, login form ${r.loginShown.toFixed(0)} ms, after login click ${r.afterLogin.toFixed(0)} ms ` +
      `(from the click: login answered ${r.login.toFixed(0)}, /me ${r.me.toFixed(0)}, page chunk ${r.pageChunk.toFixed(0)}, ` +
      `data ${r.data.toFixed(0)}, Chart.js chunk ${r.chartJs.toFixed(0)} ms)`);
    await ctx.close();
  }
  for (const key of ["total", "loginShown", "afterLogin", "afterMe", "login", "me", "pageChunk", "data", "chartJs"]) {
    const xs = results.map((r) => r[key]);
    console.log(`${key}: median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}, n=${xs.length})`);
  }
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
