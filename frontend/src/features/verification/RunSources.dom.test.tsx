import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../test/renderApp";
import { sourcesUsed } from "./runView";
import { OPERATOR, RUN, RUN_ID, page } from "./testing";

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

function routes(run: typeof RUN) {
  return {
    [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: run },
    [`GET ${V}/tariffs`]: { status: 200, body: [] },
    [`GET ${V}/runs/${RUN_ID}/rejections`]: page([]),
    [`GET ${V}/runs/${RUN_ID}/outcomes`]: page([]),
  };
}

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
});
