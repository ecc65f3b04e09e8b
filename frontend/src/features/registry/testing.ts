/** Data and users of the register's component tests (the fake gateway's answers). */
import { me } from "../../test/fakeGateway";

export const REGISTRAR = me("registrar", ["registry_operator"], [
  "registry.person:read",
  "registry.person:write",
  "registry.attachment:read",
  "registry.mo_passport:read",
]);
// The same role and permissions in an MO: it writes its own persons but keeps no register.
export const MO_REGISTRAR = me("mo-registrar", ["registry_operator"], [
  "registry.person:read",
  "registry.person:write",
  "registry.attachment:read",
  "registry.mo_passport:read",
], "mo");
export const DOCTOR = me("doctor", ["doctor"], ["registry.person:read", "registry.profile:read"], "mo");
export const MINZDRAV = me("minzdrav", ["health_authority"], ["registry.mo_passport:read", "registry.mo_passport:write"], "health_authority");

export const PATIENT_ID = "a30f3219-d58b-5d07-9832-2cd38dc0fdd4";
// A patient's account (gateway/access/roles.py "patient"), bound to their own person.
export const PATIENT = { ...me("patient", ["patient"], ["registry.person:read", "registry.profile:read"], "mo"), person_id: PATIENT_ID };
export const NEW_ID = "7f7ff981-b818-49f2-a21f-a6937b5a0b9a";
export const INSURER_ID = "d1dff4e3-bc64-5de2-a095-44ed948a48f3";
export const MO_ID = "40be4cdf-1e46-5560-99c2-adf1c26ef05f";

export const PATIENT_SUMMARY = {
  id: PATIENT_ID,
  oip: 1000001,
  surname: "Иванов",
  first_name: "Иван",
  patronymic: "Иванович",
  birth_date: "1980-05-14",
  sex: "male",
  snils: "11223344595",
  enp: "9999000000000012",
  death_date: null,
  score: 1,
  birth_date_swapped: false,
} as const;

export const NEW_SUMMARY = { ...PATIENT_SUMMARY, id: NEW_ID, oip: 1003002, snils: null, enp: null, score: null };

export function personRead(over: Record<string, unknown> = {}) {
  return {
    id: PATIENT_ID,
    oip: 1000001,
    requested_id: PATIENT_ID,
    merged_into: null,
    on: "2026-11-24",
    as_of: "2026-11-24T09:00:00Z",
    name: { fact_id: 1, valid_from: "1980-05-14", valid_to: null, surname: "Иванов", first_name: "Иван", patronymic: "Иванович", reason: null },
    sex: "male",
    birth_date: "1980-05-14",
    birth_place: "г. Приозёрск",
    snils: "11223344595",
    enp: "9999000000000012",
    death_date: null,
    documents: [{ fact_id: 6, valid_from: "2005-06-01", valid_to: null, type: "14", series: "99 05", number: "123456", issue_date: "2005-06-01", issuer: null }],
    addresses: [{ fact_id: 12, valid_from: "1980-05-14", valid_to: null, kind: "registration", text: "г. Приозёрск, ул. Ленина, д. 1, кв. 2", fias_id: null, okato: null }],
    contacts: [],
    insurance: { fact_id: 8, valid_from: "2011-05-01", valid_to: null, insurer_id: INSURER_ID, policy_type: "3", policy_series: null, policy_number: "9999000000000012" },
    attachment: { fact_id: 9, valid_from: "2020-01-15", valid_to: null, mo_id: MO_ID, area_code: "01", method: "application", application_date: null },
    employment: "working",
    mother_id: null,
    created_at: "2026-11-24T08:00:00Z",
    ...over,
  };
}

const T0 = "2026-11-24T08:00:00Z";
const T1 = "2026-11-24T08:30:00Z";

export const HISTORY = {
  person_id: PATIENT_ID,
  oip: 1000001,
  facts: [
    { fact_id: 1, kind: "name", slot: "", valid_from: "1980-05-14", valid_to: null, recorded_from: T0, recorded_to: null, data: { surname: "Иванов", first_name: "Иван", patronymic: "Иванович" }, reason: null, recorded_by: "demo-seed" },
    { fact_id: 7, kind: "address", slot: "registration", valid_from: "1980-05-14", valid_to: null, recorded_from: T0, recorded_to: T1, data: { kind: "registration", text: "г. Приозёрск, ул. Ленина, д. 1, кв. 1" }, reason: null, recorded_by: "demo-seed" },
    { fact_id: 12, kind: "address", slot: "registration", valid_from: "1980-05-14", valid_to: null, recorded_from: T1, recorded_to: null, data: { kind: "registration", text: "г. Приозёрск, ул. Ленина, д. 1, кв. 2" }, reason: null, recorded_by: "3ba34c79-9ad9-4649-87a9-d063db533cf4" },
    { fact_id: 8, kind: "insurance", slot: "", valid_from: "2011-05-01", valid_to: null, recorded_from: T0, recorded_to: null, data: { insurer_id: INSURER_ID, policy_number: "9999000000000012", policy_type: "3" }, reason: null, recorded_by: "demo-seed" },
  ],
};

export const ORGANIZATIONS = [
  { id: INSURER_ID, name: "ООО «СМК «Приозёрье-Мед»", kind: "insurer", code: "99001" },
  { id: MO_ID, name: "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»", kind: "mo", code: "990001" },
];

export const REASONS = [
  { field: "surname", level: "exact", weight: 7.5, detail: "Фамилия: совпадает" },
  { field: "birth_date", level: "exact", weight: 14.5, detail: "Дата рождения: совпадает" },
  { field: "snils", level: "disagree", weight: -9, detail: "СНИЛС: различается" },
];

export const page = <T>(items: T[]) => ({ status: 200, body: { items, total: items.length, limit: 25, offset: 0 } });
