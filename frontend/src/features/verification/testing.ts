/** Data and users of the verification component tests (the fake gateway's answers). */
import { me } from "../../test/fakeGateway";

export const OPERATOR = me(
  "verifier",
  ["verification_operator"],
  [
    "verification.register:read",
    "verification.register:write",
    "verification.source:read",
    "verification.source:write",
    "verification.run:read",
    "verification.run:write",
    "verification.savings:read",
  ],
  "payer",
);
/** A region-wide reader: runs and savings, nothing to start or upload. */
export const READER = me("minfin", ["finance_authority"], ["verification.run:read", "verification.savings:read"], "finance_authority");

export const RUN_ID = "5d7c7c8e-2f1a-4d7e-9a51-3b8f6f0e9a11";
export const JOB_ID = "0b6a1c52-7f0e-4b7e-8d3c-6c2b1e4f5a77";
export const SUBJECT_ID = "c0a8012e-0000-4000-8000-000000000001";

export const page = <T>(items: T[], total = items.length) => ({ status: 200, body: { items, total, limit: 25, offset: 0 } });

export const RUN = {
  id: RUN_ID,
  organization_id: "9a9d3a4e-1111-4222-8333-444455556666",
  job_id: JOB_ID,
  status: "succeeded",
  stage: null,
  stage_title: "Готово",
  finished_stage: "decisions",
  progress_done: 1,
  progress_total: 1,
  error: null,
  period_from: "2025-01-01",
  period_to: "2025-12-31",
  as_of: "2025-12-31",
  register_source: "file",
  previous_run_id: null,
  counts: {
    entries: 20000,
    rejected_rows: 4,
    months_excluded: 7723,
    outcomes: { keep: 18890, review: 46, update: 80, exclude: 984 },
    excluded_by_reason: { dead: 195, missing: 5, employed: 315, military: 17, duplicate: 400, entrepreneur: 52 },
    review_by_reason: { invalid_document: 46 },
  },
  created_by: "verifier",
  created_at: "2026-11-24T03:00:00Z",
};

export const RUNNING = {
  ...RUN,
  id: "6e8d8d9f-3a2b-4e8f-8b62-4c9a7a1f0b22",
  status: "running",
  stage: "scoring",
  stage_title: "Сопоставление с источниками",
  finished_stage: "blocking",
  counts: { entries: 1000 },
};

export const DEAD_OUTCOME = {
  subject_id: SUBJECT_ID,
  outcome: "exclude",
  reason: "dead",
  reasons: ["dead"],
  periods: [{ reason: "dead", from: "2025-08-01", to: "2025-12-31", months: 5 }],
  months_excluded: 5,
  evidence: {
    items: [
      { reason: "dead", status: "auto", match_probability: 0.9987, kind: "zags.death", record_id: "77", date_from: "2025-07-14", note: null },
    ],
    updates: {},
    duplicate_of: null,
  },
  duplicate_of: null,
  decided_by: "rule",
  person: {
    row_no: 15,
    surname: "Соколова",
    first_name: "Мария",
    patronymic: "Петровна",
    birth_date: "1941-03-09",
    sex: "female",
    snils: "11223344595",
    enp: "5000000000000012",
    doc_type: "14",
    doc_series: "99 05",
    doc_number: "123456",
    address: null,
    district: "07",
  },
};

export const TARIFF_2025 = {
  year: 2025,
  base_tariff: "18864.60",
  appreciation_coefficient: "2.4510",
  differentiation_coefficient: "1.0000",
  legal_basis: "354-ФЗ. ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ",
  per_capita: "46237.13",
  monthly: "3853.09",
  updated_by: "demo",
  updated_at: "2026-11-24T03:00:00Z",
};

export const PAIR_ID = "9f1e2d3c-4b5a-4697-8879-6a5b4c3d2e1f";

export const REVIEW_ITEM = {
  pair_id: PAIR_ID,
  pair_key: "s:abc",
  subject_id: SUBJECT_ID,
  reason: "dead",
  reason_title: "Умер",
  source: "zags",
  match_probability: 0.62,
  match_weight: 1.2,
  status: "review",
  outcome: "review",
  outcome_reason: "dead",
  person: DEAD_OUTCOME.person,
  other_person: null,
  other_subject_id: null,
  source_record: {
    id: "1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
    source: "zags",
    kind: "zags.death",
    external_id: "АЗ-77",
    surname: "Соколова",
    first_name: "Мария",
    patronymic: "Петровна",
    birth_date: "1941-09-03",
    sex: "female",
    snils: null,
    enp: null,
    doc_type: null,
    doc_series: null,
    doc_number: null,
    inn: null,
    district: "07",
    date_from: "2025-07-14",
    date_to: null,
    attributes: {},
  },
  evidence: {
    surname: { level: "совпадает", gamma: 3, weight: 6.1 },
    birth_date: { level: "день и месяц переставлены", gamma: 1, weight: -2.4 },
  },
  decision: null,
  decided_by: null,
  decided_at: null,
  comment: null,
};

export const SAVINGS = {
  run_id: RUN_ID,
  period_from: "2025-01-01",
  period_to: "2025-12-31",
  as_of: "2025-12-31",
  total: { key: null, title: "Итого", persons: 984, months: 7723, amount: "29757414.07" },
  by_reason: [
    { key: "duplicate", title: "Дубликат", persons: 400, months: 4800, amount: "18494832.00" },
    { key: "dead", title: "Умер", persons: 195, months: 1000, amount: "3853090.00" },
  ],
  by_district: [{ key: "07", title: "07", persons: 50, months: 400, amount: "1541236.00" }],
  forecast: { year: 2026, actual_register: 19016, per_capita: "46237.13", amount: "879265264.08", assumption: "", note: null },
  months_without_tariff: 0,
  years_without_tariff: [],
  note: null,
};
