import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const PHARMACIST = me("pharmacist", ["pharmacist"], ["pharmacy.marking:read", "pharmacy.marking:write"], "pharmacy");
const READER = me("analyst", ["tfoms_analyst"], ["pharmacy.marking:read"]);
const base = {
  idempotency_key: "write_off-1",
  operation: "write_off",
  action_id: 552,
  pharmacy_id: "p1",
  dispense_id: null,
  sgtins: ["0460702839304500000000000A1"],
  attempts: 1,
  external_id: "ext-1",
  created_at: "2026-11-24T08:00:00Z",
  sent_at: "2026-11-24T08:00:05Z",
  answered_at: "2026-11-24T08:00:10Z",
  next_attempt_at: null,
};
const REJECTED = { ...base, id: "r1", status: "rejected", error: "Упаковка уже выведена из оборота" };
const ACCEPTED = { ...base, id: "r2", idempotency_key: "write_off-2", status: "accepted", error: null };
const PAGE = { items: [REJECTED, ACCEPTED], total: 2, limit: 50, offset: 0, by_status: { rejected: 1, accepted: 1 } };

describe("marking reports", () => {
  it("shows status chips, the XML with its errors, and resends only a rejected report", async () => {
    const { user, requests } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/marking",
      routes: {
        [`GET ${P}/marking/reports`]: { status: 200, body: PAGE },
        [`GET ${P}/marking/reports/r1`]: {
          status: 200,
          body: {
            ...REJECTED,
            document: '<documents version="1.34"><withdrawal action_id="552"/></documents>',
            ticket: "<documents><result action_id=\"200\"/></documents>",
            errors: [{ code: "sgtin-withdrawn", message: "Упаковка уже выведена из оборота", object_id: "0460702839304500000000000A1" }],
          },
        },
        [`POST ${P}/marking/reports/r1/resend`]: { status: 200, body: { ...REJECTED, status: "queued", attempts: 0, document: "", ticket: null, errors: [] } },
      },
    });
    const table = await screen.findByRole("table", { name: "Маркировка: сведения в МДЛП" });
    const [, rejected, accepted] = within(table).getAllByRole("row");
    expect(rejected!.textContent).toContain("Отклонён");
    expect(rejected!.textContent).toContain("Списание (552)");
    expect(within(accepted!).queryByRole("button", { name: "Отправить повторно" })).toBeNull();
    expect(screen.getByRole("button", { name: "Отклонён: 1" })).toBeTruthy();

    await user.click(within(rejected!).getByRole("button", { name: "XML" }));
    const xml = await screen.findByLabelText<HTMLTextAreaElement>("Документ write_off-1");
    expect(xml.value).toContain('action_id="552"');
    expect(screen.getByText(/Упаковка уже выведена из оборота \(0460702839304500000000000A1\)/)).toBeTruthy();

    await user.click(within(rejected!).getByRole("button", { name: "Отправить повторно" }));
    await waitFor(() => expect(requests.some((r) => r.key === `POST ${P}/marking/reports/r1/resend`)).toBe(true));
    expect(await screen.findByText("Отчёт поставлен в очередь повторно (ключ write_off-1).")).toBeTruthy();
  });

  it("offers no resend to a reader and filters by a status chip", async () => {
    const seen: string[] = [];
    const { user } = await renderApp({
      as: READER,
      path: "/pharmacy/marking",
      routes: {
        [`GET ${P}/marking/reports`]: (request: Request) => {
          seen.push(new URL(request.url).search);
          return { status: 200, body: PAGE };
        },
      },
    });
    await screen.findByRole("table", { name: "Маркировка: сведения в МДЛП" });
    expect(screen.queryByRole("button", { name: "Отправить повторно" })).toBeNull();
    await user.click(screen.getByRole("button", { name: "Отклонён: 1" }));
    await waitFor(() => expect(seen.some((q) => q.includes("status=rejected"))).toBe(true));
  });
});
