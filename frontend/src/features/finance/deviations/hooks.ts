/** Server state of the deviation list: the page, the acknowledgement, the search job. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";
import { listQuery, type Filters } from "./shape";

export type DeviationRead = components["schemas"]["DeviationRead"];
export type DeviationPage = components["schemas"]["DeviationPage"];

export const deviationKeys = {
  all: ["finance", "deviations"] as const,
  page: (filters: Filters, limit: number, offset: number) => ["finance", "deviations", filters, limit, offset] as const,
};

export function useDeviations(filters: Filters, limit: number, offset: number, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: deviationKeys.page(filters, limit, offset),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/deviations", { params: { query: listQuery(filters, limit, offset) as never }, signal })),
    retry: false,
    enabled,
  });
}

export function useAcknowledge() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, comment }: { id: string; comment: string }) =>
      unwrap(
        api.finance.POST("/deviations/{deviation_id}/acknowledge", {
          params: { path: { deviation_id: id } },
          body: { comment: comment.trim() || null },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: deviationKeys.all }),
  });
}

export function useStartSearch() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.finance.POST("/deviations/searches", { body: {} })),
  });
}
