/** Server state of dispensing: the presented prescription, scans, the dispense, the deferred list. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/pharmacy";
import { useApi } from "../../../app/auth";

export type PrescriptionAtCounter = components["schemas"]["PrescriptionAtCounter"];
export type BatchChoice = components["schemas"]["BatchChoice"];
export type UnmarkedItem = components["schemas"]["UnmarkedItemIn"];
export type ScanRead = components["schemas"]["ScanRead"];
export type DispenseRead = components["schemas"]["DispenseRead"];
export type DeferredRead = components["schemas"]["DeferredRead"];
export type DeferredKind = components["schemas"]["DeferredIn"]["kind"];

export const dispensingKeys = {
  all: ["pharmacy", "dispensing"] as const,
  prescription: (q: string) => ["pharmacy", "dispensing", "prescription", q] as const,
  deferred: (filters: DeferredFilters, limit: number, offset: number) =>
    ["pharmacy", "dispensing", "deferred", filters, limit, offset] as const,
};

export function usePrescriptionAtCounter(q: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: dispensingKeys.prescription(q ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/dispensing/prescription", { params: { query: { q: q ?? "" } }, signal })),
    enabled: !!q,
    retry: false,
  });
}

export function useScan() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ code, prescriptionId }: { code: string; prescriptionId: string }) =>
      unwrap(api.pharmacy.POST("/dispensing/scan", { body: { code, prescription_id: prescriptionId } })),
  });
}

export function useDispense() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ prescriptionId, codes, items }: { prescriptionId: string; codes?: string[]; items?: UnmarkedItem[] }) =>
      unwrap(
        api.pharmacy.POST("/dispensing/dispenses", {
          body: { prescription_id: prescriptionId, ...(codes ? { codes } : {}), ...(items ? { items } : {}) },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: dispensingKeys.all }),
  });
}

export function useDefer() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ prescriptionId, kind }: { prescriptionId: string; kind: DeferredKind }) =>
      unwrap(api.pharmacy.POST("/dispensing/deferred", { body: { prescription_id: prescriptionId, kind } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: dispensingKeys.all }),
  });
}

export interface DeferredFilters {
  state: "open" | "waiting" | "ready" | "served" | "cancelled" | "all";
  kind: "" | NonNullable<DeferredKind>;
  inn: string;
  overdue: boolean;
}

export function useDeferredList(filters: DeferredFilters, limit: number, offset: number) {
  const api = useApi();
  return useQuery({
    queryKey: dispensingKeys.deferred(filters, limit, offset),
    queryFn: ({ signal }) =>
      unwrap(
        api.pharmacy.GET("/dispensing/deferred", {
          params: {
            query: {
              limit,
              offset,
              state: filters.state,
              ...(filters.kind ? { kind: filters.kind } : {}),
              ...(filters.inn.trim() ? { inn: filters.inn.trim() } : {}),
              ...(filters.overdue ? { overdue: true } : {}),
            },
          },
          signal,
        }),
      ),
    retry: false,
  });
}
