import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const PERSON = "0b9c4a52-8f0e-5c1e-9a55-1d2b3c4d5e6f";
const DOCTOR = me("doctor", ["doctor"], ["pharmacy.beneficiary:read", "pharmacy.prescription:read"], "mo");
const CATEGORIES = [
  { code: "082", kind: "onls", name: "Инвалиды II группы", funding_source: "federal", drug_list_code: "onls", discount_percent: 100, icd10: [], in_kind_refusable: true, basis: "" },
  { code: "r-diabetes", kind: "regional_disease", name: "Сахарный диабет", funding_source: "regional", drug_list_code: "regional", discount_percent: 100, icd10: ["E11"], in_kind_refusable: false, basis: "" },
];
const CARD = {
  id: "b1",
  person_id: PERSON,
  surname: "Иванов",
  first_name: "Иван",
  patronymic: "Иванович",
  birth_date: "1980-05-14",
  sex: "male",
  snils_masked: "***-***-*** 95",
  enp_masked: "************0012",
  home_region: null,
  temporary_until: null,
  death_date: null,
  entitlements: [
    { id: "e1", category_code: "082", valid_from: "2019-03-01", valid_to: null, source: "demo", document_kind: "Справка МСЭ", document_series: "МСЭ-2019", document_number: "123456", document_date: "2019-02-20", document_issuer: "Бюро МСЭ № 3" },
    { id: "e2", category_code: "r-diabetes", valid_from: "2021-06-01", valid_to: "2022-06-01", source: "demo" },
  ],
  refused_years: [2024],
  diagnoses: [{ icd10: "E11.9", since: "2021-06-01" }],
};

describe("beneficiaries", () => {
  it("lists the register with masked SNILS and opens the card", async () => {
    const { user } = await renderApp({
      as: DOCTOR,
      path: "/pharmacy/beneficiaries",
      routes: {
        [`GET ${P}/benefit-categories`]: { status: 200, body: CATEGORIES },
        [`GET ${P}/beneficiaries`]: {
          status: 200,
          body: { items: [{ id: "b1", person_id: PERSON, surname: "Иванов", first_name: "Иван", patronymic: "Иванович", birth_date: "1980-05-14", snils_masked: "***-***-*** 95", home_region: null, categories_on: ["082"] }], total: 1, limit: 25, offset: 0 },
        },
        [`GET ${P}/beneficiaries/${PERSON}`]: { status: 200, body: CARD },
        [`GET ${P}/drug-lists`]: { status: 200, body: [] },
        [`GET ${P}/prescriptions`]: { status: 200, body: { items: [], total: 0, limit: 10, offset: 0 } },
      },
    });
    const table = await screen.findByRole("table", { name: "Льготники" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("***-***-*** 95");
    expect(row.textContent).toContain("14.05.1980");
    await user.click(within(row).getByRole("link", { name: "Иванов Иван Иванович" }));
    expect(await screen.findByRole("heading", { name: "Иванов Иван Иванович" })).toBeTruthy();
  });

  it("shows the card's benefits, refusals, history and checks the entitlement on a date", async () => {
    const { user, requests } = await renderApp({
      as: DOCTOR,
      path: `/pharmacy/beneficiaries/${PERSON}`,
      routes: {
        [`GET ${P}/benefit-categories`]: { status: 200, body: CATEGORIES },
        [`GET ${P}/beneficiaries/${PERSON}`]: { status: 200, body: CARD },
        [`GET ${P}/drug-lists`]: { status: 200, body: [{ code: "onls", name: "ОНЛС", funding_source: "federal", basis: "", inns: [] }] },
        [`GET ${P}/beneficiaries/${PERSON}/entitlement`]: {
          status: 200,
          body: {
            person_id: PERSON,
            on: "2026-11-24",
            entitled: false,
            categories: [],
            reasons: [{ category_code: "r-diabetes", reason: "expired", message: "Льгота «Сахарный диабет» окончилась 01.06.2022" }],
          },
        },
        [`GET ${P}/prescriptions`]: {
          status: 200,
          body: {
            items: [{ id: "rx1", designation: "Серия 9990001 № 0000041", issued_on: "2026-11-24", inn: "Метформин", dosage_form: "таблетки", dosage: "500 мг", status: "issued" }],
            total: 1,
            limit: 10,
            offset: 0,
          },
        },
      },
    });
    const benefits = await screen.findByRole("table", { name: "Льготы" });
    const rows = within(benefits).getAllByRole("row");
    expect(rows[1]!.textContent).toContain("Справка МСЭ МСЭ-2019 № 123456");
    expect(rows[1]!.textContent).toContain("действует");
    expect(rows[2]!.textContent).toContain("01.06.2021 — 01.06.2022");
    expect(rows[2]!.textContent).toContain("окончилась");
    expect(screen.getByText(/2024 год — денежная компенсация/)).toBeTruthy();
    const history = screen.getAllByRole("listitem").map((li) => li.textContent ?? "");
    expect(history.some((h) => h.includes("01.06.2022") && h.includes("Окончание льготы «r-diabetes Сахарный диабет»"))).toBe(true);
    expect(await screen.findByRole("link", { name: "Серия 9990001 № 0000041" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Все рецепты льготника →" }).getAttribute("href")).toBe(`/pharmacy/prescriptions?person_id=${PERSON}`);

    await user.click(screen.getByRole("button", { name: "Проверить" }));
    await waitFor(() => expect(requests.some((r) => r.key === `GET ${P}/beneficiaries/${PERSON}/entitlement`)).toBe(true));
    expect(await screen.findByText(/Права нет на/)).toBeTruthy();
    expect(screen.getByText("Льгота «Сахарный диабет» окончилась 01.06.2022")).toBeTruthy();
  });

  it("offers a doctor who writes prescriptions «Выписать рецепт» for the person, not a reader", async () => {
    const routes = {
      [`GET ${P}/benefit-categories`]: { status: 200, body: CATEGORIES },
      [`GET ${P}/beneficiaries/${PERSON}`]: { status: 200, body: CARD },
      [`GET ${P}/drug-lists`]: { status: 200, body: [] },
      [`GET ${P}/prescriptions`]: { status: 200, body: { items: [], total: 0, limit: 10, offset: 0 } },
    };
    const writer = me("doctor", ["doctor"], ["pharmacy.beneficiary:read", "pharmacy.prescription:read", "pharmacy.prescription:write"], "mo");
    const view = await renderApp({ as: writer, path: `/pharmacy/beneficiaries/${PERSON}`, routes });
    const link = await screen.findByRole("link", { name: "Выписать рецепт" });
    expect(link.getAttribute("href")).toBe(`/pharmacy/prescriptions/new?person_id=${PERSON}`);
    view.unmount();

    await renderApp({ as: DOCTOR, path: `/pharmacy/beneficiaries/${PERSON}`, routes });
    await screen.findByRole("heading", { name: "Иванов Иван Иванович" });
    expect(screen.queryByRole("link", { name: "Выписать рецепт" })).toBeNull();
  });
});
