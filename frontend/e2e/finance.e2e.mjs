// Browser check of the finance screens against a running system with the demo region (it
// starts nothing):   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/finance.e2e.mjs
// As the MO economist («economist», MO 990001):
// - the menu item and the home tiles;
// - the budget grid of the MO's last open month: «1 234,56» typed into a cell changes the row
//   and column totals, a bad amount is shown at its cell and blocks saving, the save is kept
//   after a reload (and a new sign-in); a month closed by an accepted 14-Ф is read only with
//   its reason;
// - the payment orders with a filter (URL); a 1C file (1CClientBankExchange, windows-1251)
//   with one bad document → the line report → «Загрузить только корректные строки» → the orders
//   in the list; the classification review list: one payment confirmed;
// - the reports: a new 14-Ф draft, a control ratio broken live as a cell is typed (К09) and
//   mended (К08), saved and submitted.
// As the fund's analyst («tfoms»): the analytics with charts for the region, an MO and the
// comparison of MOs; the deviations with the planted anomalies (CMI funds on a fine, the wages
// share), one acknowledged; the economist's 14-Ф accepted (its months closed). The saved cell
// seen by the fund too.
// As FOMS («foms»): consolidated figures only (the year's budget, the consolidated 14-Ф; an MO's
// month by its address refused). As the health authority («minzdrav»): only the MOs it founds
// (no ООО/АО) in the MO picker; form 62 of the demo's first MO accepted by the founder.
// axe-core runs on the main screens.
// Screenshots go to e2e/artifacts/finance-*.png.
import assert from "node:assert/strict";
import path from "node:path";
import { assertAccessible } from "./axe.mjs";
import {
  artifacts,
  baseUrl,
  launchChromium,
  login,
  menuLink,
  russianContext,
  screenshotFailures,
  stepper,
  submitLogin,
} from "./lib.mjs";

const base = baseUrl();
const MENU = "Финансовый мониторинг";
const NBSP = /[\s\u00a0]/g;
const today = new Date();
const ym = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`;
// The last full month (the budget page's default, open in the demo) and the first month of the
// year: the demo accepts the economist's MO's I quarter (and half-year), so January is closed.
const LAST_MONTH = ym(new Date(today.getFullYear(), today.getMonth() - 1, 1));
const LOCKED_MONTH = `${today.getFullYear()}-01`;
const DEMO_HAS_LOCK = today.getMonth() >= 3; // the demo accepts the quarters of this year that have ended
// A 14-Ф draft the economist starts: the fourth quarter of the previous year (the demo has none).
const DRAFT_YEAR = today.getFullYear() - 1;
const CELL = "expense:4:226"; // payments, КВФО 4 (paid services), КОСГУ 226 (other services)

/** windows-1251 bytes of a text (ASCII, Cyrillic, «», №): no iconv in node. */
function cp1251(text) {
  const out = [];
  for (const ch of text) {
    const c = ch.codePointAt(0);
    if (c < 0x80) out.push(c);
    else if (c >= 0x410 && c <= 0x44f) out.push(c - 0x410 + 0xc0);
    else if (c === 0x401) out.push(0xa8);
    else if (c === 0x451) out.push(0xb8);
    else if (c === 0x2116) out.push(0xb9);
    else if (c === 0xab) out.push(0xab);
    else if (c === 0xbb) out.push(0xbb);
    else throw new Error(`no windows-1251 byte for ${ch}`);
  }
  return Buffer.from(out);
}

// A 1C export of payment orders (no РасчСчет: all are the MO's payments), the second document
// with an amount written with both separators — the file's one bad document.
const PAYER = "03224643500000009901";
const RUN = String(Date.now()).slice(-6); // document numbers of this run (the script can be rerun)
const NUMBERS = [`${RUN}-1`, `${RUN}-2`, `${RUN}-3`];
const day = `15.${LAST_MONTH.slice(5)}.${LAST_MONTH.slice(0, 4)}`;
const doc = (number, amount, purpose) => [
  "СекцияДокумент=Платежное поручение",
  `Номер=${number}`,
  `Дата=${day}`,
  `Сумма=${amount}`,
  `ПлательщикСчет=${PAYER}`,
  "Плательщик1=ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
  "ПлательщикИНН=5001000001",
  "ПлательщикБИК=044525000",
  "ПолучательСчет=40702810900000012345",
  "Получатель1=ООО «Е2Е-Фарм»",
  "ПолучательИНН=5008123456",
  "ПолучательБИК=044525000",
  `ДатаСписано=${day}`,
  `НазначениеПлатежа=${purpose}`,
  "КонецДокумента",
];
const ONEC = [
  "1CClientBankExchange",
  "ВерсияФормата=1.03",
  "Кодировка=Windows",
  "Отправитель=1С:Бухгалтерия государственного учреждения",
  "Получатель=OMS Region",
  `ДатаСоздания=${day}`,
  ...doc(NUMBERS[0], "12345.50", "Оплата по контракту № 7-ЛП за лекарственные препараты"),
  ...doc(NUMBERS[1], "12,345.50", "Оплата по счёту № 15 за перевязочные средства"),
  ...doc(NUMBERS[2], "2 000,00", "Оплата за услуги связи за месяц"),
  "КонецФайла",
].join("\r\n");

const browser = await launchChromium();
const { step, done } = stepper();

async function signIn(user) {
  const ctx = await russianContext(browser);
  const page = await ctx.newPage();
  page.on("dialog", (d) => void d.accept());
  await login(page, base, user);
  return { ctx, page, shot: (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) };
}

/** Polls `check` until it is true (the lists refetch after a filter or a decision). */
async function until(check, what, timeout = 15_000) {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const money = (s) => s.replace(NBSP, "");
const financeHome = async (page) => {
  await menuLink(page, MENU).click();
  await page.waitForURL(/\/finance$/);
};
const tile = (page, name) => page.getByRole("main").getByRole("link", { name: new RegExp(`^${name}`) });

try {
  const { ctx, page, shot } = await signIn("economist");
  let moId = "";

  await step("economist: the finance menu item and the home tiles", async () => {
    await financeHome(page);
    await page.getByRole("heading", { level: 1, name: "Финансовый мониторинг МО" }).waitFor();
    for (const name of ["Доходы и расходы", "Платёжные поручения", "Проверка классификации", "Отчётные формы", "Аналитика", "Отклонения"]) {
      await tile(page, name).waitFor();
    }
    await assertAccessible(page, "finance home");
    await shot("finance-home.png");
  });

  await step("economist: the budget grid — typing «1 234,56» changes the totals, a bad amount at its cell", async () => {
    await tile(page, "Доходы и расходы").click();
    await page.waitForURL(new RegExp(`/finance/budget/[0-9a-f-]{36}/${LAST_MONTH}$`));
    moId = page.url().split("/").at(-2);
    await page.getByRole("heading", { level: 1, name: "Доходы и расходы" }).waitFor();
    const input = page.getByTestId(`cell-${CELL}-actual`);
    await input.waitFor();
    const rowTotal = page.getByTestId("row-total-expense-226-actual");
    const colTotal = page.getByTestId("col-total-expense-4-actual");
    const kop = async (loc) => Math.round(Number(money(await loc.innerText()).replace(",", ".") || "0") * 100);
    const before = { cell: money(await input.inputValue()), row: await kop(rowTotal), col: await kop(colTotal) };
    const old = Math.round(Number(before.cell.replace(",", ".") || "0") * 100);
    await input.fill("1 234,56");
    await input.blur();
    assert.equal(money(await input.inputValue()), "1234,56");
    assert.equal(await kop(rowTotal), before.row - old + 123456, "row total after typing");
    assert.equal(await kop(colTotal), before.col - old + 123456, "column total after typing");
    // an amount with three decimals: the message under the cell, saving blocked
    const plan = page.getByTestId(`cell-${CELL}-planned`);
    const planBefore = await plan.inputValue();
    await plan.fill("12,345");
    await page.getByTestId(`error-${CELL}-planned`).waitFor();
    assert.match(await page.getByTestId(`error-${CELL}-planned`).innerText(), /не число/);
    assert.equal(await page.getByTestId("save").isDisabled(), true, "save is blocked by the bad cell");
    await page.getByRole("alert").filter({ hasText: "Исправьте ячейки" }).waitFor();
    await assertAccessible(page, "budget month (editing)");
    await shot("finance-budget-error.png");
    await plan.fill(planBefore);
    await page.getByTestId(`error-${CELL}-planned`).waitFor({ state: "detached" });
  });

  await step("economist: saved, kept after a reload and a new sign-in; a closed month is read only", async () => {
    await page.getByTestId("save").click();
    await page.getByRole("status").filter({ hasText: "Сохранено." }).waitFor();
    await page.getByTestId("last-change").filter({ hasText: "вручную" }).waitFor();
    await shot("finance-budget-saved.png");
    // a template file with a КОСГУ the server does not know: its message at the line, nothing written
    await page.getByRole("tab", { name: "Загрузка файла" }).click();
    await page.getByLabel("Файл шаблона (CSV или XLSX)").setInputFiles({
      name: "доходы-расходы.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`Месяц;Показатель;КВФО;КОСГУ;План;Факт\r\n${LAST_MONTH};Выплаты;4;999;;100,00\r\n${LAST_MONTH};Выплаты;4;226;;777,00\r\n`, "utf8"),
    });
    await page.getByRole("button", { name: "Загрузить", exact: true }).click();
    const upload = page.getByTestId("upload-report");
    await upload.getByText(/верных 1, с ошибками 1\. Ничего не записано/).waitFor({ timeout: 30_000 });
    await upload.getByRole("cell", { name: /неизвестный код КОСГУ «999»/ }).waitFor();
    await assertAccessible(page, "budget upload report");
    await shot("finance-budget-upload.png");
    await upload.getByRole("button", { name: "Отменить загрузку" }).click();
    await upload.getByText(/отменена/).waitFor();
    await page.getByRole("tab", { name: "Месяц" }).click();
    await page.reload(); // tokens live in memory: the reload asks to sign in again, then comes back
    await page.waitForURL(/\/login$/);
    await submitLogin(page, "economist");
    await page.waitForURL(new RegExp(`/finance/budget/${moId}/${LAST_MONTH}$`));
    const input = page.getByTestId(`cell-${CELL}-actual`);
    await input.waitFor();
    assert.equal(money(await input.inputValue()), "1234,56");
    // the year: a chart of expenses by КВФО and the month totals; January opened from it
    await page.getByRole("tab", { name: "Год" }).click();
    await page.getByTestId("year-chart").waitFor();
    if (!DEMO_HAS_LOCK) {
      console.log("    (before April the demo has no accepted 14-Ф of this year: no closed month to open)");
      return;
    }
    await page.getByRole("tabpanel").getByRole("button", { name: "янв", exact: true }).click();
    await page.waitForURL(new RegExp(`/${LOCKED_MONTH}$`));
    const locked = page.locator(".budget-locked");
    await locked.waitFor();
    assert.match(await locked.innerText(), /Период закрыт.*Причина: .*14-Ф/s);
    assert.equal(await page.locator(".budget-grid input").count(), 0, "no inputs in a closed month");
    assert.equal(await page.getByTestId("save").count(), 0);
    await assertAccessible(page, "budget month (closed)");
    await shot("finance-budget-locked.png");
  });

  await step("economist: the payment orders with a filter in the URL", async () => {
    await financeHome(page);
    await tile(page, "Платёжные поручения").click();
    await page.waitForURL(/\/finance\/payments$/);
    await page.getByRole("heading", { level: 1, name: "Платёжные поручения" }).waitFor();
    const table = page.getByRole("table").first();
    await table.locator("tbody tr").first().waitFor();
    await page.getByLabel("Направление").selectOption("in");
    await page.waitForURL(/direction=in/);
    await until(async () => {
      const directions = await table.locator("tbody tr td:nth-child(3)").allInnerTexts();
      return directions.length > 0 && directions.every((d) => d === "Поступление");
    }, "only receipts listed");
    await assertAccessible(page, "payment orders");
    await shot("finance-payments.png");
  });

  await step("economist: a 1C file with one bad document → the line report → only the valid ones", async () => {
    await page.getByRole("link", { name: "Загрузить выписку или поручения" }).click();
    await page.waitForURL(/\/finance\/payments\/import$/);
    await page.getByLabel("Файл выписки или поручений").setInputFiles({
      name: "kl_to_1c.txt",
      mimeType: "text/plain",
      buffer: cp1251(ONEC),
    });
    await page.getByRole("button", { name: "Загрузить", exact: true }).click();
    const report = page.getByTestId("import-report");
    await report.getByText(/корректных документов 2, с ошибками 1/).waitFor({ timeout: 30_000 });
    await report.getByRole("cell", { name: new RegExp(`№ ${NUMBERS[1]} от ${day.replace(/\./g, "\\.")}`) }).waitFor();
    await assertAccessible(page, "payment import report");
    await shot("finance-import-report.png");
    await page.getByRole("button", { name: "Загрузить только корректные строки (2)" }).click();
    await report.getByText(/записано новых 2/).waitFor();
    await report.getByRole("link", { name: "Показать загруженные" }).click();
    await page.waitForURL(/import_id=/);
    const table = page.getByRole("table").first();
    await table.locator("tbody tr", { hasText: NUMBERS[2] }).waitFor();
    const numbers = await table.locator("tbody tr td:nth-child(2)").allInnerTexts();
    assert.deepEqual([...numbers].sort(), [NUMBERS[0], NUMBERS[2]]);
    // one imported order in full: the payee, the amount, its class from the import's classification
    await table.getByRole("link", { name: NUMBERS[0], exact: true }).click();
    await page.getByRole("heading", { level: 1, name: new RegExp(`Платёжное поручение № ${NUMBERS[0]} от`) }).waitFor();
    await page.getByText("ООО «Е2Е-Фарм»").first().waitFor();
    await page.getByText(/Списание: 12\s345,50\s₽/).waitFor();
    await assertAccessible(page, "payment order");
  });

  await step("economist: the classification review list, one payment confirmed, one corrected", async () => {
    await financeHome(page);
    await tile(page, "Проверка классификации").click();
    await page.waitForURL(/\/finance\/payments\/review$/);
    await page.getByRole("heading", { level: 1, name: "Проверка классификации платежей" }).waitFor();
    const total = page.locator(".kpi", { hasText: "На проверке" }).locator(".kpi-value");
    await total.waitFor();
    const before = Number(money(await total.innerText()));
    assert.ok(before > 0, "the demo leaves unsure payments to review");
    const table = page.getByRole("table", { name: "Проверка классификации платежей" });
    const first = table.locator("tbody tr").first();
    await first.waitFor();
    await assertAccessible(page, "classification review");
    await shot("finance-review.png");
    const count = async () => Number(money(await total.innerText()));
    await first.getByRole("button", { name: "Подтвердить", exact: true }).click();
    await until(async () => (await count()) === before - 1, "one payment fewer to review after a confirmation");
    // another one corrected in the dialog: КВФО 7, КОСГУ 221 (communication services)
    await table.locator("tbody tr").first().getByRole("button", { name: "Исправить" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("КВФО").selectOption("7");
    const kosgu = dialog.getByLabel("КОСГУ");
    await kosgu.selectOption(await kosgu.locator("option", { hasText: /^2\d\d — / }).first().getAttribute("value"));
    await dialog.getByRole("button", { name: "Сохранить" }).click();
    await dialog.waitFor({ state: "hidden" });
    await until(async () => (await count()) === before - 2, "one payment fewer to review after a correction");
  });

  let draftUrl = "";
  await step("economist: a new 14-Ф draft, a control ratio broken and mended live, saved and submitted", async () => {
    await financeHome(page);
    await tile(page, "Отчётные формы").click();
    await page.waitForURL(/\/finance\/reports$/);
    await page.getByRole("heading", { level: 1, name: "Отчётные формы" }).waitFor();
    const list = page.getByRole("table", { name: "Отчётные формы" });
    await list.locator("tbody tr", { hasText: "принят" }).first().waitFor();
    await assertAccessible(page, "reports");
    const form = page.locator("form", { hasText: "Начать отчёт" });
    await form.getByLabel("Год").selectOption(String(DRAFT_YEAR));
    await form.getByLabel("Квартал").selectOption("4");
    await form.getByRole("button", { name: "Создать черновик" }).click();
    await page.waitForURL(/\/finance\/reports\/[0-9a-f-]{36}$/);
    draftUrl = page.url();
    await page.getByTestId("report-status").filter({ hasText: "черновик" }).waitFor();
    const violations = page.getByTestId("violations");
    // overdue payables above all payables: К09 appears as it is typed, blocks the submission,
    // and goes when mended
    const overdue = page.getByTestId("input-10:7");
    await overdue.fill("999 999 999,00");
    await violations.getByText(/Ошибка К09/).waitFor();
    assert.equal(await page.getByTestId("submit").isDisabled(), true);
    await shot("finance-report-ratio.png");
    await overdue.fill("1 000,00");
    await violations.getByText(/К09/).waitFor({ state: "detached" });
    // the opening balance of CMI funds (стр. 01, typed by the MO; without it the year's
    // remainder, стр. 30, is negative in the demo — К08)
    await page.getByTestId("input-01:4").fill("500 000 000,00");
    await violations.getByText(/К08/).waitFor({ state: "detached" });
    assert.equal(await violations.getByText(/Ошибка/).count(), 0, await violations.innerText().catch(() => ""));
    await assertAccessible(page, "report draft");
    await page.getByTestId("save").click();
    await page.getByTestId("save").and(page.locator(":disabled")).waitFor();
    await page.getByTestId("submit").and(page.locator(":enabled")).waitFor();
    await page.getByTestId("submit").click();
    await page.getByTestId("report-status").filter({ hasText: "сдан, на проверке" }).waitFor();
    await shot("finance-report-submitted.png");
  });
  await ctx.close();

  const t = await signIn("tfoms");
  await step("tfoms: the analytics with charts — the region, one MO, the comparison of MOs", async () => {
    await financeHome(t.page);
    await tile(t.page, "Аналитика").click();
    await t.page.waitForURL(/\/finance\/analytics$/);
    await t.page.getByRole("heading", { level: 1, name: "Аналитика" }).waitFor();
    await t.page.getByTestId("analytics-period").waitFor();
    await t.page.locator("figcaption", { hasText: "Расходы по месяцам: план и факт" }).first().waitFor();
    await t.page.getByRole("heading", { level: 2, name: "Сравнение МО" }).waitFor();
    const compare = t.page.getByRole("table", { name: "Сравнение МО" });
    await compare.locator("tbody tr").nth(10).waitFor();
    await assertAccessible(t.page, "analytics (region)");
    await t.page.screenshot({ path: path.join(artifacts, "finance-analytics.png"), fullPage: true });
    // an MO's name in the comparison opens its own dashboards (the picker follows)
    const picker = t.page.getByTestId("analytics-mo");
    const wanted = await picker.locator("option", { hasText: /^990007 / }).getAttribute("value");
    await compare.locator("tbody tr", { hasText: "990007" }).getByRole("button").click();
    await until(async () => (await picker.inputValue()) === wanted, "the MO picked from the comparison");
    await t.page.getByTestId("analytics-period").filter({ hasText: "МО в сводке: 1" }).waitFor();
    await t.page.locator("figcaption", { hasText: "Доли в расходах средств ОМС по месяцам" }).first().waitFor();
    assert.equal(await t.page.getByRole("heading", { level: 2, name: "Сравнение МО" }).count(), 0);
    await assertAccessible(t.page, "analytics (one MO)");
    await t.page.screenshot({ path: path.join(artifacts, "finance-analytics-mo.png"), fullPage: true });

  });

  await step("tfoms: the deviations list with the planted anomalies, a new search (job), one acknowledged", async () => {
    await financeHome(t.page);
    await tile(t.page, "Отклонения").click();
    await t.page.waitForURL(/\/finance\/deviations$/);
    const table = t.page.getByRole("table", { name: "Отклонения" });
    await table.locator("tbody tr").first().waitFor();
    await t.page.locator("select", { has: t.page.locator('option[value="rule"]') }).selectOption("rule");
    await t.page.waitForURL(/kind=rule/);
    const fine = table.locator("tbody tr", { hasText: "990003" }).filter({ hasText: "КОСГУ 293" });
    await fine.waitFor();
    await table.locator("tbody tr", { hasText: "990007" }).filter({ hasText: /88,0\s%/ }).first().waitFor();
    await assertAccessible(t.page, "deviations");
    await t.page.screenshot({ path: path.join(artifacts, "finance-deviations.png"), fullPage: true });
    // a new search over the region (a job): no duplicates of what the demo's search found
    const before = await table.locator("tbody tr").count();
    const searchButton = t.page.getByRole("button", { name: "Запустить поиск отклонений" });
    const started = t.page.waitForResponse((r) => r.url().endsWith("/api/finance/deviations/searches") && r.request().method() === "POST");
    await searchButton.click();
    assert.ok((await started).ok(), "the search job is started");
    // the page follows the job (the button waits with it) and reloads the list when it ends
    await until(async () => !(await searchButton.isDisabled()), "the search job to end", 60_000);
    await until(async () => (await table.locator("tbody tr").count()) === before, "the same rule deviations after a new search");
    await fine.getByRole("button", { name: "Рассмотрено" }).click();
    const dialog = t.page.getByRole("dialog");
    await dialog.getByLabel(/Комментарий/).fill("штраф возмещён из собственных средств (e2e)");
    await dialog.getByRole("button", { name: "Отметить" }).click();
    await dialog.waitFor({ state: "detached" });
    await fine.waitFor({ state: "detached" }); // the list shows the new ones
    await t.page.locator("select", { has: t.page.locator('option[value="acknowledged"]') }).selectOption("acknowledged");
    await t.page.waitForURL(/status=acknowledged/);
    await fine.getByText("штраф возмещён из собственных средств (e2e)").waitFor();

  });

  await step("tfoms: the economist's submitted 14-Ф accepted, its year closed; the economist's saved cell seen", async () => {
    await t.page.goto(draftUrl);
    await t.page.waitForURL(/\/login$/);
    await submitLogin(t.page, "tfoms");
    await t.page.waitForURL(draftUrl);
    await t.page.getByTestId("report-status").filter({ hasText: "сдан, на проверке" }).waitFor();
    await t.page.getByRole("button", { name: "Принять" }).click();
    await t.page.getByRole("dialog").getByRole("button", { name: "Принять" }).click();
    await t.page.getByTestId("report-status").filter({ hasText: "принят" }).waitFor();
    await t.page.screenshot({ path: path.join(artifacts, "finance-report-accepted.png"), fullPage: true });

    // the economist's saved cell, as the fund sees it
    await t.page.goto(`${base}/finance/budget/${moId}/${LAST_MONTH}`);
    await t.page.waitForURL(/\/login$/);
    await submitLogin(t.page, "tfoms");
    const cell = t.page.getByTestId(`cell-${CELL}-actual`);
    await cell.waitFor();
    assert.equal(money(await cell.inputValue().catch(() => cell.innerText())), "1234,56");
    // the accepted year closed the MO's months of that year
    await t.page.getByTestId("month-picker").fill(`${DRAFT_YEAR}-12`);
    await t.page.locator(".budget-locked").filter({ hasText: "Период закрыт" }).waitFor();
  });
  await t.ctx.close();

  await step("foms: consolidated figures only, no MO's grid", async () => {
    const f = await signIn("foms");
    await financeHome(f.page);
    await tile(f.page, "Доходы и расходы").click();
    await f.page.waitForURL(/\/finance\/budget$/);
    await f.page.getByText("Вам доступны только сводные данные по региону.").waitFor();
    await f.page.getByText("Сводно по региону").first().waitFor();
    assert.equal(await f.page.getByTestId("mo-picker").count(), 0);
    assert.equal(await f.page.getByRole("table", { name: "Медицинские организации" }).count(), 0);
    await assertAccessible(f.page, "budget (FOMS)");
    await f.page.screenshot({ path: path.join(artifacts, "finance-foms.png"), fullPage: true });
    await financeHome(f.page);
    await tile(f.page, "Аналитика").click();
    await f.page.getByText("Вам доступны только сводные данные по региону.").waitFor();
    assert.equal(await f.page.getByTestId("analytics-mo").count(), 0);
    // the reports: only the consolidated form of the region (this year's I quarter by default)
    await financeHome(f.page);
    await tile(f.page, "Отчётные формы").click();
    await f.page.getByText("Вам доступны только сводные формы по региону.").waitFor();
    assert.equal(await f.page.getByRole("table", { name: "Отчётные формы" }).count(), 0);
    await f.page.getByRole("button", { name: "Показать свод" }).click();
    await f.page.getByText(/Отчёты МО за период: .*принят — \d+/).waitFor();
    await f.page.getByRole("table", { name: /^14-Ф \(ОМС\)\. Отчёт о поступлении/ }).locator("tbody tr").first().waitFor();
    await assertAccessible(f.page, "consolidated 14-Ф (FOMS)");
    await f.page.screenshot({ path: path.join(artifacts, "finance-foms-consolidated.png"), fullPage: true });
    // an MO's month by its address: the server refuses, no cell is shown
    await f.page.goto(`${base}/finance/budget/${moId}/${LAST_MONTH}`);
    await f.page.waitForURL(/\/login$/);
    await submitLogin(f.page, "foms");
    await f.page.waitForURL(new RegExp(`/finance/budget/${moId}/`));
    await f.page.getByRole("alert").filter({ hasText: /только сводные данные по региону, без разбивки по МО/ }).waitFor();
    assert.equal(await f.page.getByTestId(`cell-${CELL}-actual`).count(), 0);
    await f.ctx.close();
  });

  await step("minzdrav: only the MOs it founds in the MO picker (no ООО / АО); form 62 accepted", async () => {
    const m = await signIn("minzdrav");
    await financeHome(m.page);
    await tile(m.page, "Доходы и расходы").click();
    await m.page.waitForURL(/\/finance\/budget$/);
    const mos = m.page.getByRole("table", { name: "Медицинские организации" });
    await mos.locator("tbody tr").nth(5).waitFor();
    const names = await mos.locator("tbody tr td:nth-child(2)").allInnerTexts();
    assert.ok(names.some((n) => n.includes("Городская поликлиника № 2")), "its own MOs are listed");
    assert.ok(names.every((n) => !/^(ООО|АО)\s/.test(n)), `private MOs listed: ${names.filter((n) => /^(ООО|АО)\s/.test(n))}`);
    await mos.getByRole("link").first().click();
    const picker = m.page.getByTestId("mo-picker");
    await picker.waitFor();
    const options = await picker.locator("option").allInnerTexts();
    assert.equal(options.length, names.length);
    assert.ok(options.every((o) => !/ — (ООО|АО)\s/.test(o)), `private MOs in the picker: ${options}`);
    await assertAccessible(m.page, "budget month (health authority)");
    await m.page.screenshot({ path: path.join(artifacts, "finance-minzdrav.png"), fullPage: true });
    // the founder accepts form 62 (the demo's first MO submitted last year's)
    await financeHome(m.page);
    await tile(m.page, "Отчётные формы").click();
    const list = m.page.getByRole("table", { name: "Отчётные формы" });
    await list.locator("tbody tr").first().waitFor();
    await m.page.locator("select", { has: m.page.locator('option[value="62"]') }).first().selectOption("62");
    await m.page.waitForURL(/form=62/);
    const submitted = list
      .locator("tbody tr", { hasText: "сдан, на проверке" })
      .filter({ hasText: "Городская поликлиника № 2" })
      .filter({ has: m.page.getByRole("link", { name: "62", exact: true }) });
    await submitted.getByRole("link", { name: "62", exact: true }).click();
    await m.page.waitForURL(/\/finance\/reports\/[0-9a-f-]{36}$/);
    await m.page.getByRole("button", { name: "Принять" }).click();
    await m.page.getByRole("dialog").getByRole("button", { name: "Принять" }).click();
    await m.page.getByTestId("report-status").filter({ hasText: "принят" }).waitFor();
    await m.ctx.close();
  });

  console.log(`\n${done.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  await screenshotFailures(browser, "finance-failure");
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
