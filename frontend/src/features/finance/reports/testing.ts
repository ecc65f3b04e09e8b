/** A small form, a report of it and users for the report tests (the fake gateway's answers). */
import { me } from "../../../test/fakeGateway";
import type { Template } from "./form";
import type { ReportRead } from "./hooks";

export const ECONOMIST = me("economist", ["mo_economist"], ["finance.report:read", "finance.report:write", "finance.budget:read"], "mo");
export const FUND = me("fund", ["tfoms_analyst"], ["finance.report:read", "finance.report:accept", "finance.budget:read"]);
export const REPORT_ID = "7b1d3c2a-0000-4000-8000-000000000014";

export const TEMPLATE: Template = {
  form: "14F",
  version: "2024",
  valid_from: "2024-01-01",
  valid_to: null,
  title: "Отчёт о поступлении и расходовании средств ОМС",
  short: "14-Ф (ОМС)",
  periodicity: "quarter",
  deadline: "до 10-го числа месяца, следующего за отчётным периодом",
  acceptor: "территориальный фонд ОМС",
  unit: "руб.",
  basis: "",
  notes: [],
  columns: [
    { code: "3", title: "План", formula: null },
    { code: "4", title: "Исполнено", formula: null },
    { code: "5", title: "Не исполнено", formula: "3 - 4" },
  ],
  rows: [
    { code: "01", title: "Остаток на начало года", level: 0, section: "Раздел 1", formula: null, columns: ["4"], manual: ["4"], kosgu: [], flow: null },
    { code: "02", title: "Поступило", level: 0, section: null, formula: null, columns: ["3", "4", "5"], manual: [], kosgu: ["132"], flow: "income" },
    { code: "10", title: "Израсходовано", level: 0, section: "Раздел 2", formula: null, columns: ["3", "4", "5"], manual: [], kosgu: ["211"], flow: "expense" },
    { code: "12", title: "заработная плата", level: 2, section: null, formula: null, columns: ["3", "4", "5"], manual: [], kosgu: ["211"], flow: "expense" },
    { code: "30", title: "Остаток на конец", level: 0, section: null, formula: "01 + 02 - 10", columns: ["4"], manual: [], kosgu: [], flow: null },
  ],
  rules: [
    { code: "К08", text: "стр. 30 гр. 4 ≥ 0", expr: "[30:4] >= 0", message: "Остаток отрицательный", severity: "error", columns: [], rows: [], inter_form: false },
    { code: "К10", text: "", expr: "[10:{c}] <= [10:3]", message: "Исполнение выше плана", severity: "warning", columns: ["4"], rows: [], inter_form: false },
    { code: "К11", text: "", expr: "[12:4] <= 0.85 * [10:4]", message: "Доля оплаты труда выше 85 %", severity: "warning", columns: [], rows: [], inter_form: false },
    { code: "М02", text: "", expr: "[10:4] = [62!02:4]", message: "Расходы не совпадают с формой 62", severity: "error", columns: [], rows: [], inter_form: true },
  ],
};

const cell = (row: string, column: string, value: string | null, kind: ReportRead["cells"][number]["kind"]) => ({ row, column, value, kind });

export const REPORT: ReportRead = {
  id: REPORT_ID,
  form: "14F",
  short: "14-Ф (ОМС)",
  version: "2024",
  mo_id: "org-1",
  mo_name: "ГБУЗ «Заречная ЦРБ»",
  period: { kind: "quarter", year: 2026, quarter: 1, start: "2026-01-01", end: "2026-03-31", label: "I квартал 2026 (январь–март)" },
  status: "draft",
  due_date: "2026-04-10",
  days_overdue: 228,
  submitted_late: false,
  revision: 3,
  updated_at: "2026-11-24T08:00:00Z",
  submitted_at: null,
  decided_at: null,
  comment: null,
  title: TEMPLATE.title,
  created_by: "economist",
  submitted_by: null,
  decided_by: null,
  cells: [
    cell("01", "4", null, "manual"),
    cell("02", "3", "1000.00", "data"),
    cell("02", "4", "900.00", "data"),
    cell("02", "5", "100.00", "column_formula"),
    cell("10", "3", "1000.00", "data"),
    cell("10", "4", "950.00", "data"),
    cell("10", "5", "50.00", "column_formula"),
    cell("12", "3", "900.00", "data"),
    cell("12", "4", "900.00", "data"),
    cell("12", "5", "0.00", "column_formula"),
    cell("30", "4", "-50.00", "row_formula"),
  ],
  violations: [
    {
      code: "К08",
      severity: "error",
      message: "Остаток отрицательный",
      rule: "стр. 30 гр. 4 ≥ 0",
      left: "-50.00",
      right: "0.00",
      cells: [{ form: null, row: "30", column: "4", value: "-50.00" }],
    },
  ],
  errors: 1,
  actions: ["edit", "recalculate", "submit", "comment"],
  live: true,
};
