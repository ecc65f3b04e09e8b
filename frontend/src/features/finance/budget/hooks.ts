/** Server state of the income and expenses screens: TanStack Query over the generated client. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";
import type { CellIn } from "./grid";

export type MonthRead = components["schemas"]["BudgetMonthRead"];
export type YearRead = components["schemas"]["BudgetYearRead"];
export type MoRead = components["schemas"]["MoRead"];
export type ClassifiersRead = components["schemas"]["ClassifiersRead"];
export type ConsolidatedRead = components["schemas"]["BudgetConsolidatedRead"];
export type BudgetUploadRead = components["schemas"]["BudgetUploadRead"];

export const budgetKeys = {
  all: ["finance", "budget"] as const,
  classifiers: ["finance", "budget", "classifiers"] as const,
  mos: ["finance", "budget", "mos"] as const,
  month: (mo: string, month: string) => ["finance", "budget", mo, "month", month] as const,
  year: (mo: string, year: number) => ["finance", "budget", mo, "year", year] as const,
  consolidated: (year: number) => ["finance", "budget", "consolidated", year] as const,
  uploads: (mo: string) => ["finance", "budget", mo, "uploads"] as const,
};

export function useClassifiers() {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.classifiers,
    queryFn: ({ signal }) => unwrap(api.finance.GET("/classifiers", { signal })),
    staleTime: Infinity,
  });
}

export function useMos(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.mos,
    queryFn: ({ signal }) => unwrap(api.finance.GET("/mos", { signal })),
    retry: false,
    enabled,
  });
}

export function useMonth(mo: string, month: string) {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.month(mo, month),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/budget/{mo_id}/months/{month}", { params: { path: { mo_id: mo, month } }, signal })),
    retry: false,
  });
}

export function useYear(mo: string, year: number, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.year(mo, year),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/budget/{mo_id}/year/{year}", { params: { path: { mo_id: mo, year } }, signal })),
    retry: false,
    enabled,
  });
}

export function useConsolidated(year: number, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.consolidated(year),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/budget/consolidated", { params: { query: { year } }, signal })),
    retry: false,
    enabled,
  });
}

export function useUploads(mo: string) {
  const api = useApi();
  return useQuery({
    queryKey: budgetKeys.uploads(mo),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/budget/{mo_id}/uploads", { params: { path: { mo_id: mo } }, signal })),
    retry: false,
  });
}

export function useSaveMonth(mo: string, month: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: CellIn[]) =>
      unwrap(api.finance.PUT("/budget/{mo_id}/months/{month}", { params: { path: { mo_id: mo, month } }, body })),
    onSuccess: (data) => {
      client.setQueryData(budgetKeys.month(mo, month), data);
      void client.invalidateQueries({ queryKey: ["finance", "budget", mo, "year"] });
      void client.invalidateQueries({ queryKey: budgetKeys.mos });
    },
  });
}

export function useDecideUpload(mo: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, apply }: { id: string; apply: boolean }) =>
      unwrap(
        apply
          ? api.finance.POST("/budget/{mo_id}/uploads/{upload_id}/apply", { params: { path: { mo_id: mo, upload_id: id } } })
          : api.finance.POST("/budget/{mo_id}/uploads/{upload_id}/discard", { params: { path: { mo_id: mo, upload_id: id } } }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["finance", "budget", mo] }),
  });
}
