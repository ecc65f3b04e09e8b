/** Server state of the dashboards: TanStack Query over the generated client. */
import { useQuery } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";

export type Overview = components["schemas"]["Overview"];
export type Comparison = components["schemas"]["Comparison"];
export type SavingsRead = components["schemas"]["SavingsRead"];

export interface PeriodParams {
  mo_id?: string;
  date_from?: string;
  date_to?: string;
}

export const analyticsKeys = {
  overview: (p: PeriodParams) => ["finance", "analytics", "overview", p] as const,
  comparison: (p: PeriodParams) => ["finance", "analytics", "comparison", p] as const,
  savings: ["finance", "analytics", "savings"] as const,
};

const clean = (p: PeriodParams) => Object.fromEntries(Object.entries(p).filter(([, v]) => v)) as PeriodParams;

export function useOverview(params: PeriodParams) {
  const api = useApi();
  const query = clean(params);
  return useQuery({
    queryKey: analyticsKeys.overview(query),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/analytics/overview", { params: { query }, signal })),
    retry: false,
  });
}

export function useComparison(params: PeriodParams, enabled: boolean) {
  const api = useApi();
  const query = clean({ date_from: params.date_from, date_to: params.date_to });
  return useQuery({
    queryKey: analyticsKeys.comparison(query),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/analytics/comparison", { params: { query }, signal })),
    retry: false,
    enabled,
  });
}

export function useSavings() {
  const api = useApi();
  return useQuery({
    queryKey: analyticsKeys.savings,
    queryFn: ({ signal }) => unwrap(api.finance.GET("/analytics/savings", { signal })),
    retry: false,
  });
}
