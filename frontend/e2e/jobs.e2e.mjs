// Browser check of uploads, long jobs and downloads against a running system (starts nothing):
//   OMS_E2E_BASE_URL=http://127.0.0.1:8000 node e2e/jobs.e2e.mjs
// As admin: НСИ → a dictionary (versions, entries, children, an entry) → import a new version
// from a generated CSV with a throttled upload (the progress bar must pass through
// intermediate values) → the import job followed live to «Готово» → diff counts → the error
// report and the diff downloaded (file name and content checked) → the new version's entries
// on its date → the job in «Задания». Screenshots go to e2e/artifacts/.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { artifacts, baseUrl, launchChromium, login, menuLink, russianContext, screenshotFailures, stepper } from "./lib.mjs";

const base = baseUrl();
const here = path.dirname(fileURLToPath(import.meta.url));
const DICTIONARY = "equipment_type";
const SEED = path.resolve(here, "../../services/registry/registry/nsi/data/equipment_type.csv");
const GENERATED_ROWS = 40_000;
const BAD_ROWS = 2;
const UPLOAD_BYTES_PER_SECOND = 1024 * 1024; // ~2–3 s for the file, so the bar moves visibly

const run = Date.now().toString(36);
const version = `e2e-${run}`;
// A future date, later for each run, so the new version is "previous" to none of the seeds.
const validFrom = new Date(Date.UTC(2090, 0, 1) + (Math.floor(Date.now() / 60_000) % 3650) * 86_400_000)
  .toISOString()
  .slice(0, 10);
const fileName = `Виды оборудования (${version}).csv`;

/**
 * The seeded dictionary with two names changed, its last row dropped, many new rows under
 * RAD and rows without a code (rejected, so there is an error report). `;`-separated,
 * UTF-8 with BOM, as the NSI portal exports.
 */
async function generatedCsv() {
  const seed = (await readFile(SEED, "utf8")).replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  const [header, ...rows] = seed;
  assert.equal(header, "CODE;NAME;PARENT;DATEBEG;DATEEND", "the seed's columns changed");
  const kept = rows.slice(0, -1).map((line) => {
    const code = line.split(";")[0];
    return code === "RAD.CT" || code === "RAD.MRI" ? line.replace(/";/, ` (ред. ${run})";`) : line;
  });
  const added = Array.from({ length: GENERATED_ROWS }, (_, i) => {
    const n = String(i + 1).padStart(6, "0");
    return `RAD.E2E${n};"Испытательный аппарат № ${n} (${run})";RAD;;`;
  });
  const bad = Array.from({ length: BAD_ROWS }, (_, i) => `;"Строка без кода ${i + 1}";RAD;;`);
  return {
    buffer: Buffer.from("\uFEFF" + [header, ...kept, ...added, ...bad].join("\r\n") + "\r\n", "utf8"),
    dropped: rows.at(-1).split(";")[0],
    seedRows: rows.length,
  };
}

/** Records every aria-valuenow of the progress bars and every job status the page shows. */
function recordProgress() {
  const seen = { upload: [], job: [], status: [] };
  const push = (list, value) => {
    if (value !== null && value !== undefined && list.at(-1) !== value) list.push(value);
  };
  const scan = () => {
    push(seen.upload, document.querySelector('[data-testid="upload-progress"]')?.getAttribute("aria-valuenow"));
    push(seen.job, document.querySelector('[data-testid="job-progress-bar"]')?.getAttribute("aria-valuenow"));
    push(seen.status, document.querySelector('[data-testid="job-progress"]')?.getAttribute("data-status"));
  };
  new MutationObserver(scan).observe(document.body, { subtree: true, childList: true, attributes: true });
  window.__progress = seen;
}

const browser = await launchChromium();
const { step, done } = stepper();

try {
  const ctx = await russianContext(browser, { acceptDownloads: true });
  const page = await ctx.newPage();
  const shot = (name) => page.screenshot({ path: path.join(artifacts, name), fullPage: true });
  const csv = await generatedCsv();
  let seedVersion = "";
  let result = {};

  await step("admin opens НСИ from the menu", async () => {
    await login(page, base, "admin");
    await menuLink(page, "НСИ").click();
    await page.waitForURL(/\/nsi$/);
    await page.getByRole("heading", { name: "Справочники НСИ" }).waitFor();
    await page.getByRole("link", { name: "Виды медицинского оборудования (справочник проекта)" }).waitFor();
    assert.ok((await page.getByRole("link", { name: "МКБ-10" }).count()) === 1, "ICD-10 listed");
    await shot("nsi-dictionaries.png");
  });

  await step("a dictionary: versions, entries, children, one entry", async () => {
    await page.getByRole("link", { name: "Виды медицинского оборудования (справочник проекта)" }).click();
    await page.waitForURL(new RegExp(`/nsi/${DICTIONARY}$`));
    seedVersion = (await page.getByTestId("current-version").innerText()).split(" ")[0];
    assert.ok(seedVersion, "a version in force");
    const entries = page.locator("table.data-table").nth(1);
    // The row of an entry: its code is the link in the first cell (the parent column links too).
    const entryRow = (code) => entries.locator("tbody tr").filter({ has: page.locator("td:first-child a", { hasText: new RegExp(`^${code.replace(".", "\\.")}$`) }) });
    await entryRow("RAD").waitFor();
    await shot("nsi-dictionary.png");
    // Children of RAD: the hierarchy through ?parent=
    await entryRow("RAD").getByRole("button", { name: "Подчинённые" }).click();
    await page.waitForURL(/parent=RAD/);
    await page.getByText("Подчинённые записи «RAD»").waitFor();
    await entryRow("RAD.CT").locator("td:first-child a").click();
    await page.getByRole("heading", { name: "Запись RAD.CT" }).waitFor();
    assert.equal(await page.getByTestId("entry-name").innerText(), "Компьютерный томограф");
    await shot("nsi-entry.png");
    await page.getByRole("link", { name: DICTIONARY, exact: true }).click();
    await page.getByRole("link", { name: "Загрузить новую версию" }).waitFor();
  });

  await step(`import version ${version}: the upload's progress bar moves, the job ends «Готово»`, async () => {
    await page.getByRole("link", { name: "Загрузить новую версию" }).click();
    await page.waitForURL(/\/import$/);
    await page.getByLabel("Номер версии").fill(version);
    await page.getByLabel("Действует с").fill(validFrom);
    await page.getByLabel("Файл справочника").setInputFiles({ name: fileName, mimeType: "text/csv", buffer: csv.buffer });
    const chosen = page.getByTestId("chosen-file");
    await chosen.getByText(fileName).waitFor();
    assert.match(await chosen.innerText(), /Размер: \d+,\d\s+МБ/);
    await shot("nsi-import-chosen.png");

    await page.evaluate(recordProgress);
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: UPLOAD_BYTES_PER_SECOND,
    });
    await page.getByRole("button", { name: "Загрузить и импортировать" }).click();
    await page.getByTestId("upload-progress").waitFor();
    await page.screenshot({ path: path.join(artifacts, "nsi-import-uploading.png") });
    await page.getByTestId("job-progress").waitFor({ timeout: 60_000 });
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await page.locator('[data-testid="job-progress"][data-status="running"], [data-testid="job-progress"][data-status="succeeded"]').waitFor();
    await page.screenshot({ path: path.join(artifacts, "nsi-import-running.png") });
    await page.locator('[data-testid="job-progress"][data-status="succeeded"]').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => window.__progress);
    console.log(`    upload aria-valuenow: ${seen.upload.join(" ")}\n    job aria-valuenow: ${seen.job.join(" ")}\n    statuses: ${seen.status.join(" → ")}`);
    const intermediate = seen.upload.map(Number).filter((v) => v > 0 && v < 100);
    assert.ok(intermediate.length >= 1, `the upload bar passed no intermediate value: ${seen.upload}`);
    assert.ok(seen.status.length >= 2 && seen.status.at(-1) === "succeeded", `job statuses: ${seen.status}`);
    await page.getByTestId("job-status").getByText("Готово").waitFor();
    await shot("nsi-import-done.png");
  });

  await step("the job's result: rows, rejections and diff counts", async () => {
    const figure = async (id) => Number((await page.getByTestId(id).innerText()).replace(/\s/g, ""));
    result = {
      imported: await figure("rows-imported"),
      rejected: await figure("rows-rejected"),
      added: await figure("result-added"),
      removed: await figure("result-removed"),
      changed: await figure("result-changed"),
    };
    console.log(`    result: ${JSON.stringify(result)}`);
    assert.equal(result.imported, csv.seedRows - 1 + GENERATED_ROWS);
    assert.equal(result.rejected, BAD_ROWS);
    // Compared with the seeded version (a fresh system): exactly what the file changed.
    if ((await page.getByTestId("result-previous").innerText()) === seedVersion) {
      assert.deepEqual([result.added, result.removed, result.changed], [GENERATED_ROWS, 1, 2]);
    }
    assert.ok(result.added >= GENERATED_ROWS && result.changed >= 2, `diff counts ${JSON.stringify(result)}`);
  });

  await step("the error report downloads under the server's name, with the rejected rows", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Отчёт об ошибках по строкам (CSV)" }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `nsi-${DICTIONARY}-${version}-errors.csv`);
    const text = await readFile(await download.path(), "utf8");
    assert.match(text, /^\uFEFF?Строка;Код;Поле;Ошибка\r?\n/);
    assert.equal(text.match(/Нет кода записи/g)?.length, BAD_ROWS, text.slice(0, 400));
    await download.saveAs(path.join(artifacts, download.suggestedFilename()));
  });

  await step("the diff file downloads too", async () => {
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Отличия от прежней версии (CSV)" }).click(),
    ]);
    assert.match(download.suggestedFilename(), new RegExp(`^nsi-${DICTIONARY}-diff-.+-${version}\\.csv$`));
    const text = await readFile(await download.path(), "utf8");
    assert.match(text, /изменена;RAD\.CT;Компьютерный томограф;Компьютерный томограф \(ред\./);
    assert.match(text, /добавлена;RAD\.E2E000001;/);
  });

  await step("the diff page: counts as in the job, changed fields old → new", async () => {
    await page.getByRole("link", { name: /^Отличия от версии/ }).click();
    await page.waitForURL(/\/diff\?/);
    const count = async (s) => Number((await page.getByTestId(`diff-count-${s}`).locator(".count").innerText()).replace(/\s/g, ""));
    await page.getByTestId("diff-summary").waitFor();
    assert.deepEqual([await count("added"), await count("removed"), await count("changed")], [result.added, result.removed, result.changed]);
    await page.getByTestId("diff-count-changed").click();
    await page.waitForURL(/change=changed/);
    const row = page.locator("tr", { hasText: "RAD.CT" });
    await row.locator("del", { hasText: "Компьютерный томограф" }).waitFor();
    await row.locator("ins", { hasText: `Компьютерный томограф (ред. ${run})` }).waitFor();
    // The table keeps the unfiltered rows on screen until the filtered page arrives (and the
    // busy mark may come and go before we look): wait for the filtered rows themselves.
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="diff-status"]').length === n,
      result.changed,
      { timeout: 10_000 },
    ).catch(() => {});
    assert.equal(await page.getByTestId("diff-status").count(), result.changed, "only changed rows listed");
    await shot("nsi-diff.png");
  });

  await step("entries on the new version's date come from it; today's from the old one", async () => {
    await page.getByRole("link", { name: DICTIONARY, exact: true }).click();
    await page.getByRole("cell", { name: version, exact: true }).waitFor();
    await page.getByLabel("На дату").fill(validFrom);
    await page.waitForURL(new RegExp(`on=${validFrom}`));
    await page.getByTestId("entries-version").getByText(`версии ${version}`).waitFor();
    await page.getByRole("searchbox", { name: "Поиск по коду или наименованию" }).fill("RAD.E2E00000");
    await page.getByRole("button", { name: "Найти" }).click();
    await page.getByRole("link", { name: "RAD.E2E000001", exact: true }).waitFor();
    await shot("nsi-entries-on-date.png");
    const today = new Date().toISOString().slice(0, 10);
    await page.getByLabel("На дату").fill(today);
    await page.getByTestId("entries-version").getByText(`версии ${seedVersion} `).waitFor();
    await page.getByText("Записей не найдено.").waitFor();
  });

  await step("«Задания» lists the import as done and opens it", async () => {
    await menuLink(page, "Задания").click();
    await page.waitForURL(/\/jobs$/);
    const row = page.locator("tr", { hasText: `версия ${version}` });
    await row.getByTestId("job-status").getByText("Готово").waitFor();
    await shot("jobs.png");
    await row.getByRole("link").click();
    await page.waitForURL(/\/jobs\/registry\/[0-9a-f-]{36}$/);
    await page.locator('[data-testid="job-progress"][data-status="succeeded"]').waitFor();
    await page.getByRole("button", { name: fileName }).waitFor(); // the uploaded file, downloadable
    await shot("job.png");
  });

  console.log(`\n${done.length} steps passed; screenshots in ${artifacts}`);
} catch (error) {
  await screenshotFailures(browser, "jobs-failure");
  console.error(error);
  process.exitCode = 1;
} finally {
  await browser.close();
}
