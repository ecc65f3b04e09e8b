// Browser check of the SPA against a running system (it starts nothing itself):
//   OMS_E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e
// Logs in as admin and as pharmacist in Debian's Chromium (playwright-core, no browser
// download), checks that the menus differ, drives the admin lists and an API key's
// create/revoke and the dashboard's charts, checks logout and that a reload forgets the session (tokens in memory).
// Screenshots go to e2e/artifacts/ (gitignored).
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
const executablePath = process.env.OMS_E2E_CHROMIUM ?? "/usr/bin/chromium";
const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
await mkdir(artifacts, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

const steps = [];
const step = async (name, fn) => {
  const started = Date.now();
  await fn();
  steps.push(name);
  console.log(`ok  ${name} (${Date.now() - started} ms)`);
};

/** Fills the login form already shown; fails at once with the page's message if refused. */
async function submitLogin(page, user) {
  await page.getByLabel("Логин").fill(user);
  await page.getByLabel("Пароль").fill("demo");
  await page.getByRole("button", { name: "Войти" }).click();
  const menu = page.getByTestId("menu");
  const refused = page.locator(".notice-error");
  await menu.or(refused).first().waitFor();
  // The gateway allows 10 logins per minute per address and login: back-to-back runs hit it.
  if (await refused.isVisible()) throw new Error(`login as ${user} refused: ${await refused.innerText()}`);
}

async function login(page, user) {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login$/);
  await submitLogin(page, user);
}

const menuOf = (page) => page.getByTestId("menu").locator("a").allInnerTexts();

try {
  // A fresh context per user: its own empty profile, nothing shared.
  const adminCtx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
  const admin = await adminCtx.newPage();
  const pharmCtx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
  const pharm = await pharmCtx.newPage();
  let adminMenu = [];
  let pharmMenu = [];

  await step("the login page is Russian and refuses a wrong password", async () => {
    await admin.goto(`${base}/`);
    await admin.waitForURL(/\/login$/);
    await admin.getByRole("heading", { name: "Вход в систему" }).waitFor();
    await admin.getByLabel("Логин").fill("admin");
    await admin.getByLabel("Пароль").fill("wrong");
    await admin.getByRole("button", { name: "Войти" }).click();
    await admin.getByRole("alert").waitFor();
    await admin.screenshot({ path: path.join(artifacts, "login-error.png") });
  });

  await step("admin logs in and sees the admin area", async () => {
    await login(admin, "admin");
    adminMenu = await menuOf(admin);
    assert.ok(adminMenu.includes("Организации"), `admin menu: ${adminMenu}`);
    assert.ok(adminMenu.includes("API-ключи"));
    assert.match(await admin.getByTestId("organization").innerText(), /Территориальный фонд ОМС/);
    // The home page's figures come from the admin chunk and three totals.
    await admin.locator(".kpi-value", { hasText: /^\d/ }).nth(2).waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-home.png") });
  });

  await step("pharmacist logs in and sees drug supply, no admin area", async () => {
    await login(pharm, "pharmacist");
    pharmMenu = await menuOf(pharm);
    assert.ok(pharmMenu.includes("Лекарственное обеспечение"), `pharmacist menu: ${pharmMenu}`);
    assert.ok(!pharmMenu.includes("Организации"));
    assert.match(await pharm.getByTestId("organization").innerText(), /аптека/i);
    await pharm.screenshot({ path: path.join(artifacts, "pharmacist-home.png") });
  });

  await step("the two menus differ", async () => {
    assert.notDeepEqual(adminMenu, pharmMenu);
  });

  await step("an MO economist sees finance and only their MO's users", async () => {
    const ctx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await login(page, "economist");
    const menu = await menuOf(page);
    assert.ok(menu.includes("Финансовый мониторинг"), `economist menu: ${menu}`);
    assert.ok(menu.includes("Пользователи") && !menu.includes("API-ключи"));
    await page.getByTestId("menu").getByRole("link", { name: "Пользователи" }).click();
    await page.getByRole("cell", { name: "doctor", exact: true }).waitFor();
    assert.equal(await page.getByRole("cell", { name: "pharmacist", exact: true }).count(), 0);
    await page.screenshot({ path: path.join(artifacts, "economist-users.png") });
    await ctx.close();
  });

  await step("a pharmacist who types an admin URL gets no admin data", async () => {
    await pharm.goto(`${base}/admin/api-keys`);
    // A full navigation reloads the page: the in-memory session is gone.
    await pharm.waitForURL(/\/login$/);
    await login(pharm, "pharmacist");
    await pharm.getByTestId("menu").getByRole("link", { name: "Главная" }).click();
    await pharm.evaluate(() => {
      window.history.pushState({}, "", "/admin/api-keys");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    await pharm.getByText("Недостаточно прав для этого раздела").waitFor();
  });

  await step("admin: organizations, paged and sorted on the server", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "Организации" }).click();
    await admin.locator("table.data-table tbody tr").first().waitFor();
    const firstAsc = await admin.locator("table.data-table tbody tr td").first().innerText();
    await admin.getByRole("button", { name: /Наименование/ }).click();
    await admin.waitForURL(/sort=-name/);
    await admin.waitForFunction(
      (before) => document.querySelector("table.data-table tbody tr td")?.textContent !== before,
      firstAsc,
    );
    await admin.getByText(/из \d+/).waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-organizations.png") });
  });

  await step("admin: users", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "Пользователи" }).click();
    await admin.getByRole("cell", { name: "pharmacist", exact: true }).waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-users.png") });
    // The role picker comes from the gateway's catalogue: people's roles, not API-key clients.
    await admin.getByRole("button", { name: "Добавить пользователя" }).click();
    const roles = admin.getByRole("listbox", { name: "Роли" });
    await roles.getByRole("option", { name: "Провизор" }).waitFor();
    const options = await roles.getByRole("option").allTextContents();
    assert.ok(options.length >= 11 && options.includes("Пациент"), `role options: ${options}`);
    const clients = ["МИС", "Бухгалтерская система", "Обмен с ТФОМС", "Обмен с ФОМС"];
    assert.ok(!options.some((o) => clients.includes(o)), `client roles offered to a person: ${options}`);
    await admin.getByRole("button", { name: "Отмена" }).click();
  });

  await step("admin: the dashboard draws its charts and figures", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "Сводка" }).click();
    await admin.waitForURL(/\/dashboard$/);
    for (const id of ["chart-org-kinds", "chart-user-roles"]) {
      const chart = admin.getByTestId(id);
      await chart.locator("canvas, svg").first().waitFor();
      // Chart.js has drawn when the canvas has a size; the figure carries the numbers.
      await admin.waitForFunction((tid) => {
        const c = document.querySelector(`[data-testid="${tid}"] canvas`);
        return c instanceof HTMLCanvasElement && c.width > 0 && c.height > 0;
      }, id);
      assert.match((await chart.getAttribute("aria-label")) ?? "", /— \d/, `${id} summary`);
    }
    const values = await admin.locator(".kpi-value").allInnerTexts();
    assert.equal(values.length, 3, `KPI tiles: ${values}`);
    const [orgs, users, keys] = values.map((v) => Number(v.replace(/\s/g, "")));
    // A fresh system has no API key in force (the step below revokes the one it makes).
    assert.ok(orgs > 0 && users > 0 && keys >= 0, `KPI tiles: ${values}`);
    await admin.screenshot({ path: path.join(artifacts, "admin-dashboard.png") });
  });

  await step("admin: an API key is shown once, then revoked", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "API-ключи" }).click();
    const name = `e2e МИС ${Date.now()}`;
    await admin.getByLabel("Система и владелец").fill(name);
    await admin.locator("form.inline-form select").first().selectOption({ index: 1 });
    await admin.getByRole("button", { name: "Выпустить ключ" }).click();
    const secret = await admin.getByTestId("created-key").locator("code").innerText();
    assert.match(secret, /^oms_/);
    await admin.screenshot({ path: path.join(artifacts, "admin-api-key-created.png") });
    await admin.getByRole("button", { name: "Закрыть" }).click();
    assert.equal(await admin.getByTestId("created-key").count(), 0);
    const row = admin.locator("tr", { hasText: name });
    admin.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Отозвать" }).click();
    await row.waitFor({ state: "detached" });
  });

  await step("English is available", async () => {
    await admin.getByRole("combobox", { name: "Язык" }).selectOption("en");
    await admin.getByRole("button", { name: "Sign out" }).waitFor();
    await admin.getByRole("combobox", { name: "Language" }).selectOption("ru");
  });

  await step("logout returns to the login page with a message", async () => {
    await admin.getByRole("button", { name: "Выйти" }).click();
    await admin.waitForURL(/\/login$/);
    await admin.getByText("Вы вышли из системы.").waitFor();
  });

  await step("an expired session sends the user to login with a message", async () => {
    const ctx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await login(page, "admin");
    await page.locator(".kpi-value", { hasText: /^\d/ }).nth(2).waitFor(); // nothing left in flight
    // From now on the gateway refuses the access token and the refresh token alike.
    const refused = { type: "urn:oms:problem:unauthorized", title: "Требуется вход", status: 401 };
    let refreshes = 0;
    await page.route("**/api/**", (route) => {
      if (new URL(route.request().url()).pathname === "/api/auth/refresh") refreshes += 1;
      return route.fulfill({ status: 401, contentType: "application/problem+json", body: JSON.stringify(refused) });
    });
    await page.evaluate(() => {
      window.history.pushState({}, "", "/admin/organizations?kind=pharmacy");
      window.dispatchEvent(new PopStateEvent("popstate"));
    });
    await page.waitForURL(/\/login$/);
    await page.getByText("Сессия истекла. Войдите снова.").waitFor();
    assert.equal(refreshes, 1, "one refresh attempt");
    await page.screenshot({ path: path.join(artifacts, "session-expired.png") });
    // Logging in again leads back to the page the session expired on.
    await page.unroute("**/api/**");
    await submitLogin(page, "admin");
    await page.waitForURL(/\/admin\/organizations\?kind=pharmacy$/);
    await page.getByRole("cell", { name: /аптека № 1$/ }).waitFor();
    await ctx.close();
  });

  console.log(`\n${steps.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  for (const ctx of browser.contexts()) {
    for (const [i, p] of ctx.pages().entries()) await p.screenshot({ path: path.join(artifacts, `failure-${i}.png`) }).catch(() => {});
  }
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
