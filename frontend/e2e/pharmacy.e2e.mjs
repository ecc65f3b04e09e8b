// Browser check of the pharmacy screens against a running system with the demo (it starts
// nothing):   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/pharmacy.e2e.mjs
// The demo's counter scenario (docs/architecture.md «Pharmacy: demo data», pharmacy/demo/
// scenario.py): series 9990001 at pharmacy 990101 for the demo patient — № 41 ready to dispense
// with two fixed codes, № 42 with exactly one package left, № 43 with none, № 44 of unmarked test
// strips (two batches: 3 packages expiring first, then 10). The codes come from
// the pytest wrapper (OMS_E2E_PHARMACY_SCENARIO, JSON of scenario.py) or the defaults below.
// As the doctor («doctor», MO 990001): the pharmacy section, the beneficiary register and the
// demo patient's card (benefits, history, the check on a date), the prescription form (the
// patient found, a drug of his category with free packages per attached pharmacy, a quantity of 0
// and a blank medical record number refused at their fields, a prescription issued — series and
// number, a PDF print), the list with a filter, a copy, the copy cancelled with a reason.
// As the pharmacist («pharmacist», 990101): № 41 found by series and number (patient masked), its
// two codes typed as a keyboard wedge sends them (GS as Ctrl+], then Enter), a repeat refused at
// its line, dispensed; the same prescription again refused as already dispensed; № 43 put on
// deferred service and seen on the deferred list with its deadline; № 44 (unmarked, no codes):
// the batch picker with the earliest-expiring batch chosen and its free count, more than that
// refused at the quantity field, the prescribed 2 dispensed from it; the stock list and the
// dispensed drug's stock card with the dispense movement and its running balance.
// The race: the doctor's new prescription of the same drug as № 42 at a second counter (the same
// login in a second browser context), both scan the last package, both press «Отпустить» at once
// — exactly one is dispensed, the other shows the refusal, the stock is not negative.
// As the fund («tfoms»): the warehouse having moved the start of Сиофор's NSI entry to tomorrow
// (through the API, undone after), a control run of this month at 990101 with its progress bar to the end,
// the summary, the chart and № 41's dispense among the violations, the act drawn up with its PDF
// and XLSX; the marking report of № 41's dispense accepted by the МДЛП simulator, its XML.
// As «pharmacist2» (990102): 990101's stock card by its address is not found.
// As «registrar» (pharmacy.beneficiary:write): the federal register's page from the register's
// link, a one-line CSV of a SNILS no registry person has loaded to its counts (1 line, 1 new),
// «Сопоставить с регистром» followed by its progress bar to the report (not found ≥ 1) and
// matching-report.csv downloaded.
// axe-core runs on every screen. Screenshots go to e2e/artifacts/pharmacy-*.png.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { assertAccessible } from "./axe.mjs";
import {
  apiAs,
  artifacts,
  baseUrl,
  launchChromium,
  login,
  menuLink,
  russianContext,
  screenshotFailures,
  stepper,
  submitLogin,
  until,
} from "./lib.mjs";

const base = baseUrl();
const MENU = "Лекарственное обеспечение";
const GS = "\x1d";
const DEFAULT_SCENARIO = {
  series: "9990001",
  ready: 41,
  last: 42,
  none: 43,
  ready_codes: [
    `010460715000001821ncc6PjShHwQDb${GS}91geWe${GS}92V0RV8xLQHi9bOn58AGPIxKMZOgdTGi+j1u9gou2th79e`,
    `01046071500000182124eGWWP4XAJJr${GS}913KVx${GS}92xCTlAYZGWTdYkN73FR7sP7PF+9zp0YCr0mcNJHp+pRvh`,
  ],
  last_code: `010460715000003221oBsy1xJvs9zVj${GS}91qu5C${GS}928OshH9g2YY+mP7rhrxngw/YtrpI/B90pxUaXgg2fKEqq`,
  unmarked: 44,
  unmarked_trade: "Контур ТС",
  unmarked_batches: [
    { packages: 3, expires_in_days: 200 },
    { packages: 10, expires_in_days: 500 },
  ],
};
const S = process.env.OMS_E2E_PHARMACY_SCENARIO ? JSON.parse(process.env.OMS_E2E_PHARMACY_SCENARIO) : DEFAULT_SCENARIO;
const PATIENT = { name: "Иванов Иван Иванович", snils: "11223344595" };
const typed = (number) => `Серия ${S.series} № ${String(number).padStart(7, "0")}`;
const sgtinOf = (code) => code.split(GS)[0].slice(2, 16) + code.split(GS)[0].slice(18);

const browser = await launchChromium();
const { step, done } = stepper();

async function signIn(user) {
  const ctx = await russianContext(browser);
  const page = await ctx.newPage();
  page.on("dialog", (d) => void d.accept());
  await login(page, base, user);
  return { ctx, page, shot: (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true }) };
}

const pharmacyHome = async (page) => {
  await menuLink(page, MENU).click();
  await page.waitForURL(/\/pharmacy$/);
};
const tile = (page, name) => page.getByRole("main").getByRole("link", { name: new RegExp(`^${name}`) });

/** The day `offset` days from today, YYYY-MM-DD in the machine's time zone (the system's). */
function isoDay(offset) {
  const d = new Date();
  d.setDate(d.getDate() + offset);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** The day `offset` days from today as the SPA shows it, DD.MM.YYYY. */
const shownDay = (offset) => isoDay(offset).split("-").reverse().join(".");

/** Clicks a download button and returns the file's first bytes and name. */
async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download", { timeout: 60_000 }), button.click()]);
  const bytes = await readFile(await file.path());
  return { name: file.suggestedFilename(), bytes };
}

/** What a keyboard-wedge scanner does: the code's characters typed, GS as Ctrl+], then Enter. */
async function wedge(page, code) {
  const parts = code.split(GS);
  for (const [i, part] of parts.entries()) {
    if (i > 0) await page.keyboard.press("Control+BracketRight");
    await page.keyboard.type(part);
  }
  await page.keyboard.press("Enter");
}

try {
  // ------------------------------------------------------------------ the doctor
  const doc = await signIn("doctor");
  const issued = { id: "", designation: "" };

  await step("doctor: the pharmacy section, the beneficiary register, the demo patient's card", async () => {
    const { page } = doc;
    await pharmacyHome(page);
    await page.getByRole("heading", { level: 1, name: "Льготное лекарственное обеспечение" }).waitFor();
    await assertAccessible(page, "pharmacy home (doctor)");
    await tile(page, "Льготники").click();
    await page.waitForURL(/\/pharmacy\/beneficiaries/);
    await page.getByRole("heading", { level: 1, name: "Льготники" }).waitFor();
    const table = page.getByRole("table", { name: "Льготники" });
    await table.locator("tbody tr").first().waitFor();
    await assertAccessible(page, "beneficiaries");
    await page.getByLabel("ФИО или СНИЛС").fill(PATIENT.snils);
    await page.getByLabel("ФИО или СНИЛС").press("Enter");
    await page.waitForURL(/q=/);
    const row = table.locator("tbody tr", { hasText: PATIENT.name });
    await row.waitFor();
    await until(async () => (await table.locator("tbody tr").count()) === 1, "one beneficiary by the SNILS");
    await row.getByRole("link", { name: PATIENT.name }).click();
    await page.waitForURL(/\/pharmacy\/beneficiaries\/[0-9a-f-]{36}$/);
    await page.getByRole("heading", { level: 1 }).filter({ hasText: "Иванов" }).waitFor();
    const benefits = page.getByRole("table", { name: "Льготы" });
    await benefits.locator("tbody tr", { hasText: "r-diabetes" }).first().waitFor();
    await page.getByRole("heading", { level: 2, name: "История льгот" }).waitFor();
    await page.locator("ol.timeline li").filter({ hasText: "Начало льготы" }).first().waitFor();
    // the check on a date: today, entitled; a day in 1990 (before any benefit), not
    const check = page.locator("section", { has: page.getByRole("heading", { level: 2, name: "Право на дату" }) });
    await check.getByRole("button", { name: "Проверить" }).click();
    await check.getByRole("status").filter({ hasText: /^Право есть на/ }).waitFor();
    await check.getByLabel("Дата").fill("1990-01-02");
    await check.getByRole("button", { name: "Проверить" }).click();
    await check.getByRole("status").filter({ hasText: /^Права нет на 02\.01\.1990/ }).waitFor();
    // his open prescriptions of the demo, № 41–43
    await page.getByRole("table", { name: "Рецепты" }).getByText(new RegExp(`${S.series}.*0*${S.ready}`)).first().waitFor();
    await assertAccessible(page, "beneficiary card");
    await doc.shot("pharmacy-beneficiary.png");
  });

  await step("doctor: the prescription form — the patient, a drug with free packages per pharmacy, 0 refused at its field, issued", async () => {
    const { page } = doc;
    await page.goto(`${base}/pharmacy/prescriptions/new`);
    await page.waitForURL(/\/login$/);
    await submitLogin(page, "doctor");
    await page.waitForURL(/\/pharmacy\/prescriptions\/new$/);
    await page.getByRole("heading", { level: 1, name: "Новый льготный рецепт" }).waitFor();
    await page.getByLabel("Льготник: фамилия или ID лица").fill("Иванов Иван");
    const person = page.locator("ul.rx-people li", { hasText: PATIENT.name }).first();
    await person.waitFor();
    await assertAccessible(page, "prescription form (patient search)");
    await person.getByRole("button", { name: "Выбрать" }).click();
    await page.getByLabel("Категория льготы").selectOption({ value: "r-diabetes" });
    await page.getByLabel("Диагноз (МКБ-10)").fill("E11.9");
    await page.getByLabel("Поиск препарата").fill("Диабетон");
    const drug = page.getByRole("radiogroup", { name: "Препарат" }).locator("li", { hasText: "Диабетон" }).first();
    await drug.waitFor();
    // free packages per attached pharmacy, 990101 (the demo's last package) among them
    const stock = drug.locator(".rx-stock");
    await stock.filter({ hasText: /аптека № 1: свободно 1 уп\./ }).waitFor();
    assert.ok((await stock.innerText()).split(";").length >= 2, `free packages in several pharmacies: ${await stock.innerText()}`);
    await drug.getByRole("radio").check();
    await page.getByLabel("Способ применения (Signa)").fill("по 1 таблетке утром во время завтрака");
    // a quantity of 0 and no medical record number: each refused at its field, nothing issued
    await page.getByLabel("Количество упаковок").fill("0");
    await page.getByRole("button", { name: "Выписать и подписать" }).click();
    const messageAt = async (label, expected) => {
      const field = page.getByLabel(label);
      await until(async () => (await field.getAttribute("aria-invalid")) === "true", `${label} marked invalid`);
      const describedBy = ((await field.getAttribute("aria-describedby")) ?? "").split(" ").at(-1);
      assert.match(await page.locator(`[id="${describedBy}"]`).innerText(), expected, `the message at ${label}`);
    };
    await messageAt("Количество упаковок", /больше нуля/);
    await messageAt("№ медицинской карты", /номер медицинской карты/);
    await assertAccessible(page, "prescription form (refused)");
    await doc.shot("pharmacy-rx-refused.png");
    await page.getByLabel("Количество упаковок").fill("1");
    await page.getByLabel("№ медицинской карты").fill("МК-2026-e2e");
    await page.getByRole("button", { name: "Выписать и подписать" }).click();
    const status = page.getByRole("status").filter({ hasText: /Рецепт выписан: / });
    await status.waitFor({ timeout: 30_000 });
    issued.designation = (await status.locator("strong").innerText()).replace("Рецепт выписан: ", "").trim();
    assert.match(issued.designation, new RegExp(`${S.series}`), issued.designation);
    await assertAccessible(page, "prescription issued");
    const pdf = await download(page, status.getByRole("button", { name: "Печать" }));
    assert.equal(pdf.bytes.subarray(0, 5).toString("latin1"), "%PDF-", `the print is a PDF (${pdf.name})`);
    await status.getByRole("link", { name: "Открыть рецепт" }).click();
    await page.waitForURL(/\/pharmacy\/prescriptions\/[0-9a-f-]{36}$/);
    issued.id = page.url().split("/").at(-1);
    await page.getByRole("heading", { level: 1, name: `Рецепт ${issued.designation}` }).waitFor();
    await page.getByText("верна").first().waitFor();
    await assertAccessible(page, "prescription");
    await doc.shot("pharmacy-rx-issued.png");
  });

  await step("doctor: the list with a filter; a copy; the copy cancelled with a reason", async () => {
    const { page } = doc;
    await page.getByRole("link", { name: "← Рецепты" }).click();
    await page.waitForURL(/\/pharmacy\/prescriptions$/);
    const table = page.getByRole("table", { name: "Рецепты" });
    await table.locator("tbody tr").first().waitFor();
    const filters = page.getByRole("form", { name: "Фильтры" });
    await filters.getByLabel("МНН").fill("Гликлазид");
    await filters.getByRole("button", { name: "Фильтры" }).click();
    await page.waitForURL(/inn=/);
    const number = issued.designation.split("№").at(-1).trim();
    const mine = table.locator("tbody tr").filter({ has: page.getByRole("link", { name: new RegExp(`№ ${number}$`) }) });
    await mine.waitFor();
    await until(async () => (await table.locator("tbody tr").allInnerTexts()).every((r) => r.includes("Гликлазид")), "only Гликлазид listed");
    await assertAccessible(page, "prescriptions (filtered)");
    await doc.shot("pharmacy-rx-list.png");
    await mine.getByRole("link").first().click();
    await page.waitForURL(new RegExp(`/pharmacy/prescriptions/${issued.id}$`));
    await page.getByRole("button", { name: "Выписать копию" }).click();
    await page.waitForURL((url) => /\/pharmacy\/prescriptions\/[0-9a-f-]{36}$/.test(url.pathname) && !url.pathname.endsWith(issued.id));
    await page.getByText("Копия рецепта").waitFor();
    const copyHeading = await page.getByRole("heading", { level: 1 }).innerText();
    assert.notEqual(copyHeading, `Рецепт ${issued.designation}`);
    await page.getByRole("button", { name: "Аннулировать" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Причина").fill("выписан повторно по ошибке (e2e)");
    await dialog.getByRole("button", { name: "Аннулировать" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByText(/Аннулирован .*: выписан повторно по ошибке \(e2e\)/).waitFor();
    assert.equal(await page.getByRole("button", { name: "Аннулировать" }).count(), 0);
    await assertAccessible(page, "prescription (cancelled copy)");
  });
  await doc.ctx.close();

  // ------------------------------------------------------------------ the pharmacist
  const ph = await signIn("pharmacist");
  const input = () => ph.page.getByLabel("Скан или серия и номер рецепта");
  let cardUrl = "";

  await step("pharmacist: № 41 found, its two codes scanned as a wedge sends them, a repeat refused, dispensed", async () => {
    const { page } = ph;
    await pharmacyHome(page);
    await assertAccessible(page, "pharmacy home (pharmacist)");
    await tile(page, "Отпуск по рецепту").click();
    await page.waitForURL(/\/pharmacy\/dispensing$/);
    await page.getByRole("heading", { level: 1, name: "Отпуск по рецепту" }).waitFor();
    await until(async () => await input().evaluate((el) => el === document.activeElement), "the scan field focused");
    await assertAccessible(page, "dispensing (empty)");
    await page.keyboard.type(typed(S.ready));
    await page.keyboard.press("Enter");
    const card = page.locator(".prescription-card");
    await card.getByText(`${S.series} № ${String(S.ready).padStart(7, "0")}`, { exact: false }).first().waitFor();
    const patient = await card.locator("dt:has-text('Пациент') + dd").innerText();
    assert.ok(!patient.includes("Иванов Иван Иванович"), `the patient is masked: ${patient}`);
    assert.match(patient, /СНИЛС .*\*/, `the SNILS is masked: ${patient}`);
    await card.getByText(/Метформин/).waitFor();
    const lines = page.locator("table.scan-lines tbody tr");
    for (const [i, code] of S.ready_codes.entries()) {
      await wedge(page, code);
      await lines.nth(i).getByRole("img", { name: "Упаковка проверена" }).waitFor();
    }
    await page.getByText(`Отсканировано 2 из 2`).waitFor();
    // the first package again: refused at its own line, the count unchanged
    await wedge(page, S.ready_codes[0]);
    await lines.nth(2).getByRole("alert").filter({ hasText: "Эта упаковка уже отсканирована" }).waitFor();
    await page.getByText(`Отсканировано 2 из 2`).waitFor();
    await assertAccessible(page, "dispensing (scanned, a repeat refused)");
    await ph.shot("pharmacy-dispensing-scanned.png");
    await lines.nth(2).getByRole("button", { name: "Убрать" }).click();
    await page.getByRole("button", { name: "Отпустить" }).click();
    const success = page.getByRole("status").filter({ hasText: /Отпущено: 2 уп\. на/ });
    await success.waitFor({ timeout: 30_000 });
    await success.getByText("Сведения о выбытии поставлены в очередь МДЛП").waitFor();
    await assertAccessible(page, "dispensing (done)");
    await ph.shot("pharmacy-dispensing-done.png");
  });

  await step("pharmacist: № 41 again refused as already dispensed; № 43 put on deferred service, on the list", async () => {
    const { page } = ph;
    await page.getByRole("button", { name: "Новый рецепт" }).click();
    await input().focus();
    await page.keyboard.type(typed(S.ready));
    await page.keyboard.press("Enter");
    const card = page.locator(".prescription-card");
    await card.getByRole("alert").filter({ hasText: "По рецепту уже отпущено" }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Отпустить" }).isDisabled(), true);
    await assertAccessible(page, "dispensing (already dispensed)");
    // a package scanned anyway: the server names the check at the line
    await input().focus();
    await page.keyboard.type(typed(S.none));
    await page.keyboard.press("Enter");
    await card.getByText(`№ ${String(S.none).padStart(7, "0")}`).first().waitFor();
    await card.getByText(/Левемир/).waitFor();
    const defer = page.getByRole("button", { name: "На отсроченное обслуживание" });
    await defer.waitFor();
    await defer.click();
    const deferred = page.getByRole("status").filter({ hasText: /Рецепт поставлен на отсроченное обслуживание до \d\d\.\d\d\.\d{4}/ });
    await deferred.waitFor();
    const deadline = (await deferred.innerText()).match(/\d\d\.\d\d\.\d{4}/)[0];
    await assertAccessible(page, "dispensing (deferred)");
    await pharmacyHome(page);
    await tile(page, "Отсроченное обслуживание").click();
    await page.waitForURL(/\/pharmacy\/deferred$/);
    const table = page.getByRole("table", { name: "Отсроченное обслуживание" });
    const row = table.locator("tbody tr", { hasText: `№ ${String(S.none).padStart(7, "0")}` });
    await row.waitFor();
    await row.getByText(deadline).waitFor();
    await assertAccessible(page, "deferred list");
    await ph.shot("pharmacy-deferred.png");
  });

  await step("pharmacist: № 44 of an unmarked drug — the batch picker, the FEFO batch chosen, too many refused at the field, dispensed", async () => {
    const { page } = ph;
    await pharmacyHome(page);
    await tile(page, "Отпуск по рецепту").click();
    await page.waitForURL(/\/pharmacy\/dispensing$/);
    await input().focus();
    await page.keyboard.type(typed(S.unmarked));
    await page.keyboard.press("Enter");
    const card = page.locator(".prescription-card");
    await card.getByText(`№ ${String(S.unmarked).padStart(7, "0")}`).first().waitFor();
    await card.getByText(S.unmarked_trade).first().waitFor();
    // no codes to scan: no scan count, the batches instead — every one listed, the earliest expiry first and chosen
    const picker = page.getByRole("form", { name: "Партия для отпуска" });
    const batches = picker.getByRole("table", { name: "Партия для отпуска" }).locator("tbody tr");
    await batches.first().waitFor();
    assert.equal(await page.getByText(/^Отсканировано/).count(), 0, "no scan count for an unmarked drug");
    const plan = [...S.unmarked_batches].sort((a, b) => a.expires_in_days - b.expires_in_days);
    assert.equal(await batches.count(), plan.length, `the scenario's batches: ${await batches.allInnerTexts()}`);
    for (const [i, b] of plan.entries()) {
      const row = batches.nth(i);
      assert.equal(await row.locator("td").nth(2).innerText(), shownDay(b.expires_in_days), `batch ${i + 1}'s expiry`);
      assert.equal(await row.locator("td.num").first().innerText(), String(b.packages), `batch ${i + 1}'s free packages`);
      assert.equal(await row.getByRole("radio").isChecked(), i === 0, `only the earliest expiry (FEFO) chosen, batch ${i + 1}`);
    }
    const fefo = batches.first();
    await fefo.getByText("ближайший срок").waitFor();
    const series = (await fefo.locator("td").nth(1).innerText()).split("—")[0].trim();
    const radio = picker.getByRole("radio", { name: `Партия ${series}, годен до ${shownDay(plan[0].expires_in_days)}` });
    assert.equal(await radio.isChecked(), true, "the FEFO batch's radio named by its series and expiry");
    // the prescribed quantity by default; more than the chosen batch's free refused at the field
    const quantity = picker.getByLabel("Количество упаковок");
    assert.equal(await quantity.inputValue(), "2");
    const send = picker.getByRole("button", { name: "Отпустить" });
    await quantity.fill(String(plan[0].packages + 1));
    await until(async () => (await quantity.getAttribute("aria-invalid")) === "true", "the quantity marked invalid");
    const note = page.locator(`[id="${await quantity.getAttribute("aria-describedby")}"]`);
    assert.equal(await note.innerText(), `В партии ${series} свободно только ${plan[0].packages} уп.`);
    assert.equal(await send.isDisabled(), true, "nothing to send with too many");
    await assertAccessible(page, "dispensing (unmarked, too many refused)");
    await quantity.fill("2");
    await until(async () => (await quantity.getAttribute("aria-invalid")) === "false", "the quantity valid again");
    assert.equal(await note.innerText(), "Как выписано");
    await assertAccessible(page, "dispensing (unmarked, batch picker)");
    await ph.shot("pharmacy-dispensing-unmarked.png");
    await send.click();
    const success = page.getByRole("status").filter({ hasText: /Отпущено: 2 уп\. на/ });
    await success.waitFor({ timeout: 30_000 });
    // both packages from the FEFO batch; no МДЛП report for an unmarked drug
    assert.match(await success.innerText(), new RegExp(`${S.unmarked_trade} · ${series}, ${series}`));
    assert.equal(await success.getByText("Сведения о выбытии поставлены в очередь МДЛП").count(), 0);
    assert.equal(await picker.count(), 0, "the picker gone once dispensed");
    // the card asked again: the pharmacy's free packages of the drug, two fewer
    const total = plan.reduce((sum, b) => sum + b.packages, 0);
    await card.locator("dt:has-text('Свободно в аптеке') + dd").filter({ hasText: new RegExp(`^${total - 2}$`) }).waitFor();
    // and the counter's own dispense is not shown as a refusal («уже отпущено») beside its success
    assert.equal(await card.getByRole("alert").count(), 0, "no «уже отпущено» for the dispense just made");
    await assertAccessible(page, "dispensing (unmarked, done)");
    await ph.shot("pharmacy-dispensing-unmarked-done.png");
  });

  await step("pharmacist: the stock list and the dispensed drug's card — the dispense with its running balance", async () => {
    const { page } = ph;
    await pharmacyHome(page);
    await tile(page, "Остатки").click();
    await page.waitForURL(/\/pharmacy\/stock/);
    const table = page.getByRole("table", { name: "Остатки" });
    await table.locator("tbody tr").first().waitFor();
    await assertAccessible(page, "stock");
    await page.getByLabel("МНН или наименование").fill("Сиофор");
    await page.waitForURL(/q=/);
    // the scenario's batch of 12 received yesterday, 10 left after № 41
    const row = table.locator("tbody tr", { hasText: "Сиофор" }).filter({ has: page.getByRole("cell", { name: "10", exact: true }) }).first();
    await row.waitFor();
    await ph.shot("pharmacy-stock.png");
    await row.getByRole("link", { name: "Сиофор" }).click();
    await page.waitForURL(/\/pharmacy\/stock\/[0-9a-f-]{36}\/[0-9a-f-]{36}$/);
    cardUrl = page.url();
    const movements = page.getByRole("table", { name: "Движения" });
    const dispense = movements.locator("tbody tr", { hasText: "Отпуск по рецепту" }).filter({ hasText: "-2" }).last();
    await dispense.waitFor();
    // the running balance: the movement before it less the two packages, the card's balance the last one
    const rows = movements.locator("tbody tr");
    const balances = (await rows.locator("td:nth-child(5)").allInnerTexts()).map((b) => Number(b.replace(/[\s\u00a0]/g, "")));
    const kinds = await rows.locator("td:nth-child(2)").allInnerTexts();
    const at = kinds.findLastIndex((k) => k.startsWith("Отпуск по рецепту"));
    assert.ok(at > 0, `the dispense and a movement before it on the card's page: ${kinds}`);
    assert.equal(balances[at], balances[at - 1] - 2, `the running balance after the dispense: ${balances}`);
    await assertAccessible(page, "stock card");
    await ph.shot("pharmacy-stock-card.png");
  });

  // ------------------------------------------------------------------ the race at two counters
  await step("race: № 42 and the doctor's new prescription of the same drug at two counters, one last package", async () => {
    const second = await signIn("pharmacist");
    const counters = [ph.page, second.page];
    for (const [i, page] of counters.entries()) {
      await pharmacyHome(page);
      await tile(page, "Отпуск по рецепту").click();
      await page.waitForURL(/\/pharmacy\/dispensing$/);
      const field = page.getByLabel("Скан или серия и номер рецепта");
      await field.focus();
      await page.keyboard.type(i === 0 ? typed(S.last) : issued.designation);
      await page.keyboard.press("Enter");
      await page.locator(".prescription-card").getByText(/Гликлазид/).waitFor();
      await wedge(page, S.last_code);
      await page.locator("table.scan-lines tbody tr").first().getByRole("img", { name: "Упаковка проверена" }).waitFor();
      await page.getByText("Отсканировано 1 из 1").waitFor();
    }
    await Promise.all(counters.map((p) => p.getByRole("button", { name: "Отпустить" }).click()));
    const outcome = async (page) => {
      const ok = page.getByRole("status").filter({ hasText: /Отпущено: 1 уп\./ });
      const refused = page.getByRole("alert").filter({ hasText: /./ });
      await ok.or(refused).first().waitFor({ timeout: 30_000 });
      return (await ok.count()) > 0 ? "dispensed" : await refused.first().innerText();
    };
    const results = await Promise.all(counters.map(outcome));
    const winners = results.filter((r) => r === "dispensed");
    assert.equal(winners.length, 1, `exactly one counter dispenses: ${JSON.stringify(results)}`);
    const loser = results.find((r) => r !== "dispensed");
    // the package named as gone («только что отпущена» or «уже выбыт: отпущена … по рецепту …»,
    // as the two requests met)
    assert.ok(loser.includes(sgtinOf(S.last_code)) && /отпущена/.test(loser), `the other one says why: ${loser}`);
    const lost = counters[results.indexOf(loser)];
    // no stock left, none below zero: the winner's card shows 0 free after the dispense
    const won = counters[results.indexOf("dispensed")];
    await won.locator(".prescription-card dt:has-text('Свободно в аптеке') + dd").filter({ hasText: /^0$/ }).waitFor();
    await assertAccessible(lost, "dispensing (the race lost)");
    await lost.screenshot({ path: path.join(artifacts, "pharmacy-race-lost.png"), fullPage: true });
    await second.ctx.close();
  });
  await ph.ctx.close();

  // ------------------------------------------------------------------ the fund
  const tf = await signIn("tfoms");
  await step("tfoms: a control run of this month at 990101 with its progress to the end, the chart and violations, the act with PDF and XLSX", async () => {
    // The warehouse (the region's keeper of the drug catalogue) moves the start of Сиофор's NSI
    // entry to tomorrow, as a late correction would: the control must find № 41's dispense of
    // today (nsi_invalid). The demo's history passes every check, so this is the violation to see.
    const warehouse = await apiAs(base, "warehouse", "pharmacy");
    const found = await warehouse("GET", `/drugs?trade_name=${encodeURIComponent("Сиофор")}`);
    const drugs = found.items.filter((d) => d.trade_name === "Сиофор");
    assert.equal(drugs.length, 1, `one Сиофор in the catalogue: ${JSON.stringify(found.items)}`);
    const { id: drugId, ...siofor } = drugs[0];
    await warehouse("PUT", `/drugs/${drugId}`, { ...siofor, valid_from: isoDay(1), valid_to: null });
    const { page } = tf;
    try {
      await pharmacyHome(page);
      await tile(page, "Медико-экономический контроль").click();
      await page.waitForURL(/\/pharmacy\/control/);
      await page.getByRole("heading", { level: 1, name: "Медико-экономический контроль" }).waitFor();
      const pharmacy = page.locator("select", { has: page.locator("option", { hasText: /^990101 / }) });
      await pharmacy.selectOption(await pharmacy.locator("option", { hasText: /^990101 / }).getAttribute("value"));
      await page.getByLabel("Период с").fill(isoDay(0).slice(0, 8) + "01");
      await page.getByLabel("по", { exact: true }).fill(isoDay(0));
      await page.waitForURL(new RegExp(`period_to=${isoDay(0)}`));
      await assertAccessible(page, "control (before the run)");
      await page.getByRole("button", { name: "Провести контроль" }).click();
      const job = page.getByTestId("job-progress");
      await job.getByRole("progressbar").waitFor();
      await page.getByRole("button", { name: "Провести контроль" }).and(page.locator(":enabled")).waitFor({ timeout: 120_000 });
      const kpi = (name) => page.locator(".kpi", { hasText: name }).locator(".kpi-value");
      const number = async (name) => Number((await kpi(name).innerText()).replace(/[\s\u00a0]/g, "").replace(",", "."));
      await until(async () => (await number("Проверено отпусков")) > 0, "dispenses checked");
      assert.equal(await number("Не проверено"), 0, "every dispense of the period checked");
      assert.ok((await number("С нарушениями")) >= 1, "№ 41's dispense with a violation");
      assert.ok((await number("К удержанию, ₽")) > 0, "an amount to withhold");
      await page.getByTestId("violations-chart").waitFor();
      const violations = page.getByRole("table", { name: "Медико-экономический контроль" });
      const row = violations.locator("tbody tr").filter({ has: page.getByRole("link", { name: `${S.series} № ${S.ready}` }) });
      await row.waitFor();
      assert.match(await row.innerText(), /справочник|НСИ/i, await row.innerText());
      await assertAccessible(page, "control (after the run)");
      await tf.shot("pharmacy-control.png");
      await page.getByRole("button", { name: "Составить акт по аптеке" }).click();
      const act = page.getByRole("status").filter({ hasText: /^Акт № / });
      await act.waitFor({ timeout: 30_000 });
      assert.doesNotMatch(await act.innerText(), /к удержанию 0,00 ₽/, await act.innerText());
      const pdf = await download(page, act.getByRole("button", { name: "Акт (PDF)" }));
      assert.equal(pdf.bytes.subarray(0, 5).toString("latin1"), "%PDF-", pdf.name);
      const xlsx = await download(page, act.getByRole("button", { name: "Акт (XLSX)" }));
      assert.equal(xlsx.bytes.subarray(0, 2).toString("latin1"), "PK", xlsx.name);
      await page.getByRole("table", { name: "Акты за период" }).locator("tbody tr").first().waitFor();
      await assertAccessible(page, "control (act)");
    } finally {
      await warehouse("PUT", `/drugs/${drugId}`, { ...siofor }); // the catalogue as the demo left it
    }
  });

  await step("tfoms: the marking reports — today's dispenses sent and accepted by the simulator", async () => {
    const { page } = tf;
    await pharmacyHome(page);
    await tile(page, "Маркировка").click();
    await page.waitForURL(/\/pharmacy\/marking/);
    const table = page.getByRole("table", { name: "Маркировка: сведения в МДЛП" });
    await table.locator("tbody tr").first().waitFor();
    await assertAccessible(page, "marking");
    // the report of № 41's dispense, found by one of its packages; the sender (every 10 s)
    // passes it to the simulator, which accepts it: the list is asked again until it shows so
    const sgtin = sgtinOf(S.ready_codes[0]);
    await page.getByLabel("Код SGTIN").fill(sgtin);
    await page.getByLabel("Код SGTIN").press("Enter");
    await page.waitForURL(/sgtin=/);
    const row = table.locator("tbody tr").first();
    await row.waitFor();
    assert.match(await row.innerText(), /Отпуск по льготному рецепту/);
    const status = page.locator("select", { has: page.locator('option[value="accepted"]') });
    await until(
      async () => {
        await status.selectOption("accepted");
        await page.waitForURL(/status=accepted/);
        const found = await row.or(page.getByText("Отчётов нет.")).first().innerText();
        if (/Принят/.test(found)) return true;
        await status.selectOption("");
        await page.waitForURL((url) => !url.search.includes("status="));
        return false;
      },
      "the dispense report accepted by the simulator",
      90_000,
    );
    await row.getByRole("button", { name: "XML" }).click();
    await page.locator(".xml-view textarea").first().waitFor();
    assert.match(await page.locator(".xml-view textarea").first().inputValue(), new RegExp(sgtin));
    await assertAccessible(page, "marking (a report's XML)");
    await tf.shot("pharmacy-marking.png");
  });
  await tf.ctx.close();

  // ------------------------------------------------------------------ another pharmacy
  await step("pharmacist2 (990102): 990101's stock card by its address is not found", async () => {
    const p2 = await signIn("pharmacist2");
    await p2.page.goto(cardUrl);
    await p2.page.waitForURL(/\/login$/);
    await submitLogin(p2.page, "pharmacist2");
    await p2.page.waitForURL(cardUrl);
    await p2.page.getByRole("alert").filter({ hasText: /не найден/i }).waitFor();
    assert.equal(await p2.page.getByRole("table", { name: "Движения" }).count(), 0);
    await assertAccessible(p2.page, "stock card of another pharmacy");
    await p2.ctx.close();
  });

  // ------------------------------------------------------------------ the federal register
  await step("registrar: the federal register's page — a one-line file loaded to its counts, «Сопоставить с регистром» to its report and CSV", async () => {
    const reg = await signIn("registrar");
    const { page } = reg;
    await page.goto(`${base}/pharmacy/beneficiaries`);
    await page.waitForURL(/\/login$/); // the session lives in the page: its address signs in again
    await submitLogin(page, "registrar");
    await page.waitForURL(/\/pharmacy\/beneficiaries$/);
    await page.getByRole("heading", { level: 1, name: "Льготники" }).waitFor();
    await page.getByRole("link", { name: "Федеральный регистр: загрузка и сопоставление" }).click();
    await page.waitForURL(/\/pharmacy\/beneficiaries\/federal-register$/);
    await page.getByRole("heading", { level: 1, name: "Федеральный регистр льготников" }).waitFor();
    await assertAccessible(page, "federal register");
    // a SNILS of no registry person (random, its check number right): a new beneficiary the
    // registry does not know — left unmatched by the load and again by the re-matching. Only
    // federal_register entitlements are ended by a file, so the demo's stay.
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? 9 : Math.floor(Math.random() * 10)));
    let sum = digits.reduce((acc, d, i) => acc + d * (9 - i), 0);
    if (sum > 101) sum %= 101;
    const snils = digits.join("") + String(sum >= 100 ? 0 : sum).padStart(2, "0");
    const csv =
      "СНИЛС;Фамилия;Имя;Отчество;ДатаРождения;Пол;КодЛьготы;ДатаНачала;ДатаОкончания\n" +
      `${snils};Федеральный;Проверочный;Браузерович;01.02.1950;М;082;01.01.${isoDay(0).slice(0, 4)};\n`;
    await page.getByLabel("Файл федерального регистра").setInputFiles({ name: "federal-register.csv", mimeType: "text/csv", buffer: Buffer.from(csv, "utf-8") });
    await page.getByRole("button", { name: "Загрузить регистр" }).click();
    await page.waitForURL(/\?load=/);
    const load = page.getByRole("region", { name: "Загрузка файла регистра" });
    await load.getByTestId("load-result").waitFor({ timeout: 120_000 });
    const fact = (scope, name) => scope.locator("dt", { hasText: new RegExp(`^${name}$`) }).locator("+ dd");
    assert.equal(await fact(load, "Строк в файле").innerText(), "1");
    assert.equal(await fact(load, "Новых льгот").innerText(), "1");
    assert.equal(await fact(load, "Ошибок в строках").innerText(), "0");
    await load.getByTestId("matching-report").waitFor();

    const match = page.getByRole("region", { name: "Сопоставление с регистром застрахованных" });
    await match.getByRole("button", { name: "Сопоставить с регистром" }).click();
    await page.waitForURL(/[?&]match=/); // beside ?load=: the load's result stays on the page
    await load.getByTestId("load-result").waitFor();
    await match.getByTestId("job-progress").getByRole("progressbar").waitFor();
    await match.locator('[data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    const report = match.getByTestId("matching-report");
    await report.waitFor();
    assert.equal(await report.getAttribute("data-status"), "done", await report.innerText());
    assert.ok(Number(await fact(report, "Не найдено в регистре").innerText()) >= 1, await report.innerText());
    await fact(report, "Сопоставлено").waitFor();
    const file = await download(page, match.getByTestId("job-file-matching-report.csv"));
    assert.equal(file.name, "matching-report.csv");
    assert.match(file.bytes.toString("utf-8"), /не сопоставлен/, file.bytes.toString("utf-8").slice(0, 400));
    await assertAccessible(page, "federal register (after the re-matching)");
    await reg.shot("pharmacy-federal-register.png");
    await reg.ctx.close();
  });

  console.log(`\n${done.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  await screenshotFailures(browser, "pharmacy-failure");
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
