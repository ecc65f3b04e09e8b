/** Server state of the control and marking pages. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/pharmacy";
import { useApi } from "../../../app/auth";
import { reportQuery, type Period, type ReportFilters } from "./shape";

export type TraceReportSummary = components["schemas"]["TraceReportSummary"];
export type TraceReportRead = components["schemas"]["TraceReportRead"];
export type ControlSummary = components["schemas"]["ControlSummary"];
export type ControlViolationRead = components["schemas"]["ControlViolationRead"];
export type ActRead = components["schemas"]["ActRead"];
export type ControlRunRead = components["schemas"]["ControlRunRead"];

export const markingKeys = {
  all: ["pharmacy", "marking"] as const,
  page: (f: ReportFilters, limit: number, offset: number) => ["pharmacy", "marking", "page", f, limit, offset] as const,
  one: (id: string) => ["pharmacy", "marking", "one", id] as const,
};

export const controlKeys = {
  all: ["pharmacy", "control"] as const,
  summary: (p: Period) => ["pharmacy", "control", "summary", p] as const,
  violations: (p: Period, code: string, limit: number, offset: number) => ["pharmacy", "control", "violations", p, code, limit, offset] as const,
  acts: (p: Period) => ["pharmacy", "control", "acts", p] as const,
};

export function useReports(f: ReportFilters, limit: number, offset: number) {
  const api = useApi();
  return useQuery({
    queryKey: markingKeys.page(f, limit, offset),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/marking/reports", { params: { query: reportQuery(f, limit, offset) as never }, signal })),
    retry: false,
  });
}

export function useReport(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: markingKeys.one(id ?? ""),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/marking/reports/{report_id}", { params: { path: { report_id: id ?? "" } }, signal })),
    enabled: !!id,
    retry: false,
  });
}

export function useResend() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => unwrap(api.pharmacy.POST("/marking/reports/{report_id}/resend", { params: { path: { report_id: id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: markingKeys.all }),
  });
}

function periodParams(p: Period) {
  return { period_from: p.period_from, period_to: p.period_to, ...(p.pharmacy_id ? { pharmacy_id: p.pharmacy_id } : {}) };
}

export function usePharmacies() {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "organizations"],
    queryFn: async ({ signal }) => {
      const page = await unwrap(api.pharmacy.GET("/organizations", { params: { query: { limit: 500 } }, signal }));
      return page.items.filter((o) => o.kind === "pharmacy").sort((a, b) => (a.code ?? a.name).localeCompare(b.code ?? b.name));
    },
    retry: false,
    staleTime: 300_000,
  });
}

export function useControlSummary(p: Period) {
  const api = useApi();
  return useQuery({
    queryKey: controlKeys.summary(p),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/control/summary", { params: { query: periodParams(p) }, signal })),
    retry: false,
  });
}

export function useViolations(p: Period, code: string, limit: number, offset: number) {
  const api = useApi();
  return useQuery({
    queryKey: controlKeys.violations(p, code, limit, offset),
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/control/violations", { params: { query: { ...periodParams(p), ...(code ? { code } : {}), limit, offset } }, signal })),
    retry: false,
  });
}

export function useActs(p: Period) {
  const api = useApi();
  return useQuery({
    queryKey: controlKeys.acts(p),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/control/acts", { params: { query: { ...periodParams(p), limit: 100 } }, signal })),
    retry: false,
  });
}

export function useStartRun() {
  const api = useApi();
  return useMutation({
    mutationFn: (p: Period) =>
      unwrap(api.pharmacy.POST("/control/runs", { body: { period_from: p.period_from, period_to: p.period_to, pharmacy_id: p.pharmacy_id || null } })),
  });
}

export function useDrawUpAct() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (p: Period) =>
      unwrap(api.pharmacy.POST("/control/acts", { body: { period_from: p.period_from, period_to: p.period_to, pharmacy_id: p.pharmacy_id } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: controlKeys.all }),
  });
}

export function useRefreshControl() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: controlKeys.all });
}
