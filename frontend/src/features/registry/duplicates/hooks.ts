/** The duplicate review queue, merge, unmerge and reject (registry/matching). */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components, operations } from "../../../api/generated/registry";
import { useApi } from "../../../app/auth";

export type DuplicateRead = components["schemas"]["DuplicateRead"];
export type DuplicateStatus = components["schemas"]["DuplicateStatus"];
export type DuplicateSource = components["schemas"]["DuplicateSource"];
export type DuplicateQuery = NonNullable<operations["matching-list-duplicates"]["parameters"]["query"]>;

export function useDuplicates(query: DuplicateQuery) {
  const api = useApi();
  return useQuery({
    queryKey: ["registry", "duplicates", query],
    queryFn: ({ signal }) => unwrap(api.registry.GET("/duplicates", { params: { query }, signal })),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** After a decision every list and person may read differently. */
function useInvalidateRegister() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: ["registry", "duplicates"] }),
      client.invalidateQueries({ queryKey: ["registry", "persons"] }),
    ]);
}

export function useMerge() {
  const api = useApi();
  const invalidate = useInvalidateRegister();
  return useMutation({
    mutationFn: ({ survivorId, mergedId, reason }: { survivorId: string; mergedId: string; reason: string }) =>
      unwrap(api.registry.POST("/persons/{person_id}/merge", { params: { path: { person_id: survivorId } }, body: { merged_id: mergedId, reason } })),
    onSuccess: () => invalidate(),
  });
}

export function useUnmerge() {
  const api = useApi();
  const invalidate = useInvalidateRegister();
  return useMutation({
    mutationFn: ({ mergedId, reason }: { mergedId: string; reason: string }) =>
      unwrap(api.registry.POST("/persons/{person_id}/unmerge", { params: { path: { person_id: mergedId } }, body: { reason } })),
    onSuccess: () => invalidate(),
  });
}

export function useRejectDuplicate() {
  const api = useApi();
  const invalidate = useInvalidateRegister();
  return useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) =>
      unwrap(api.registry.POST("/duplicates/{duplicate_id}/reject", { params: { path: { duplicate_id: id } }, body: { reason } })),
    onSuccess: () => invalidate(),
  });
}

export function useStartScan() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.registry.POST("/duplicates/scans", { body: { min_grade: "probable" } })),
  });
}
