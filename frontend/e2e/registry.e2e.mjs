// Browser check of the register's screens against a running system with the demo region
// (it starts nothing):   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/registry.e2e.mjs
// As the registry operator of the TFOMS («registrar»):
// - the menu's register sections; the demo patient found by SNILS and by name, the card
//   (insurer and MO by name) and its history timeline;
// - find before create: the match lists the patient with per-field reasons; registering the
//   same person again is refused as a probable duplicate; confirmed, the new person's card;
// - a correction of the new person's address (made through the API): the old record stays in
//   the timeline, struck through, the new one marked as its correction, and the card "as
//   known" before the correction shows the old address;
// - the pair in the duplicate queue, side by side; merged after the dialog (the merged
//   person's card then points to the survivor), unmerged after the dialog, then rejected.
// As the health authority («minzdrav»): the MO register (tree, licenses, areas with their
// population, equipment by state, a unit's card) and the equipment need for the region and
// one MO, its chart and its CSV and XLSX exports. As a doctor: no duplicate queue, no
// registration. axe-core runs on every screen. Screenshots go to e2e/artifacts/.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { assertAccessible } from "./axe.mjs";
import { artifacts, baseUrl, launchChromium, login, menuLink, russianContext, screenshotFailures, stepper } from "./lib.mjs";

const base = baseUrl();
const PATIENT = { oip: "1000001", snils: "112-233-445 95", name: "Иванов Иван Иванович", birth: "1980-05-14" };
const PATIENT_MO = "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»";
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
const run = Date.now().toString(36);
const newPerson = { id: "", oip: "" };
const OLD_ADDRESS = `Приозёрская обл., г. Приозёрск, ул. Ленина, д. 1, кв. 1 (${run})`;
const NEW_ADDRESS = `Приозёрская обл., г. Приозёрск, ул. Ленина, д. 1, кв. 2 (${run})`;

/** The register's API as the e2e's own client (test setup only: a correction to record). */
async function apiAs(user) {
  const response = await fetch(`${base}/api/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ login: user, password: "demo" }),
  });
  assert.equal(response.status, 200, `API login as ${user}`);
  const { access_token: token } = await response.json();
  return async (method, url, body) => {
    const r = await fetch(`${base}/api/registry${url}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await r.json();
    assert.ok(r.ok, `${method} ${url}: ${r.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** The queue's row of the new person and `partner`. */
const pairRow = (page, partner) =>
  page.locator("tbody tr", { hasText: `ОИП ${newPerson.oip})` }).filter({ hasText: `ОИП ${partner})` });
/** The new person's partner in the queue: the patient on a fresh system; on one the script ran
 * against before, maybe a namesake an earlier run registered. */
let partner = PATIENT.oip;

const browser = await launchChromium();
const { step, done } = stepper();

try {
  const ctx = await russianContext(browser, { acceptDownloads: true });
  const page = await ctx.newPage();
  const shot = (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });

  await step("registrar: the register's sections in the menu; the patient found by SNILS", async () => {
    await login(page, base, "registrar");
    for (const name of ["Застрахованные лица", "Дубликаты"]) await menuLink(page, name).waitFor();
    await menuLink(page, "Застрахованные лица").click();
    await page.waitForURL(/\/registry\/persons$/);

    await page.getByRole("heading", { level: 1, name: "Поиск застрахованного лица" }).waitFor();
    await page.getByText("Заполните поля выбранного способа").waitFor();
    await assertAccessible(page, "person search");
    await page.getByRole("radio", { name: "СНИЛС" }).check();
    await page.getByRole("textbox", { name: "СНИЛС" }).fill(PATIENT.snils);
    await page.getByRole("button", { name: "Найти" }).click();
    await page.waitForURL(/snils=11223344595/);
    const results = page.getByRole("table", { name: "Результаты поиска" });
    await results.getByRole("link", { name: PATIENT.name }).waitFor();
    assert.equal(await results.locator("tbody tr").count(), 1);
    assert.equal(await results.locator("tbody tr td").first().innerText(), PATIENT.oip);
  });

  await step("the patient by name and birth date; the card with insurer and MO by name", async () => {
    await page.getByRole("radio", { name: "ФИО и дата рождения" }).check();
    await page.getByLabel("Фамилия").fill("Иванов");
    await page.getByLabel("Имя", { exact: true }).fill("Иван");
    await page.getByLabel("Дата рождения", { exact: true }).fill(PATIENT.birth);
    await page.getByRole("button", { name: "Найти" }).click();
    await page.waitForURL(/surname=/);
    const results = page.getByRole("table", { name: "Результаты поиска" });
    const row = results.locator("tbody tr", { hasText: PATIENT.oip });
    // The name search's similarity, once the new results replaced the SNILS search's.
    await row.locator("td").last().filter({ hasText: /\d+\s%/ }).waitFor();
    await row.getByRole("link", { name: PATIENT.name }).click();
    await page.waitForURL(/\/registry\/persons\/[0-9a-f-]{36}$/);
    await page.getByTestId("person-name").getByText(PATIENT.name).waitFor();
    assert.equal(await page.getByTestId("person-snils").innerText(), PATIENT.snils);
    await page.getByTestId("person-attachment").getByText(PATIENT_MO).waitFor();
    const insurer = await page.getByTestId("person-insurance").locator("dd").first().innerText();
    assert.doesNotMatch(insurer, UUID, "the insurer is named, not an id");
    assert.ok(insurer.length > 3, insurer);
    const timeline = page.getByTestId("timeline");
    await timeline.locator('[data-testid="fact"][data-kind="name"]').first().waitFor();
    assert.ok((await timeline.locator('[data-testid="fact"][data-in-force="true"]').count()) >= 8, "today's records are in force");
    await assertAccessible(page, "person card");
    await shot("registry-card.png");
  });

  await step("find before create: the match lists the patient with per-field reasons", async () => {
    await page.getByRole("link", { name: "Застрахованные лица" }).first().click();
    await page.getByRole("link", { name: "Найти совпадения перед регистрацией" }).click();
    await page.waitForURL(/\/registry\/persons\/new$/);
    const form = page.getByRole("form", { name: "Новое застрахованное лицо" });
    await form.getByLabel("Фамилия").fill("Иванов");
    await form.getByLabel("Имя", { exact: true }).fill("Иван");
    await form.getByLabel("Отчество").fill("Иванович");
    await form.getByLabel("Дата рождения", { exact: true }).fill(PATIENT.birth);
    await form.getByLabel("Пол").selectOption("male");
    await form.getByLabel("Адрес регистрации").fill(OLD_ADDRESS);
    await form.getByLabel("Зарегистрирован с").fill("2000-01-01");
    await page.getByRole("button", { name: "Найти совпадения" }).click();
    const candidate = page.getByTestId("candidates").locator(`[data-testid="candidate"][data-oip="${PATIENT.oip}"]`);
    await candidate.waitFor();
    for (const field of ["surname", "first_name", "birth_date"]) {
      assert.ok(await candidate.locator(`[data-testid="reason"][data-field="${field}"]`).count(), `a reason for ${field}`);
    }
    assert.ok(await candidate.locator(".reason.reason-for").count(), "reasons for the match");
    assert.ok(Number(await candidate.getByTestId("score").getAttribute("value")) > 16, "a score past «possible»");
    await assertAccessible(page, "match before create");
  });

  await step("registering the same person is refused as a probable duplicate; confirmed, the new card", async () => {
    await page.getByRole("button", { name: "Зарегистрировать", exact: true }).click();
    const refusal = page.getByTestId("duplicate-refusal");
    await refusal.getByRole("heading", { name: "Регистрация отклонена: вероятный дубликат" }).waitFor();
    await refusal.locator(`[data-testid="candidate"][data-oip="${PATIENT.oip}"]`).waitFor();
    const again = refusal.getByRole("button", { name: "Зарегистрировать как нового" });
    assert.ok(await again.isDisabled(), "not before the operator confirms");
    await assertAccessible(page, "duplicate refusal");
    await shot("registry-duplicate-refusal.png");
    await refusal.getByLabel("Я проверил совпадения: это другой человек").check();
    await again.click();
    await page.waitForURL(/\/registry\/persons\/[0-9a-f-]{36}$/);
    const notice = await page.getByRole("status").filter({ hasText: "зарегистрировано" }).innerText();
    newPerson.oip = /ОИП (\d+)/.exec(notice)?.[1] ?? "";
    newPerson.id = page.url().split("/").pop();
    assert.ok(newPerson.oip && newPerson.oip !== PATIENT.oip, notice);
    assert.equal(await page.getByTestId("person-oip").innerText(), newPerson.oip);
    await page.getByTestId("person-addresses").getByText(OLD_ADDRESS).waitFor();
  });

  await step("a correction stays in the history; the card as known before it shows the old address", async () => {
    const api = await apiAs("registrar");
    const history = await api("GET", `/persons/${newPerson.id}/history`);
    const address = history.facts.find((f) => f.kind === "address");
    // The moment input has one-second steps: let a whole second pass between the two records.
    await page.waitForTimeout(2000);
    await api("POST", `/persons/${newPerson.id}/addresses`, {
      kind: "registration",
      text: NEW_ADDRESS,
      valid_from: "2000-01-01",
      corrects: address.fact_id,
    });
    // Leave the card (once the search page is drawn, the card is gone) and come back: it reads
    // the register again.
    await menuLink(page, "Застрахованные лица").click();
    await page.getByRole("heading", { level: 1, name: "Поиск застрахованного лица" }).waitFor();
    await page.goBack();
    await page.waitForURL(new RegExp(`/registry/persons/${newPerson.id}$`));
    await page.getByTestId("person-addresses").getByText(NEW_ADDRESS).waitFor();
    const timeline = page.getByTestId("timeline");
    const corrected = timeline.locator('[data-testid="fact"][data-kind="address"][data-status="corrected"]');
    await corrected.locator("del", { hasText: OLD_ADDRESS }).waitFor();
    await corrected.getByText("исправлена", { exact: true }).waitFor();
    const correction = timeline.locator('[data-testid="fact"][data-kind="address"][data-correction="true"]');
    await correction.getByText(NEW_ADDRESS).waitFor();
    await correction.getByText(`исправление записи ${address.fact_id}`).waitFor();
    assert.equal(await correction.getAttribute("data-in-force"), "true");
    // As the register knew it just after the registration (the next whole second): the old
    // address, in force then.
    const before = await page.evaluate((iso) => {
      const d = new Date(Math.ceil(new Date(iso).getTime() / 1000) * 1000);
      const p = (n) => String(n).padStart(2, "0");
      return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
    }, address.recorded_from);
    await page.getByLabel("По сведениям на момент").fill(before);
    await page.getByRole("button", { name: "Показать" }).click();
    await page.waitForURL(/as_of=/);
    await page.getByTestId("person-addresses").getByText(OLD_ADDRESS).waitFor();
    assert.equal(await corrected.getAttribute("data-in-force"), "true", "the old record was in force then");
    assert.equal(await correction.getAttribute("data-in-force"), null);
    await assertAccessible(page, "card as known before a correction");
    await shot("registry-timeline.png");
    await page.getByRole("button", { name: "Сегодня, по текущим сведениям" }).click();
    await page.getByTestId("person-addresses").getByText(NEW_ADDRESS).waitFor();
  });

  await step("the duplicate queue holds the pair; side by side", async () => {
    await menuLink(page, "Дубликаты").click();
    await page.waitForURL(/\/registry\/duplicates$/);
    await page.getByLabel("Состояние").selectOption("all");
    await page.getByLabel("Откуда").selectOption("registration");
    await page.getByLabel("На странице").selectOption("100");
    const open = page.locator("tbody tr", { hasText: `ОИП ${newPerson.oip})` }).filter({ hasText: "ждёт решения" });
    await open.first().waitFor();
    if ((await pairRow(page, PATIENT.oip).count()) === 0) {
      const oips = [...(await open.first().innerText()).matchAll(/ОИП (\d+)\)/g)].map((m) => m[1]);
      partner = oips.find((o) => o !== newPerson.oip);
    }
    const row = pairRow(page, partner);
    await row.getByRole("button", { name: "Сравнить" }).click();
    const review = page.getByTestId("pair-review");
    await review.getByRole("table").waitFor();
    for (const key of ["surname", "first_name", "patronymic", "birth_date"]) {
      assert.equal(await review.getByTestId(`compare-${key}`).getAttribute("data-same"), "true", key);
    }
    if (partner === PATIENT.oip) {
      assert.equal(await review.getByTestId("compare-snils").getAttribute("data-same"), "false", "the new person has no SNILS");
    }
    assert.ok(await review.getByTestId("reason").count());
    await page.locator('.table-wrap[aria-busy="true"]').waitFor({ state: "detached" });
    await assertAccessible(page, "duplicate review");
    await shot("registry-duplicates.png");
  });

  await step("merge after the dialog; the merged person's card points to the survivor", async () => {
    const review = page.getByTestId("pair-review");
    await review.getByRole("button", { name: "Объединить…" }).click();
    const dialog = page.getByRole("dialog", { name: "Объединить персоны" });
    await dialog.getByRole("radio", { name: new RegExp(`ОИП ${partner} `) }).check();
    const confirm = dialog.getByRole("button", { name: "Объединить", exact: true });
    assert.ok(await confirm.isDisabled(), "a reason first");
    await assertAccessible(page, "merge dialog");
    await dialog.getByLabel("Основание").fill(`Проверка e2e ${run}: один человек`);
    await confirm.click();
    await review.getByTestId("decision").getByText(`Объединено: ОИП ${newPerson.oip} → ОИП ${partner}.`).waitFor();
    await review.getByTestId("review-status").getByText("объединены").waitFor();
    await pairRow(page, partner).getByRole("link", { name: new RegExp(`ОИП ${newPerson.oip}`) }).click();
    await page.getByTestId("merged-notice").waitFor();
    assert.equal(await page.getByTestId("person-oip").innerText(), partner, "the survivor's data");
    await page.getByTestId("merges").getByText("действует").waitFor();
    await shot("registry-merged-card.png");
    await page.goBack();
  });

  await step("unmerge after the dialog, then the pair is rejected as different people", async () => {
    const review = page.getByTestId("pair-review");
    await review.getByRole("button", { name: "Разъединить…" }).click();
    const dialog = page.getByRole("dialog", { name: "Разъединить персоны" });
    await dialog.getByText(`Объединение ${newPerson.oip} → ${partner}`).waitFor();
    await dialog.getByLabel("Основание").fill(`Проверка e2e ${run}: разъединить`);
    await dialog.getByRole("button", { name: "Разъединить", exact: true }).click();
    await review.getByTestId("decision").getByText(`Разъединено: ОИП ${newPerson.oip} снова отдельная персона.`).waitFor();
    await review.getByTestId("review-status").getByText("ждёт решения").waitFor();
    await review.getByRole("button", { name: "Это разные люди…" }).click();
    const reject = page.getByRole("dialog", { name: "Это разные люди" });
    await reject.getByLabel("Основание").fill(`Проверка e2e ${run}: тёзки`);
    await reject.getByRole("button", { name: "Отклонить пару" }).click();
    await review.getByTestId("decision").getByText("Пара отклонена.").waitFor();
    await review.getByTestId("review-status").getByText("разные люди").waitFor();
    const api = await apiAs("registrar");
    const survivor = await api("GET", `/persons/by-oip/${partner}`);
    assert.equal(String(survivor.oip), partner, "the survivor is itself again");
    if (partner === PATIENT.oip) assert.equal(survivor.snils, "11223344595");
    const person = await api("GET", `/persons/by-oip/${newPerson.oip}`);
    assert.equal(person.id, newPerson.id, "the unmerged person resolves to itself");
  });
  await ctx.close();

  const mz = await russianContext(browser, { acceptDownloads: true });
  const mzPage = await mz.newPage();
  const mzShot = (name) => mzPage.screenshot({ path: path.join(artifacts, name), fullPage: true });

  await step("minzdrav: the MO register, an MO's tree down to rooms and equipment", async () => {
    await login(mzPage, base, "minzdrav");
    assert.equal(await menuLink(mzPage, "Застрахованные лица").count(), 0, "no person register for the health authority");
    await menuLink(mzPage, "Реестр МО").click();
    await mzPage.waitForURL(/\/registry\/mo$/);
    await mzPage.getByRole("searchbox", { name: "Наименование или код" }).fill("Городская поликлиника № 2 г.");
    await mzPage.getByRole("button", { name: "Найти" }).click();
    await mzPage.getByRole("link", { name: PATIENT_MO, exact: true }).click();
    await mzPage.getByTestId("mo-name").getByText(PATIENT_MO).waitFor();
    const tree = mzPage.getByTestId("mo-tree");
    await tree.getByRole("button", { name: "Развернуть всё" }).click();
    await tree.getByTestId("tree-room").first().waitFor();
    const rooms = await tree.getByTestId("tree-room").count();
    const counted = Number((await mzPage.getByTestId("mo-counts").locator("dd").nth(2).innerText()).replace(/\s/g, ""));
    assert.equal(rooms, counted, "every room of the passport is in the tree");
    assert.ok((await tree.getByTestId("tree-branch").count()) >= 2, "the main site and a branch");
    await tree.locator(".tree-equipment li").first().waitFor();
    await assertAccessible(mzPage, "MO structure");
    await mzShot("registry-mo-tree.png");
  });

  await step("licenses, areas with their attached population, equipment by state and a unit's card", async () => {
    const tabs = mzPage.getByRole("navigation", { name: "Разделы паспорта МО" });
    await tabs.getByRole("link", { name: "Лицензии" }).click();
    await mzPage.getByRole("table", { name: "Лицензии" }).locator("tbody tr").first().waitFor();
    await tabs.getByRole("link", { name: "Участки и население" }).click();
    await mzPage.getByRole("table", { name: "Участки и население" }).locator("tbody tr").first().waitFor();
    const total = await mzPage.getByTestId("population-total").innerText();
    assert.ok(Number(total.replace(/\D/g, "")) > 0, total);
    await mzPage.waitForFunction(() => {
      const c = document.querySelector('[data-testid="chart-area-population"] canvas');
      return c instanceof HTMLCanvasElement && c.width > 0;
    });
    await assertAccessible(mzPage, "MO areas");
    await tabs.getByRole("link", { name: "Оборудование" }).click();
    await mzPage.getByLabel("Состояние").selectOption("working");
    await mzPage.waitForURL(/state=working/);
    // Once the filtered page replaced the unfiltered one: only working units.
    await mzPage.waitForFunction(() => {
      const states = [...document.querySelectorAll('[data-testid="equipment-state"]')].map((e) => e.textContent);
      return states.length > 0 && states.every((s) => s === "исправно");
    });
    await assertAccessible(mzPage, "MO equipment");
    await mzPage.getByRole("table", { name: "Оборудование" }).locator("tbody tr a").first().click();
    await mzPage.waitForURL(/\/equipment\/[0-9a-f-]{36}$/);
    await mzPage.getByRole("heading", { level: 1, name: /^Оборудование: / }).waitFor();
    await mzPage.getByRole("table", { name: "История состояний" }).waitFor();
    await mzShot("registry-equipment.png");
  });

  await step("the equipment need of the region: totals, chart, MOs; CSV export", async () => {
    await menuLink(mzPage, "Потребность в оборудовании").click();
    await mzPage.waitForURL(/\/registry\/equipment-need$/);
    await mzPage.waitForFunction(() => {
      const c = document.querySelector('[data-testid="chart-need"] canvas');
      return c instanceof HTMLCanvasElement && c.width > 0;
    });
    const need = Number((await mzPage.getByTestId("need-total").innerText()).replace(/\s/g, ""));
    assert.ok(need > 0, "the demo region lacks equipment");
    assert.equal(await mzPage.getByRole("table", { name: "По медицинским организациям" }).locator("tbody tr").count(), 50);
    const summary = (await mzPage.getByTestId("chart-need").getAttribute("aria-label")) ?? "";
    assert.match(summary, /\d/, summary);
    await assertAccessible(mzPage, "equipment need");
    await mzShot("registry-need-region.png");
    const [download] = await Promise.all([mzPage.waitForEvent("download"), mzPage.getByTestId("export-csv").click()]);
    assert.match(download.suggestedFilename(), /^equipment-need-region-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile(await download.path(), "utf8")).replace(/^\uFEFF/, "").split(/\r?\n/).filter(Boolean);
    assert.equal(csv[0], "mo_code;mo_name;type_code;type_name;required;available;need");
    const exported = csv.slice(1).reduce((sum, line) => sum + Number(line.split(";").at(-1)), 0);
    assert.equal(exported, need, "the file adds up to the page's need");
  });

  await step("one MO's need and its XLSX export", async () => {
    await mzPage.getByTestId("need-scope").selectOption({ label: PATIENT_MO });
    await mzPage.waitForURL(/\?mo=/);
    await mzPage.getByTestId("need-basis").getByText(PATIENT_MO).waitFor();
    assert.equal(await mzPage.getByRole("table", { name: "По медицинским организациям" }).count(), 0);
    const [download] = await Promise.all([mzPage.waitForEvent("download"), mzPage.getByTestId("export-xlsx").click()]);
    assert.match(download.suggestedFilename(), /^equipment-need-[0-9a-f-]{36}-\d{4}-\d{2}-\d{2}\.xlsx$/);
    const bytes = await readFile(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "an XLSX (zip) file");
    await mzShot("registry-need-mo.png");
  });
  await mz.close();

  await step("doctor: the person search, no duplicate queue, matching without registration", async () => {
    const dc = await russianContext(browser);
    const dPage = await dc.newPage();
    await login(dPage, base, "doctor");
    await menuLink(dPage, "Застрахованные лица").waitFor();
    assert.equal(await menuLink(dPage, "Дубликаты").count(), 0);
    await menuLink(dPage, "Застрахованные лица").click();
    await dPage.getByRole("link", { name: "Найти совпадения перед регистрацией" }).click();
    await dPage.getByText("Регистрировать может оператор регистра").waitFor();
    assert.equal(await dPage.getByRole("button", { name: "Зарегистрировать", exact: true }).count(), 0);
    await dc.close();
  });

  console.log(`\n${done.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  await screenshotFailures(browser, "registry-failure");
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
