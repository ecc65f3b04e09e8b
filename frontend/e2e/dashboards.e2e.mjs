// Browser check of the dashboards against a running system with the demo data (it starts
// nothing itself):   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/dashboards.e2e.mjs
// - admin: «Сводка» draws all four chart kinds (pie, bar, line of sign-ins, weekday × hour
//   heat map), the sign-in tile counts the seeded history, the pie's legend shows long
//   names whole;
// - economist: the same page with the sign-ins of their MO only (fewer than the admin's);
// - tfoms / foms / minzdrav: /dashboard is the region dashboard (organizations by kind, the
//   services' directories, NSI and ICD-10 tiles); for tfoms also the home page and the menu.
// Every chart keeps its aria-label summary and its hidden data table. Screenshots go to
// e2e/artifacts/ (gitignored). Six logins: the gateway allows 10 per minute per login.
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

const base = process.env.OMS_E2E_BASE_URL?.replace(/\/$/, "");
if (!base) {
  console.error("OMS_E2E_BASE_URL is not set (e.g. http://127.0.0.1:8000)");
  process.exit(2);
}
const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
await mkdir(artifacts, { recursive: true });
const browser = await chromium.launch({
  executablePath: process.env.OMS_E2E_CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

let passed = 0;
const step = async (name, fn) => {
  const started = Date.now();
  await fn();
  passed += 1;
  console.log(`ok  ${name} (${Date.now() - started} ms)`);
};
const number = (text) => Number(text.replace(/[\s\u00a0]/g, ""));

/** A fresh context at `where` (a deep link): sent to /login, logged in, sent back. */
async function openAs(user, where) {
  const ctx = await browser.newContext({ locale: "ru-RU", timezoneId: "Europe/Moscow", viewport: { width: 1360, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${base}${where}`);
  await page.waitForURL(/\/login$/);
  await page.getByLabel("Логин").fill(user);
  await page.getByLabel("Пароль").fill("demo");
  await page.getByRole("button", { name: "Войти" }).click();
  const refused = page.locator(".notice-error");
  await page.getByTestId("menu").or(refused).first().waitFor();
  if (await refused.isVisible()) throw new Error(`login as ${user} refused: ${await refused.innerText()}`);
  await page.waitForURL((url) => url.pathname === where);
  return { ctx, page };
}

/** A Chart.js chart has drawn (its canvas has a size); it has a summary and a data table with rows. */
async function assertCanvasChart(page, id) {
  await page.waitForFunction((tid) => {
    const c = document.querySelector(`[data-testid="${tid}"] canvas`);
    return c instanceof HTMLCanvasElement && c.width > 0 && c.height > 0;
  }, id);
  await assertFigure(page, id);
}

async function assertFigure(page, id) {
  const figure = page.getByTestId(id);
  const summary = (await figure.getAttribute("aria-label")) ?? "";
  assert.match(summary, /\d/, `${id}: the summary names figures: ${summary}`);
  const rows = await figure.locator("table.visually-hidden tbody tr").count();
  assert.ok(rows > 0, `${id}: the hidden data table has rows`);
  return figure;
}

async function kpi(page, label) {
  const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
  const tile = page.locator(".kpi", { has: page.locator(".kpi-label", { hasText: exact }) });
  await tile.locator(".kpi-value").filter({ hasNotText: "—" }).waitFor();
  return (await tile.locator(".kpi-value").innerText()).trim();
}

let adminSignIns = 0;
try {
  await step("admin: «Сводка» draws a pie, a bar, the sign-in line and the weekday × hour heat map", async () => {
    const { ctx, page } = await openAs("admin", "/dashboard");
    for (const id of ["chart-org-kinds", "chart-user-roles", "chart-sign-ins"]) await assertCanvasChart(page, id);
    const heat = await assertFigure(page, "chart-sign-in-hours");
    assert.equal(await heat.locator("svg rect").count(), 7 * (await heat.locator("table thead th").count() - 1), "a cell per weekday and hour");
    const line = page.getByTestId("chart-sign-ins");
    assert.equal(await line.locator("table tbody tr").count(), 30, "a row per day");
    adminSignIns = number(await kpi(page, "Входов за 30 дн."));
    assert.ok(adminSignIns > 100, `the seeded history is counted: ${adminSignIns}`);
    // The pie's legend: long names whole (no ellipsis, nothing cut), each with value and share.
    const legend = page.getByTestId("chart-org-kinds").locator(".chart-legend li");
    assert.ok((await legend.count()) >= 5);
    const cut = await page.getByTestId("chart-org-kinds").locator(".chart-legend-label").evaluateAll((els) =>
      els.filter((e) => e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1).map((e) => e.textContent),
    );
    assert.deepEqual(cut, [], "legend labels cut off");
    assert.match(await legend.first().innerText(), /\d+ \(\d+,\d\s%\)/);
    await page.screenshot({ path: path.join(artifacts, "dashboard-admin.png"), fullPage: true });
    await ctx.close();
  });

  await step("economist: the sign-ins are their MO's only", async () => {
    const { ctx, page } = await openAs("economist", "/dashboard");
    await assertCanvasChart(page, "chart-sign-ins");
    const own = number(await kpi(page, "Входов за 30 дн."));
    assert.ok(own > 0 && own < adminSignIns, `economist ${own} vs admin ${adminSignIns}`);
    await ctx.close();
  });

  for (const user of ["tfoms", "foms", "minzdrav"]) {
    await step(`${user}: /dashboard is the region dashboard`, async () => {
      const { ctx, page } = await openAs(user, "/dashboard");
      await page.getByRole("heading", { level: 1, name: "Регион: организации и справочники" }).waitFor();
      await assertCanvasChart(page, "chart-region-org-kinds");
      await assertCanvasChart(page, "chart-region-directories");
      assert.equal(await kpi(page, "Медицинские организации"), "50");
      assert.equal(await kpi(page, "Аптеки"), "30");
      assert.ok(number(await kpi(page, "Справочников НСИ")) > 0);
      assert.match(await kpi(page, "МКБ-10: действующая версия"), /\S/);
      // The gateway's register and each service's copy hold the same organizations.
      const bars = await page.getByTestId("chart-region-directories").locator("table tbody td").allInnerTexts();
      assert.equal(bars.length, 5);
      assert.equal(new Set(bars).size, 1, `directories differ: ${bars}`);
      assert.equal(await page.getByTestId("chart-user-roles").count(), 0, "no user list for the region roles");
      await page.screenshot({ path: path.join(artifacts, `dashboard-region-${user}.png`), fullPage: true });
      await ctx.close();
    });
  }

  await step("tfoms: the home page shows the region dashboard, the menu has «Сводка»", async () => {
    const { ctx, page } = await openAs("tfoms", "/");
    await page.getByTestId("region-dashboard").waitFor();
    await assertCanvasChart(page, "chart-region-org-kinds");
    await page.getByTestId("menu").getByRole("link", { name: "Сводка" }).waitFor();
    await page.screenshot({ path: path.join(artifacts, "home-tfoms.png"), fullPage: true });
    await ctx.close();
  });
  console.log(`\n${passed} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
