// Browser check of the verification screens against a running system with the demo region
// (it starts nothing):   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/verification.e2e.mjs
// As the payer's verification operator («verifier»):
// - the menu item and the sections; the demo's finished run in the list (all five stages);
// - the run's page: KPI tiles with the savings at the demo tariff, the chart by reason, the
//   outcomes filtered by reason (URL), a dead person's evidence from ЗАГС, the rejected rows;
//   the savings by reason and district, the actual register exported as a job;
// - the review queue: a pair side by side with its field evidence, confirmed with a comment,
//   then among the decided pairs;
// - the five sources and one source's answers; the tariffs with the demo year;
// - a new incremental run on a small register file (the demo run as previous): the upload,
//   the job followed to «Готово», every stage done, its results page.
// As the registrar (no verification permission): no menu item. axe-core runs on the screens.
// Screenshots go to e2e/artifacts/.
import assert from "node:assert/strict";
import path from "node:path";
import { assertAccessible } from "./axe.mjs";
import { artifacts, baseUrl, launchChromium, login, menuLink, russianContext, screenshotFailures, stepper } from "./lib.mjs";

const base = baseUrl();
const MENU = "Верификация неработающих";
const DEMO_YEAR = "2025";
// A small register as TFOMS sends it (CSV, «;», column codes): checked against the demo run.
const REGISTER = [
  "surname;first_name;patronymic;birth_date;sex;snils;enp;doc_type;doc_series;doc_number;address;district",
  "Орлова;Вера;Николаевна;1950-03-14;female;;;;;;;01",
  "Зайцев;Игорь;Петрович;2012-09-01;male;;;;;;;02",
  "Белова;Нина;Сергеевна;1948-12-30;female;;;;;;;03",
  "Кравцов;;Ильич;1961-02-30;male;;;;;;;04",
].join("\r\n");

const browser = await launchChromium();
const { step, done } = stepper();

try {
  const ctx = await russianContext(browser);
  const page = await ctx.newPage();
  const shot = (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });
  let demoRunUrl = "";

  await step("verifier: the menu item, the sections, the demo's finished run in the list", async () => {
    await login(page, base, "verifier");
    await menuLink(page, MENU).click();
    await page.waitForURL(/\/verification$/);
    await page.getByRole("heading", { level: 1, name: "Верификация регистра неработающего населения" }).waitFor();
    for (const name of ["Проверки регистра", "Новая проверка", "Источники сведений", "Тарифы взноса"]) {
      await page.getByRole("link", { name: new RegExp(name) }).first().waitFor();
    }
    await assertAccessible(page, "verification home");
    await page.getByRole("link", { name: /Проверки регистра/ }).click();
    await page.waitForURL(/\/verification\/runs$/);
    const table = page.getByRole("table", { name: "Проверки регистра" });
    const row = table.locator("tbody tr", { hasText: "Завершена" }).filter({ hasText: `01.01.${DEMO_YEAR}` }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /5 из 5/);
    await assertAccessible(page, "verification runs");
    await shot("verification-runs.png");
    await row.getByRole("link").first().click();
    await page.waitForURL(/\/verification\/runs\/[0-9a-f-]{36}$/);
    demoRunUrl = page.url();
  });

  await step("the run: KPIs with the savings, the chart by reason, the rejected rows", async () => {
    await page.getByRole("heading", { level: 1, name: `Проверка за период 01.01.${DEMO_YEAR} — 31.12.${DEMO_YEAR}` }).waitFor();
    const kpis = page.getByTestId("run-kpis");
    await kpis.getByText("Лиц в регистре").waitFor();
    await kpis.getByText("Экономия взносов").waitFor();
    await kpis.getByText(/мес\. × .* \(тариф 2025 г\.\)/).waitFor();
    const savings = await kpis.locator(".kpi", { hasText: "Экономия взносов" }).locator(".kpi-value").innerText();
    assert.match(savings, /^\d[\d\s]*,\d\d\s₽$/, `savings: ${savings}`);
    const chart = page.getByTestId("chart-by-reason");
    await chart.locator("figcaption", { hasText: "Исключения по основаниям" }).waitFor();
    const rejected = page.getByRole("table", { name: "Отклонённые строки файла" });
    await rejected.locator("tbody tr").first().waitFor();
    assert.equal(await rejected.locator("tbody tr").count(), 4, "the demo file's four broken rows");
    await assertAccessible(page, "verification run");
    await shot("verification-run.png");
  });

  await step("the outcomes filtered by reason; a dead person's evidence from ЗАГС", async () => {
    await page.getByLabel("Основание").selectOption({ label: "Умер" });
    await page.waitForURL(/reason=dead/);
    const table = page.getByRole("table", { name: "Итоги по лицам" });
    await table.locator('tbody tr:first-child td', { hasText: "Умер" }).first().waitFor();
    const reasons = await table.locator("tbody tr td:nth-child(6)").allInnerTexts();
    assert.ok(reasons.length > 0 && reasons.every((r) => r.includes("Умер")), `reasons: ${reasons}`);
    await table.locator("tbody tr").first().getByRole("button", { name: "Доказательства" }).click();
    const evidence = page.getByTestId("evidence");
    await evidence.getByText("Запись регистра").waitFor();
    await evidence.getByTestId("evidence-item").filter({ hasText: "zags.death" }).first().waitFor();
    await evidence.getByTestId("evidence-periods").waitFor();
    await assertAccessible(page, "verification evidence");
    await shot("verification-evidence.png");
  });

  await step("the run's savings by reason and district; the actual register exported as a job", async () => {
    const savings = page.getByTestId("run-savings");
    await savings.locator(".kpi", { hasText: "Экономия за период" }).waitFor();
    const total = await savings.locator(".kpi", { hasText: "Экономия за период" }).locator(".kpi-value").innerText();
    assert.match(total, /^\d[\d\s]*,\d\d\s₽$/, `savings: ${total}`);
    await savings.getByTestId("chart-savings-reason").waitFor();
    await savings.getByTestId("chart-savings-district").waitFor();
    await page.getByTestId("export-actual-csv").click();
    await page.getByTestId("run-exports").locator('[data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    await shot("verification-savings.png");
  });

  await step("the review queue: a pair side by side with its evidence, confirmed by the operator", async () => {
    await page.getByTestId("open-review").click();
    await page.waitForURL(/\/review$/);
    await page.getByRole("heading", { level: 1, name: "Очередь проверки оператором" }).waitFor();
    const card = page.getByTestId("review-item").first();
    await card.waitFor();
    await card.getByRole("table", { name: "Записи рядом" }).waitFor();
    await card.getByTestId("review-evidence").locator("li").first().waitFor();
    await assertAccessible(page, "verification review");
    await shot("verification-review.png");
    await card.getByLabel("Комментарий").fill("проверено по документам (e2e)");
    await card.getByRole("button", { name: "Подтвердить совпадение" }).click();
    await page.getByTestId("review-result").getByText("Совпадение подтверждено").waitFor();
    await page.getByLabel("Пары").selectOption("decided");
    await page.waitForURL(/state=decided/);
    await page.getByTestId("review-item").first().getByTestId("review-decision").waitFor();
  });

  await step("the five sources and one source's answers; the tariffs with the demo year", async () => {
    // In-app navigation: a reload would end the session (tokens live in memory).
    await menuLink(page, MENU).click();
    await page.getByRole("link", { name: /Источники сведений/ }).click();
    await page.waitForURL(/\/verification\/sources$/);
    const sources = page.getByRole("table", { name: "Источники сведений" });
    await sources.locator("tbody tr").nth(4).waitFor();
    assert.equal(await sources.locator("tbody tr").count(), 5);
    await sources.locator("tbody tr").first().getByRole("button", { name: "Ответы" }).click();
    const batches = page.getByTestId("source-batches");
    await batches.locator("tbody tr", { hasText: "demo-" }).first().waitFor();
    await batches.getByText("Загрузить файл ответа").waitFor();
    await assertAccessible(page, "verification sources");
    await menuLink(page, MENU).click();
    await page.getByRole("link", { name: /Тарифы взноса/ }).click();
    await page.waitForURL(/\/verification\/tariffs$/);
    const tariffs = page.getByRole("table", { name: "Тарифы страхового взноса на неработающее население" });
    const year = tariffs.locator("tbody tr", { hasText: DEMO_YEAR });
    await year.waitFor();
    assert.match(await year.innerText(), /ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ/);
    await assertAccessible(page, "verification tariffs");
  });

  await step("a new incremental run: upload, the job to «Готово», every stage done, its results", async () => {
    await menuLink(page, MENU).click();
    await page.getByRole("link", { name: /Новая проверка/ }).click();
    await page.waitForURL(/\/verification\/runs\/new$/);
    await page.getByRole("heading", { level: 1, name: "Новая проверка регистра" }).waitFor();
    await page.getByLabel("Начало периода").fill(`${DEMO_YEAR}-01-01`);
    await page.getByLabel("Конец периода").fill(`${DEMO_YEAR}-12-31`);
    await page.getByLabel("Регистр на дату").fill(`${DEMO_YEAR}-12-31`);
    const previous = page.getByLabel(/Предыдущая проверка/);
    await previous.locator("option").nth(1).waitFor({ state: "attached" });
    await previous.selectOption({ index: 1 });
    await page.getByLabel("Файл регистра").setInputFiles({
      name: "регистр-проверка.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("\uFEFF" + REGISTER, "utf8"),
    });
    await page.getByRole("button", { name: "Загрузить и проверить" }).click();
    await page.waitForURL(/runs\/new\?run=/);
    await page.locator('[data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 180_000 });
    const stages = page.getByTestId("run-stages");
    await stages.locator('li[data-state="done"]').nth(4).waitFor({ timeout: 30_000 });
    await shot("verification-new-run.png");
    await page.getByTestId("open-run").click();
    await page.waitForURL(/\/verification\/runs\/[0-9a-f-]{36}$/);
    assert.notEqual(page.url(), demoRunUrl);
    const entries = page.getByTestId("run-kpis").locator(".kpi", { hasText: "Лиц в регистре" }).locator(".kpi-value");
    await entries.waitFor();
    assert.equal(await entries.innerText(), "3");
    const rejected = page.getByRole("table", { name: "Отклонённые строки файла" });
    await rejected.locator("tbody tr").first().waitFor();
    // the fourth person (file row 5) has no first name and 30 February for a birth date
    const rows = await rejected.locator("tbody tr td:first-child").allInnerTexts();
    assert.ok(rows.length >= 1 && rows.every((r) => r === "5"), `rejected rows: ${rows}`);
  });
  await ctx.close();

  await step("registrar: no verification in the menu", async () => {
    const rc = await russianContext(browser);
    const rPage = await rc.newPage();
    await login(rPage, base, "registrar");
    await menuLink(rPage, "Застрахованные лица").waitFor();
    assert.equal(await menuLink(rPage, MENU).count(), 0);
    await rc.close();
  });

  console.log(`\n${done.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  await screenshotFailures(browser, "verification-failure");
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
