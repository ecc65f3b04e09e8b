/** Server state of the classification review: the list, decisions, bulk confirm, the model. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";

export type ReviewItem = components["schemas"]["ReviewItem"];
export type ReviewPage = components["schemas"]["ReviewPage"];
export type ClassifierRead = components["schemas"]["ClassifierRead"];
export type DecisionIn = components["schemas"]["DecisionIn"];
export type DecisionRead = components["schemas"]["DecisionRead"];

export interface ReviewQuery {
  mo_id?: string;
  order: "confidence" | "amount";
  limit: number;
  offset: number;
}

export const reviewKeys = {
  all: ["finance", "classification"] as const,
  list: (q: ReviewQuery) => ["finance", "classification", "review", q] as const,
  model: ["finance", "classification", "model"] as const,
  decisions: (id: string) => ["finance", "classification", "decisions", id] as const,
};

export function useDecisions(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.decisions(id ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/classification/payments/{payment_id}/decisions", { params: { path: { payment_id: id ?? "" } }, signal })),
    enabled: id !== null,
    retry: false,
  });
}

export function useReview(q: ReviewQuery) {
  const api = useApi();
  const query = Object.fromEntries(Object.entries(q).filter(([, v]) => v !== "" && v !== undefined)) as ReviewQuery;
  return useQuery({
    queryKey: reviewKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/classification/review", { params: { query }, signal })),
    retry: false,
  });
}

export function useDecide() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: DecisionIn }) =>
      unwrap(
        api.finance.POST("/classification/payments/{payment_id}/decision", {
          params: { path: { payment_id: id } },
          body,
        }),
      ),
    onSettled: () => void client.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

export function useBulkConfirm() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (ids: string[]) => unwrap(api.finance.POST("/classification/review/confirm", { body: { ids } })),
    onSettled: () => void client.invalidateQueries({ queryKey: reviewKeys.all }),
  });
}

export function useModelCard() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.model,
    queryFn: ({ signal }) => unwrap(api.finance.GET("/classification/model", { signal })),
    retry: false,
  });
}

export function useStartTraining() {
  const api = useApi();
  return useMutation({
    mutationFn: () => unwrap(api.finance.POST("/classification/model/trainings")),
  });
}
