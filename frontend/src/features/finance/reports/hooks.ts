/** Server state of the report forms: TanStack Query over the generated client. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components, operations } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";

export type ReportRead = components["schemas"]["ReportRead"];
export type ReportSummary = components["schemas"]["ReportSummary"];
export type OverdueRead = components["schemas"]["OverdueRead"];
export type HistoryRead = components["schemas"]["HistoryRead"];
export type ConsolidatedRead = components["schemas"]["ConsolidatedRead"];
export type FormCode = components["schemas"]["ReportCreate"]["form"];
export type ReportQuery = NonNullable<operations["reports-list"]["parameters"]["query"]>;
export type CellIn = components["schemas"]["CellIn"];

export const reportKeys = {
  all: ["finance", "reports"] as const,
  list: (q: ReportQuery) => ["finance", "reports", "list", q] as const,
  overdue: ["finance", "reports", "overdue"] as const,
  report: (id: string) => ["finance", "reports", "one", id] as const,
  history: (id: string) => ["finance", "reports", "one", id, "history"] as const,
  template: (form: string, year: number, quarter: number | null) => ["finance", "forms", form, year, quarter] as const,
  consolidated: (form: string, year: number, quarter: number | null) => ["finance", "forms", form, "consolidated", year, quarter] as const,
};

export function useReports(query: ReportQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/reports", { params: { query }, signal })),
    placeholderData: keepPreviousData,
    retry: false,
    enabled,
  });
}

export function useOverdue(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.overdue,
    queryFn: ({ signal }) => unwrap(api.finance.GET("/reports/overdue", { signal })),
    retry: false,
    enabled,
  });
}

export function useReport(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.report(id),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/reports/{report_id}", { params: { path: { report_id: id } }, signal })),
    retry: false,
  });
}

export function useHistory(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.history(id),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/reports/{report_id}/history", { params: { path: { report_id: id } }, signal })),
  });
}

export function useTemplate(form: FormCode | undefined, year: number | undefined, quarter: number | null | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.template(form ?? "", year ?? 0, quarter ?? null),
    queryFn: ({ signal }) =>
      unwrap(
        api.finance.GET("/forms/{form}/template", {
          params: { path: { form: form! }, query: { year, quarter: quarter ?? undefined } },
          signal,
        }),
      ),
    enabled: form !== undefined && year !== undefined,
    staleTime: Infinity,
  });
}

export function useConsolidated(form: FormCode, year: number, quarter: number | null, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: reportKeys.consolidated(form, year, quarter),
    queryFn: ({ signal }) =>
      unwrap(
        api.finance.GET("/forms/{form}/consolidated", {
          params: { path: { form }, query: { year, quarter: quarter ?? undefined } },
          signal,
        }),
      ),
    retry: false,
    enabled,
  });
}

export function useCreateReport() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components["schemas"]["ReportCreate"]) => unwrap(api.finance.POST("/reports", { body })),
    onSuccess: (report) => {
      client.setQueryData(reportKeys.report(report.id), report);
      void client.invalidateQueries({ queryKey: reportKeys.all });
    },
  });
}

/** Every change of a report answers with the report: it replaces the cached one. */
export function useReportAction(id: string) {
  const api = useApi();
  const client = useQueryClient();
  const path = { params: { path: { report_id: id } } };
  const done = (report: ReportRead) => {
    client.setQueryData(reportKeys.report(id), report);
    void client.invalidateQueries({ queryKey: reportKeys.history(id) });
    void client.invalidateQueries({ queryKey: ["finance", "reports", "list"] });
    void client.invalidateQueries({ queryKey: reportKeys.overdue });
  };
  return {
    save: useMutation({
      mutationFn: (body: { values: CellIn[]; expected_revision: number }) =>
        unwrap(api.finance.PATCH("/reports/{report_id}/values", { ...path, body })),
      onSuccess: done,
    }),
    recalculate: useMutation({
      mutationFn: () => unwrap(api.finance.POST("/reports/{report_id}/recalculate", path)),
      onSuccess: done,
    }),
    submit: useMutation({
      mutationFn: (revision: number) =>
        unwrap(api.finance.POST("/reports/{report_id}/submit", { ...path, body: { expected_revision: revision } })),
      onSuccess: done,
      onError: () => void client.invalidateQueries({ queryKey: reportKeys.report(id) }),
    }),
    accept: useMutation({
      mutationFn: () => unwrap(api.finance.POST("/reports/{report_id}/accept", path)),
      onSuccess: done,
    }),
    giveBack: useMutation({
      mutationFn: (comment: string) => unwrap(api.finance.POST("/reports/{report_id}/return", { ...path, body: { comment } })),
      onSuccess: done,
    }),
    comment: useMutation({
      mutationFn: (comment: string) => unwrap(api.finance.POST("/reports/{report_id}/comments", { ...path, body: { comment } })),
      onSuccess: (history) => client.setQueryData(reportKeys.history(id), history),
    }),
  };
}
