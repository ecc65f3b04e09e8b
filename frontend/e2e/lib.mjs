// Shared pieces of the browser tests (jobs.e2e.mjs; roles.e2e.mjs keeps its own copies):
// Debian's Chromium through playwright-core, numbered steps, the login form, polling, an API
// client for test setup.
import { chromium } from "playwright-core";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

export function baseUrl() {
  const base = process.env.OMS_E2E_BASE_URL?.replace(/\/$/, "");
  if (!base) {
    console.error("OMS_E2E_BASE_URL is not set (e.g. http://127.0.0.1:8000)");
    process.exit(2);
  }
  return base;
}

export const artifacts = path.join(path.dirname(fileURLToPath(import.meta.url)), "artifacts");

export async function launchChromium() {
  await mkdir(artifacts, { recursive: true });
  return chromium.launch({
    executablePath: process.env.OMS_E2E_CHROMIUM ?? "/usr/bin/chromium",
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
}

/** A fresh context (own empty profile) with a Russian locale. */
export function russianContext(browser, options = {}) {
  return browser.newContext({ locale: "ru-RU", viewport: { width: 1360, height: 860 }, ...options });
}

/** `await step("name", async () => …)`: runs, logs the time, counts. */
export function stepper() {
  const done = [];
  const step = async (name, fn) => {
    const started = Date.now();
    await fn();
    done.push(name);
    console.log(`ok  ${name} (${Date.now() - started} ms)`);
  };
  return { step, done };
}

/** Fills the login form already shown; fails at once with the page's message if refused. */
export async function submitLogin(page, user) {
  await page.getByLabel("Логин").fill(user);
  await page.getByLabel("Пароль").fill("demo");
  await page.getByRole("button", { name: "Войти" }).click();
  const menu = page.getByTestId("menu");
  const refused = page.locator(".notice-error");
  await menu.or(refused).first().waitFor();
  // The gateway allows 10 logins per minute per address and login: back-to-back runs hit it.
  if (await refused.isVisible()) throw new Error(`login as ${user} refused: ${await refused.innerText()}`);
}

export async function login(page, base, user) {
  await page.goto(`${base}/`);
  await page.waitForURL(/\/login$/);
  await submitLogin(page, user);
}

export const menuLink = (page, name) => page.getByTestId("menu").getByRole("link", { name, exact: true });

/** Screenshots of every open page, named failure-<i>.png, after a failed run. */
export async function screenshotFailures(browser, prefix = "failure") {
  for (const ctx of browser.contexts()) {
    for (const [i, p] of ctx.pages().entries()) {
      await p.screenshot({ path: path.join(artifacts, `${prefix}-${i}.png`) }).catch(() => {});
    }
  }
}

/** Polls `check` until it is true (lists refetch after a filter or a decision). */
export async function until(check, what, timeout = 15_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A service's API as the script's own client (test setup only): `(method, url, body) → JSON`. */
export async function apiAs(base, user, service) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: user, password: "demo" }),
  });
  if (response.status !== 200) throw new Error(`API login as ${user}: ${response.status}`);
  const { access_token: token } = await response.json();
  return async (method, url, body) => {
    const r = await fetch(`${base}/api/${service}${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    if (!r.ok) throw new Error(`${method} ${url}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}
