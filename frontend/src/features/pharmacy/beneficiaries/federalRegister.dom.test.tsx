import { screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobRead } from "../../../api/jobs";
import { job, jsonResponse } from "../../../components/jobTesting";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";
import { matchingOf } from "./matching";

const P = "/api/pharmacy";
const LOAD_JOB = "0b7c9d4e-0000-4000-8000-0000000000a1";
const MATCH_JOB = "0b7c9d4e-0000-4000-8000-0000000000b2";
const OPERATOR = me("operator", ["registry_operator"], ["pharmacy.beneficiary:read", "pharmacy.beneficiary:write"]);
const PHARMACIST = me("pharmacist", ["pharmacist"], ["pharmacy.beneficiary:read"], "pharmacy");
const LIST = {
  [`GET ${P}/benefit-categories`]: { status: 200, body: [] },
  [`GET ${P}/beneficiaries`]: { status: 200, body: { items: [], total: 0, limit: 25, offset: 0 } },
};

/** JobProgress follows a job through the global fetch (its stream, then the job): it ended. */
function jobsServe(...jobs: JobRead[]) {
  vi.stubGlobal("fetch", async (request: Request) => {
    const path = new URL(request.url).pathname;
    const found = jobs.find((j) => path.startsWith(`${P}/jobs/${j.id}`));
    if (!found) return jsonResponse(404, { title: "Не найдено", status: 404 });
    if (path.endsWith("/events")) {
      return new Response(`event: job\ndata: ${JSON.stringify(found)}\n\n`, { headers: { "Content-Type": "text/event-stream" } });
    }
    return jsonResponse(200, found);
  });
}

describe("the federal register's load and matching", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("is offered from the register to who may load it only", async () => {
    const { user } = await renderApp({ as: OPERATOR, path: "/pharmacy/beneficiaries", routes: LIST });
    await user.click(await screen.findByRole("link", { name: "Федеральный регистр: загрузка и сопоставление" }));
    expect(await screen.findByRole("heading", { name: "Федеральный регистр льготников" })).toBeTruthy();
    expect(screen.getByLabelText("Регистр на дату")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Сопоставить с регистром" })).toBeTruthy();
  });

  it("is not offered to a reader", async () => {
    await renderApp({ as: PHARMACIST, path: "/pharmacy/beneficiaries", routes: LIST });
    await screen.findByRole("heading", { name: "Льготники" });
    expect(screen.queryByRole("link", { name: /Федеральный регистр/ })).toBeNull();
  });

  it("shows the load's result and why the matching was not done", async () => {
    const result = {
      load_id: "l1",
      lines: 3,
      new: 2,
      changed: 1,
      ended: 0,
      unchanged: 0,
      refusals: 0,
      problems: 0,
      matching: { status: "unavailable", title: "Регистр застрахованных недоступен", detail: "Нет связи с регистром застрахованных", matched: 0, unmatched: 2, reasons: {} },
    };
    jobsServe(job({ id: LOAD_JOB, kind: "pharmacy.federal_register_load", title: "Загрузка федерального регистра льготников", status: "succeeded", result }));
    await renderApp({ as: OPERATOR, path: `/pharmacy/beneficiaries/federal-register?load=${LOAD_JOB}` });
    const loaded = await screen.findByTestId("load-result");
    const facts = within(loaded).getAllByRole("definition").map((d) => d.textContent);
    expect(facts.slice(0, 3)).toEqual(["3", "2", "1"]);
    const alert = within(loaded).getByRole("alert");
    expect(alert.textContent).toContain("Сопоставление не выполнено");
    expect(alert.textContent).toContain("Регистр застрахованных недоступен");
    expect(alert.textContent).toContain("Нет связи с регистром застрахованных");
    expect(within(loaded).getByTestId("matching-report").textContent).toContain("Льготников без сопоставления: 2");
  });

  it("starts the re-matching, follows the job and offers matching-report.csv", async () => {
    const started = job({ id: MATCH_JOB, kind: "pharmacy.federal_register_match", title: "Сопоставление льготников с регистром застрахованных", status: "queued" });
    const done: JobRead = {
      ...started,
      status: "succeeded" as const,
      stage: "Готово",
      result: { status: "done", title: null, detail: null, matched: 5, unmatched: 6, reasons: { not_found: 3, birth_date_mismatch: 2, ambiguous: 1 } },
      files: [{ id: "f1", role: "output", name: "matching-report.csv", media_type: "text/csv", size: 120, sha256: null, created_at: "2026-01-01T10:00:00Z" }],
    };
    const loaded = job({
      id: LOAD_JOB,
      kind: "pharmacy.federal_register_load",
      title: "Загрузка федерального регистра льготников",
      status: "succeeded",
      result: { load_id: "l1", lines: 1, new: 1, changed: 0, ended: 0, unchanged: 0, refusals: 0, problems: 0 },
    });
    jobsServe(loaded);
    const { user, requests } = await renderApp({
      as: OPERATOR,
      path: `/pharmacy/beneficiaries/federal-register?load=${LOAD_JOB}`,
      routes: {
        [`POST ${P}/federal-register/matching`]: { status: 202, body: started },
      },
    });
    await screen.findByTestId("load-result");
    jobsServe(loaded, done);
    await user.click(await screen.findByRole("button", { name: "Сопоставить с регистром" }));
    expect(requests.filter((r) => r.key === `POST ${P}/federal-register/matching`)).toHaveLength(1);
    const report = await screen.findByRole("region", { name: "Итог сопоставления по СНИЛС" }, { timeout: 3000 });
    const rows = within(report)
      .getAllByRole("term")
      .map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`);
    expect(rows).toEqual(["Сопоставлено: 5", "Не найдено в регистре: 3", "Не совпала дата рождения: 2", "Несколько лиц с этим СНИЛС: 1"]);
    await waitFor(() => expect(screen.getByRole("button", { name: /Отчёт о сопоставлении \(CSV\)/ })).toBeTruthy());
    // the load's result stays beside the re-matching's
    expect(window.location.search).toBe(`?load=${LOAD_JOB}&match=${MATCH_JOB}`);
    expect(screen.getByTestId("load-result")).toBeTruthy();
  });

  it("shows why the re-matching could not start", async () => {
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/pharmacy/beneficiaries/federal-register",
      routes: {
        [`POST ${P}/federal-register/matching`]: { status: 403, body: { title: "Недостаточно прав", status: 403, detail: "Нужно право pharmacy.beneficiary:write" } },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Сопоставить с регистром" }));
    expect((await screen.findByRole("alert")).textContent).toContain("pharmacy.beneficiary:write");
  });
});

describe("matchingOf", () => {
  it("reads the report and refuses what is not one", () => {
    expect(matchingOf({ status: "done", matched: 1, unmatched: 2, reasons: { not_found: 2, ambiguous: 0, bogus: 4 } })).toEqual({
      status: "done",
      title: null,
      detail: null,
      matched: 1,
      unmatched: 2,
      reasons: { not_found: 2 },
    });
    expect(matchingOf({ status: "weird" })).toBeNull();
    expect(matchingOf(null)).toBeNull();
  });
});
