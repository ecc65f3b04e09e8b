import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const DOCTOR = me("doctor", ["doctor"], ["pharmacy.prescription:read", "pharmacy.prescription:write", "pharmacy.stock:read"], "mo");
const PERSON = "0b9f2c1e-4a8d-4c3e-9f1a-2b3c4d5e6f70";
const NEAR = "11111111-1111-4111-8111-111111111111";
const SMALL = "22222222-2222-4222-8222-222222222222";
const DRUG = "33333333-3333-4333-8333-333333333333";

const FORMS = [
  {
    form: "148-1/у-04(л)",
    title: "148-1/у-04(л) — льготный рецепт",
    validity: [
      { basis: "standard", days: 30, title: "30 дней" },
      { basis: "pensioner_disabled_chronic", days: 90, title: "90 дней: пенсионеры, инвалиды I группы, дети-инвалиды, хронические больные" },
    ],
  },
];
const stock = (id: string, name: string, free: number) => ({
  pharmacy_id: id,
  pharmacy_name: name,
  free,
  free_federal: free,
  free_regional: 0,
  nearest_expiry: "2027-06-30",
});
const OPTIONS = {
  person_id: PERSON,
  on: "2026-11-24",
  entitled: true,
  reasons: [],
  categories: [{ code: "082", name: "Инвалиды II группы", funding_source: "federal", discount_percent: 100, drug_list_code: "onls", icd10: [] }],
  pharmacies: [
    { pharmacy_id: NEAR, pharmacy_name: "Аптека рядом" },
    { pharmacy_id: SMALL, pharmacy_name: "Аптека маленькая" },
  ],
  drugs: [
    {
      drug_id: DRUG,
      inn: "Бисопролол",
      trade_name: "Конкор",
      dosage_form: "таблетки",
      dosage: "5 мг",
      package_quantity: 30,
      categories: ["082"],
      free_total: 7,
      stock: [stock(NEAR, "Аптека рядом", 5), stock(SMALL, "Аптека маленькая", 2)],
    },
  ],
};
const ISSUED = {
  id: "rx-1",
  designation: "Серия 9990001 № 0000012",
  series: "9990001",
  number: 12,
};

describe("the doctor's prescription form", () => {
  it("offers a reservation only where the quantity is free and sends the prescription", async () => {
    const { user, requests } = await renderApp({
      as: DOCTOR,
      path: `/pharmacy/prescriptions/new?person_id=${PERSON}`,
      routes: {
        [`GET ${P}/prescriptions/forms`]: { status: 200, body: FORMS },
        [`GET ${P}/prescriptions/drug-options`]: { status: 200, body: OPTIONS },
        [`POST ${P}/prescriptions`]: { status: 201, body: ISSUED },
        [`GET ${P}/beneficiaries/${PERSON}`]: {
          status: 200,
          body: { id: "b1", person_id: PERSON, surname: "Орлова", first_name: "Анна", patronymic: "Петровна", birth_date: "1950-03-01", snils_masked: null, home_region: null },
        },
      },
    });
    const drugs = await screen.findByRole("radiogroup", { name: "Препарат" });
    expect(await screen.findByText("Орлова Анна Петровна")).toBeTruthy();
    expect(drugs.textContent).toContain("Аптека рядом: свободно 5 уп.; Аптека маленькая: свободно 2 уп.");
    await user.click(within(drugs).getByRole("radio"));
    const quantity = screen.getByLabelText("Количество упаковок");
    await user.clear(quantity);
    await user.type(quantity, "3");
    const reserve = screen.getByLabelText("Резерв в аптеке");
    const offered = within(reserve).getAllByRole("option").map((o) => o.textContent);
    expect(offered).toEqual(["Без резерва", "Аптека рядом — свободно 5 уп."]);
    await user.selectOptions(reserve, NEAR);
    await user.type(screen.getByLabelText("Диагноз (МКБ-10)"), "i10");
    await user.type(screen.getByLabelText("Способ применения (Signa)"), "по 1 таблетке утром");
    await user.click(screen.getByRole("radio", { name: /90 дней/ }));
    await user.click(screen.getByRole("button", { name: "Выписать и подписать" }));
    await waitFor(() => expect(requests.some((r) => r.key === `POST ${P}/prescriptions`)).toBe(true));
    const sent = requests.find((r) => r.key === `POST ${P}/prescriptions`)!.body;
    expect(sent).toMatchObject({
      person_id: PERSON,
      form: "148-1/у-04(л)",
      category_code: "082",
      diagnosis_code: "I10",
      drug_id: DRUG,
      quantity: 3,
      signa: "по 1 таблетке утром",
      validity_basis: "pensioner_disabled_chronic",
      doctor_name: "Пользователь doctor",
      pharmacy_id: NEAR,
    });
    expect(await screen.findByText("Рецепт выписан: Серия 9990001 № 0000012")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Печать" })).toBeTruthy();
  });

  it("shows the refused checks at their fields", async () => {
    const { user } = await renderApp({
      as: DOCTOR,
      path: `/pharmacy/prescriptions/new?person_id=${PERSON}`,
      routes: {
        [`GET ${P}/prescriptions/forms`]: { status: 200, body: FORMS },
        [`GET ${P}/prescriptions/drug-options`]: { status: 200, body: OPTIONS },
        [`POST ${P}/prescriptions`]: {
          status: 422,
          body: {
            type: "urn:oms:problem:prescription-refused",
            title: "Рецепт не выписан: не пройдены проверки",
            status: 422,
            detail: "Нет права на 24.11.2026 по категории «Инвалиды II группы»",
            errors: [
              { field: "body.category_code", type: "not_entitled", message: "Нет права на 24.11.2026 по категории «Инвалиды II группы»" },
            ],
          },
        },
      },
    });
    const drugs = await screen.findByRole("radiogroup", { name: "Препарат" });
    await user.click(within(drugs).getByRole("radio"));
    await user.type(screen.getByLabelText("Диагноз (МКБ-10)"), "I10");
    await user.type(screen.getByLabelText("Способ применения (Signa)"), "по 1 таблетке");
    await user.click(screen.getByRole("button", { name: "Выписать и подписать" }));
    const category = screen.getByLabelText("Категория льготы");
    await waitFor(() => expect(category.getAttribute("aria-invalid")).toBe("true"));
    expect(screen.getByText("Нет права на 24.11.2026 по категории «Инвалиды II группы»")).toBeTruthy();
  });
});

const READ = {
  id: "rx-1",
  form: "148-1/у-06(л)",
  series: "9990001",
  number: 12,
  designation: "Серия 9990001 № 0000012",
  status: "issued",
  issued_on: "2026-11-24",
  valid_until: "2026-12-24",
  mo_id: "org-1",
  mo_code: "90001",
  mo_name: "Поликлиника № 1",
  doctor_subject: "doctor",
  doctor_name: "Иванов И. И.",
  person_id: PERSON,
  patient_full_name: "Орлова Анна Петровна",
  category_code: "082",
  funding_source: "federal",
  discount_percent: 100,
  diagnosis_code: "I10",
  drug_id: DRUG,
  inn: "Бисопролол",
  dosage_form: "таблетки",
  dosage: "5 мг",
  quantity: 2,
  pharmacy_id: NEAR,
  pharmacy_name: "Аптека рядом",
  category_name: "Инвалиды II группы",
  trade_name: "Конкор",
  signa: "по 1 таблетке утром",
  validity_basis: "standard",
  validity_days: 30,
  patient_birth_date: "1950-03-01",
  patient_snils_masked: "***-***-789 **",
  patient_policy_masked: "************1234",
  medical_record_number: "А-123",
  barcode: "9990001/0000012",
  copied_from_id: null,
  cancelled_at: null,
  cancel_reason: null,
  created_at: "2026-11-24T09:00:00Z",
  signature: { valid: true, message: "Подпись верна", algorithm: "ECDSA-P256-SHA256", signed_at: "2026-11-24T09:00:00Z", certificate_subject: "CN=doctor" },
  reservations: [
    { id: "r1", pharmacy_id: NEAR, pharmacy_name: "Аптека рядом", quantity: 2, status: "active", expires_at: "2026-11-29T09:00:00Z", closed_at: null, closed_reason: null },
  ],
  dispense: null,
  deferred: null,
};

describe("one prescription", () => {
  it("shows the prescription and its reservation, and its MO's doctor cancels it with a reason", async () => {
    const cancelled = {
      ...READ,
      status: "cancelled",
      cancelled_at: "2026-11-24T10:00:00Z",
      cancel_reason: "Ошибка в дозировке",
      reservations: [{ ...READ.reservations[0], status: "released" }],
    };
    let current: typeof READ | typeof cancelled = READ;
    const { user, requests } = await renderApp({
      as: DOCTOR,
      path: "/pharmacy/prescriptions/rx-1",
      routes: {
        [`GET ${P}/prescriptions/rx-1`]: () => ({ status: 200, body: current }),
        [`POST ${P}/prescriptions/rx-1/cancel`]: () => {
          current = cancelled;
          return { status: 200, body: cancelled };
        },
      },
    });
    expect(await screen.findByRole("heading", { name: "Рецепт Серия 9990001 № 0000012" })).toBeTruthy();
    expect(document.body.textContent).toContain("Бисопролол (Конкор), таблетки, 5 мг");
    expect(document.body.textContent).toContain("Аптека рядом: 2 уп., действует");
    expect(document.body.textContent).toContain("9990001/0000012");
    expect(screen.getByRole("button", { name: "Печать (PDF)" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Аннулировать" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("Причина"), "Ошибка в дозировке");
    await user.click(within(dialog).getByRole("button", { name: "Аннулировать" }));
    await waitFor(() => expect(requests.some((r) => r.key === `POST ${P}/prescriptions/rx-1/cancel`)).toBe(true));
    expect(requests.find((r) => r.key === `POST ${P}/prescriptions/rx-1/cancel`)!.body).toEqual({ reason: "Ошибка в дозировке" });
    expect(await screen.findByText("Аннулирован")).toBeTruthy();
    expect(document.body.textContent).toContain("снят");
    expect(screen.queryByRole("button", { name: "Аннулировать" })).toBeNull();
  });

  it("offers no copy or cancel to another MO's reader", async () => {
    const FUND = me("fund", ["tfoms_analyst"], ["pharmacy.prescription:read"]);
    await renderApp({
      as: FUND,
      path: "/pharmacy/prescriptions/rx-1",
      routes: { [`GET ${P}/prescriptions/rx-1`]: { status: 200, body: { ...READ, mo_id: "another-mo" } } },
    });
    expect(await screen.findByRole("heading", { name: "Рецепт Серия 9990001 № 0000012" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Выписать копию" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Аннулировать" })).toBeNull();
  });
});
