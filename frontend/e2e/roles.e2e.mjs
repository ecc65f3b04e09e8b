// Browser check of the SPA against a running system (it starts nothing itself):
//   OMS_E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e
// Logs in as admin and as pharmacist in Debian's Chromium (playwright-core, no browser
// download), checks that the menus differ, logs in and opens a menu item by keyboard only,
// runs axe-core on the main pages, drives the admin lists, a user's edit, an API key's
// create/revoke, a signing key's rotation and the dashboard's charts, checks logout and
// that a reload forgets the session (tokens in memory).
// Screenshots go to e2e/artifacts/ (gitignored).
import { chromium } from "playwright-core";
import assert from "node:assert/strict";
import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assertAccessible } from "./axe.mjs";

const base = process.env.OMS_E2E_BASE_URL?.replace(/\/$/, "");
if (!base) {
  console.error("OMS_E2E_BASE_URL is not set (e.g. http://127.0.0.1:8000)");
  process.exit(2);
}
const executablePath = process.env.OMS_E2E_CHROMIUM ?? "/usr/bin/chromium";
const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");
await mkdir(artifacts, { recursive: true });
// axe-core's findings of every impact, one JSON line per checked page (only serious/critical fail).
process.env.OMS_E2E_AXE_REPORT ??= path.join(artifacts, "axe.jsonl");
await rm(process.env.OMS_E2E_AXE_REPORT, { force: true });

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

/** What has the keyboard focus: tag, name/label, text, aria-current, and whether it is in the menu. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? null,
      name: el?.getAttribute("name") ?? null,
      label: el?.getAttribute("aria-label") ?? null,
      text: el?.textContent?.trim() ?? "",
      current: el?.getAttribute("aria-current") ?? null,
      inMenu: Boolean(el?.closest('nav[data-testid="menu"]')),
    };
  });

/** Presses Tab (or `key`) until `until(focus)` holds; fails after `max` presses. Returns the presses. */
async function tabTo(page, until, max = 25, key = "Tab") {
  for (let presses = 1; presses <= max; presses += 1) {
    await page.keyboard.press(key);
    if (until(await focused(page))) return presses;
  }
  throw new Error(`Tab did not reach the element in ${max} presses; focus on ${JSON.stringify(await focused(page))}`);
}

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

  await step("keyboard only: log in, skip link, open a menu item", async () => {
    const ctx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.waitForURL(/\/login$/);
    await page.getByRole("heading", { name: "Вход в систему" }).waitFor();
    await assertAccessible(page, "login page");
    // Tab order of the login page: the language, then the login, then the password.
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(page).then((f) => [f.tag, f.label]), ["select", "Язык"]);
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(page).then((f) => [f.tag, f.name]), ["input", "login"]);
    await page.keyboard.type("admin");
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(page).then((f) => [f.tag, f.name]), ["input", "password"]);
    await page.keyboard.type("demo");
    await page.keyboard.press("Enter");
    await page.getByTestId("menu").waitFor();
    assert.equal(new URL(page.url()).pathname, "/");
    // The first Tab of the page is the skip link; the menu comes after it and the top bar.
    await page.keyboard.press("Tab");
    assert.deepEqual(await focused(page).then((f) => [f.tag, f.text]), ["a", "Перейти к содержанию"]);
    const presses = await tabTo(page, (f) => f.inMenu && f.text === "Организации");
    assert.ok(presses > 2, `the menu comes after the top bar (${presses} presses)`);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/admin\/organizations$/);
    await page.getByRole("heading", { name: "Организации", level: 1 }).waitFor();
    const after = await focused(page);
    assert.deepEqual([after.tag, after.text, after.current, after.inMenu], ["a", "Организации", "page", true]);
    await page.locator("table.data-table tbody tr").first().waitFor();
    // Back to the skip link; Enter puts the focus into the page, the next Tab onto its first control.
    await tabTo(page, (f) => f.text === "Перейти к содержанию", 25, "Shift+Tab");
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => document.activeElement?.id), "content");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest("main"))), true);
    await page.screenshot({ path: path.join(artifacts, "keyboard-menu.png") });
    await ctx.close();
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
    await assertAccessible(admin, "admin home page");
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
    await assertAccessible(admin, "admin organizations list");
  });

  await step("admin: users", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "Пользователи" }).click();
    await admin.getByRole("cell", { name: "pharmacist", exact: true }).waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-users.png") });
    await assertAccessible(admin, "admin users list");
    // The role picker comes from the gateway's catalogue and follows the organization's kind.
    await admin.getByRole("button", { name: "Добавить пользователя" }).click();
    const form = admin.getByRole("form", { name: "Добавить пользователя" });
    const roles = form.getByRole("group", { name: "Роли" });
    await roles.getByText("Сначала выберите организацию").waitFor();
    await form.getByLabel("Организация").selectOption({ label: "ГУП «Приозёрская областная аптека», аптека № 1" });
    await roles.getByRole("checkbox", { name: "Провизор" }).waitFor();
    const pharmacyRoles = await roles.locator("label").allInnerTexts();
    assert.deepEqual(pharmacyRoles.map((r) => r.trim()), ["Провизор"], `pharmacy roles: ${pharmacyRoles}`);
    await roles.getByRole("checkbox", { name: "Провизор" }).check();
    await form.getByLabel("Организация").selectOption({ label: "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»" });
    await roles.getByRole("checkbox", { name: "Врач" }).waitFor();
    const moRoles = (await roles.locator("label").allInnerTexts()).map((r) => r.trim());
    for (const r of ["Экономист МО", "Врач", "Пациент", "Оператор регистра"]) assert.ok(moRoles.includes(r), `MO roles: ${moRoles}`);
    const notHere = ["Провизор", "Администратор", "МИС", "Бухгалтерская система", "Обмен с ТФОМС", "Обмен с ФОМС"];
    assert.ok(!moRoles.some((o) => notHere.includes(o)), `roles offered in an MO: ${moRoles}`);
    await admin.screenshot({ path: path.join(artifacts, "admin-user-create.png") });
    await form.getByRole("button", { name: "Отмена" }).click();
  });

  await step("admin: a user's detail, a refused edit, then new roles", async () => {
    await admin.getByRole("link", { name: "doctor2", exact: true }).click();
    await admin.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    const detail = admin.getByTestId("user-detail");
    await detail.getByText("Врач", { exact: true }).waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-user-detail.png") });
    await admin.getByRole("link", { name: "Изменить" }).click();
    await admin.waitForURL(/\/edit$/);
    const roles = admin.getByRole("group", { name: "Роли" });
    await roles.getByRole("checkbox", { name: "Врач" }).waitFor();
    assert.equal(await roles.getByRole("checkbox", { name: "Провизор" }).count(), 0, "a pharmacist's role offered in an MO");
    // The server refuses a short password; its message stands at the password field.
    const password = admin.getByLabel(/Новый пароль/);
    await password.fill("short");
    await admin.getByRole("button", { name: "Сохранить" }).click();
    await admin.waitForFunction(() => document.querySelector('input[type="password"]')?.getAttribute("aria-invalid") === "true");
    const message = await admin.locator(".field-invalid .field-error").innerText();
    assert.match(message, /10/, `password message: ${message}`);
    await assertAccessible(admin, "user edit page");
    await admin.screenshot({ path: path.join(artifacts, "admin-user-edit.png") });
    await password.fill("");
    await roles.getByRole("checkbox", { name: "Оператор регистра" }).check();
    await admin.getByRole("button", { name: "Сохранить" }).click();
    await admin.waitForURL(/\/admin\/users\/[0-9a-f-]{36}$/);
    await admin.getByText("Изменения сохранены.").waitFor();
    await detail.getByText("Врач, Оператор регистра").waitFor();
    // Put the demo user back as it was, for the next run against the same system.
    await admin.getByRole("link", { name: "Изменить" }).click();
    await admin.getByRole("group", { name: "Роли" }).getByRole("checkbox", { name: "Оператор регистра" }).uncheck();
    await admin.getByRole("button", { name: "Сохранить" }).click();
    await admin.getByText("Изменения сохранены.").waitFor();
    await detail.getByText("Врач", { exact: true }).waitFor();
  });

  await step("admin: an organization's detail lists its users", async () => {
    await admin.getByTestId("user-detail").getByRole("link").click();
    await admin.waitForURL(/\/admin\/organizations\/[0-9a-f-]{36}$/);
    await admin.getByRole("heading", { name: "ГБУЗ «Заречная центральная районная больница»" }).waitFor();
    await admin.getByTestId("organization-detail").getByText("990003").waitFor();
    const users = admin.getByRole("table", { name: "Пользователи организации" });
    await users.getByRole("cell", { name: "doctor2", exact: true }).waitFor();
    assert.equal(await users.getByRole("cell", { name: "doctor", exact: true }).count(), 0, "another MO's user listed");
    await assertAccessible(admin, "organization detail page");
    await admin.screenshot({ path: path.join(artifacts, "admin-organization-detail.png") });
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
    // Organizations, users, API keys in force first; the dashboard may add tiles after them.
    assert.ok(values.length >= 3, `KPI tiles: ${values}`);
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
    await row.getByRole("button", { name: "Отозвать" }).click();
    await admin.getByRole("dialog", { name: "Отозвать" }).getByRole("button", { name: "Отозвать" }).click();
    await row.waitFor({ state: "detached" });
  });

  await step("admin: the signing key is rotated; old and new sessions keep working", async () => {
    await admin.getByTestId("menu").getByRole("link", { name: "Ключи подписи" }).click();
    await admin.waitForURL(/\/admin\/signing-keys$/);
    const table = admin.getByRole("table", { name: "Ключи подписи токенов" });
    const signingRow = table.locator("tr", { hasText: "подписывает" });
    await signingRow.waitFor();
    const before = await signingRow.locator("td").first().innerText();
    await assertAccessible(admin, "signing keys page");
    await admin.getByRole("button", { name: "Сменить ключ подписи" }).click();
    const dialog = admin.getByRole("dialog", { name: "Сменить ключ подписи" });
    await dialog.waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-signing-key-confirm.png") });
    await dialog.getByRole("button", { name: "Сменить ключ подписи" }).click();
    const notice = admin.getByRole("status").filter({ hasText: "Ключ подписи сменён" });
    await notice.waitFor();
    const after = (await notice.innerText()).match(/Новый ключ: (\S+)\.$/)?.[1];
    assert.ok(after && after !== before, `new kid ${after}, old ${before}`);
    await table.locator("tr", { hasText: after }).getByText("подписывает").waitFor();
    await table.locator("tr", { hasText: before }).getByText("только проверка").waitFor();
    await admin.screenshot({ path: path.join(artifacts, "admin-signing-keys.png") });
    // Both keys are published, so tokens signed before the rotation still verify.
    const jwks = await (await fetch(`${base}/api/auth/.well-known/jwks.json`)).json();
    const kids = jwks.keys.map((k) => k.kid);
    assert.ok(kids.includes(before) && kids.includes(after), `JWKS kids: ${kids}`);
    // The session from before the rotation still reads the admin lists...
    await admin.getByTestId("menu").getByRole("link", { name: "Пользователи" }).click();
    await admin.getByRole("cell", { name: "pharmacist", exact: true }).waitFor();
    // ...and a login after it works: its token, signed with the new key, is accepted.
    const ctx = await browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 } });
    const page = await ctx.newPage();
    await login(page, "economist");
    await page.getByTestId("menu").getByRole("link", { name: "Пользователи" }).click();
    await page.getByRole("cell", { name: "doctor", exact: true }).waitFor();
    await ctx.close();
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
