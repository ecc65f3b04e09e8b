import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../test/renderApp";
import { sourcesUsed } from "./runView";
import { DEAD_OUTCOME, OPERATOR, RUN, RUN_ID, page } from "./testing";

const V = "/api/verification";
const SCORED = {
  ...RUN,
  counts: {
    ...RUN.counts,
    pairs_zags: 231,
    pairs_sfr: 1204,
    sources_used: { zags: { batches: 2, records: 1250 }, sfr: { batches: 1, records: 30412 }, mvd: { batches: 0, records: 0 } },
  },
};

function routes(run: typeof RUN, outcomes: unknown[] = []) {
  return {
    [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: run },
    [`GET ${V}/tariffs`]: { status: 200, body: [] },
    [`GET ${V}/runs/${RUN_ID}/rejections`]: page([]),
    [`GET ${V}/runs/${RUN_ID}/outcomes`]: page(outcomes),
  };
}

// Dead by the registry's own record (no source record: the evidence names its source).
const REGISTRY_DEATH = {
  ...DEAD_OUTCOME,
  periods: [{ reason: "dead", from: "2025-10-01", to: "2025-12-31", months: 3 }],
  months_excluded: 3,
  evidence: {
    items: [{ reason: "dead", status: "auto", match_probability: 1, kind: "registry.death", source: "Регистр застрахованных (ЕРЗ)", date_from: "2025-09-10" }],
    updates: {},
    duplicate_of: null,
  },
};

describe("the sources a run was checked against", () => {
  it("reads the scoring stage's counts, pairs beside, nothing made up", () => {
    expect(sourcesUsed(SCORED)).toEqual([
      { code: "zags", batches: 2, records: 1250, pairs: 231 },
      { code: "sfr", batches: 1, records: 30412, pairs: 1204 },
      { code: "mvd", batches: 0, records: 0, pairs: null },
    ]);
    expect(sourcesUsed(RUN)).toEqual([]);
    expect(sourcesUsed({ counts: { sources_used: { zags: { batches: "2" } } } })).toEqual([]);
  });

  it("shows each source's answers, records and pairs on the run page", async () => {
    await renderApp({ as: OPERATOR, path: `/verification/runs/${RUN_ID}`, routes: routes(SCORED) });
    const table = await screen.findByRole("table", { name: "Источники в проверке" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => r.textContent)).toEqual(["ЗАГС21\u00a0250231", "СФР130\u00a04121\u00a0204", "МВД00—"]);
  });

  it("shows no such section for a run without these counts", async () => {
    await renderApp({ as: OPERATOR, path: `/verification/runs/${RUN_ID}`, routes: routes(RUN) });
    await screen.findByTestId("run-kpis");
    await waitFor(() => expect(screen.queryByTestId("run-sources")).toBeNull());
  });

  it("names the registry as the source of a death it recorded", async () => {
    const { user } = await renderApp({ as: OPERATOR, path: `/verification/runs/${RUN_ID}`, routes: routes(RUN, [REGISTRY_DEATH]) });
    const table = await screen.findByRole("table", { name: "Итоги по лицам" });
    await user.click(within(table).getByRole("button", { name: "Доказательства" }));
    const item = within(await screen.findByTestId("evidence")).getByTestId("evidence-item");
    expect(item.textContent).toContain("Регистр застрахованных (ЕРЗ): registry.death");
    expect(item.textContent).toContain("100,0 %");
    expect(item.textContent).toContain("10.09.2025");
  });
});
