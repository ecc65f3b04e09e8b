/** Pure helpers of the deviation list: the filters as query parameters, labels, the figures. */

export type Kind = "month_on_month" | "peer_group" | "rule";
export type Status = "new" | "acknowledged";

export interface Filters {
  mo_id: string;
  month: string;
  kind: "" | Kind;
  status: "" | Status;
}

export const NO_FILTERS: Filters = { mo_id: "", month: "", kind: "", status: "new" };

/** Only the filters set, as the list's query parameters (with the page). */
export function listQuery(filters: Filters, limit: number, offset: number): Record<string, string | number> {
  const query: Record<string, string | number> = { limit, offset };
  for (const key of ["mo_id", "month", "kind", "status"] as const) if (filters[key]) query[key] = filters[key];
  return query;
}

/** Filters from the URL's search parameters (unknown values dropped). */
export function filtersFrom(params: URLSearchParams): Filters {
  const kind = params.get("kind");
  const status = params.get("status");
  const month = params.get("month") ?? "";
  return {
    mo_id: params.get("mo_id") ?? "",
    month: /^\d{4}-\d{2}$/.test(month) ? month : "",
    kind: kind === "month_on_month" || kind === "peer_group" || kind === "rule" ? kind : "",
    status: status === null ? NO_FILTERS.status : status === "new" || status === "acknowledged" ? status : "",
  };
}

/** The metric in words (the explanation says the rest). */
export function metricLabel(metric: string): string {
  const known: Record<string, string> = {
    cmi_expense: "Расходы ОМС, всего",
    cmi_211: "Заработная плата (211), ОМС",
    cmi_223: "Коммунальные услуги (223), ОМС",
    cmi_226: "Прочие работы, услуги (226), ОМС",
    cmi_341: "Медикаменты (341), ОМС",
    cmi_342: "Питание (342), ОМС",
    income_cmi: "Поступления ОМС",
    cmi_wages_share: "Доля оплаты труда в расходах ОМС",
    cmi_310_over_limit: "Основные средства (310) из ОМС дороже 100 тыс. ₽",
    payables_growth: "Рост кредиторской задолженности",
    expense_per_bed: "Расходы на койку",
    utilities_per_bed: "Коммунальные услуги на койку",
    cmi_341_per_bed: "Медикаменты на койку",
    wages_cmi_per_bed: "Оплата труда на койку",
    expense_per_attached: "Расходы на прикреплённого",
    utilities_per_attached: "Коммунальные услуги на прикреплённого",
  };
  const name = known[metric];
  if (name) return name;
  const notAllowed = /^cmi_not_allowed_(\d{3})$/.exec(metric);
  if (notAllowed) return `КОСГУ ${notAllowed[1]} из средств ОМС`;
  return metric;
}

/** How a value reads: a share in per cent, a per-unit figure and amounts in rubles. */
export function valueKind(metric: string): "share" | "money" {
  return metric === "cmi_wages_share" ? "share" : "money";
}

/** `|z|` with one decimal for outliers, «—» for rules. */
export function scoreText(score: number | null | undefined): string {
  if (score == null) return "—";
  if (Math.abs(score) >= 999) return score > 0 ? "> 999" : "< −999";
  return score.toFixed(1).replace(".", ",").replace("-", "−");
}

/** Σ of the new ones by kind, for the tiles. */
export function totalNew(byKind: Record<string, number>): number {
  return Object.values(byKind).reduce((s, n) => s + n, 0);
}
