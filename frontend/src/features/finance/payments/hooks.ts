/** Server state of the payment order screens: TanStack Query over the generated client. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components, operations } from "../../../api/generated/finance";
import { useApi } from "../../../app/auth";

export type PaymentOrderRead = components["schemas"]["PaymentOrderRead"];
export type PaymentImportRead = components["schemas"]["PaymentImportRead"];
export type PaymentImportSummary = components["schemas"]["PaymentImportSummary"];
export type OrderQuery = NonNullable<operations["payment_order-list"]["parameters"]["query"]>;

export const paymentKeys = {
  all: ["finance", "payments"] as const,
  list: (query: OrderQuery) => ["finance", "payments", "list", query] as const,
  one: (id: string) => ["finance", "payments", "one", id] as const,
  imports: ["finance", "payments", "imports"] as const,
  import: (id: string) => ["finance", "payments", "imports", id] as const,
};

export function useOrders(query: OrderQuery) {
  const api = useApi();
  return useQuery({
    queryKey: paymentKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.finance.GET("/payment-orders", { params: { query }, signal })),
    placeholderData: (previous) => previous,
    retry: false,
  });
}

export function useOrder(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: paymentKeys.one(id),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/payment-orders/{order_id}", { params: { path: { order_id: id } }, signal })),
    retry: false,
  });
}

export function useImports() {
  const api = useApi();
  return useQuery({
    queryKey: paymentKeys.imports,
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/payment-orders/imports", { params: { query: { limit: 10 } }, signal })),
    retry: false,
  });
}

export function useImport(id: string | null) {
  const api = useApi();
  return useQuery({
    queryKey: paymentKeys.import(id ?? ""),
    queryFn: ({ signal }) =>
      unwrap(api.finance.GET("/payment-orders/imports/{import_id}", { params: { path: { import_id: id! } }, signal })),
    enabled: id !== null,
    retry: false,
  });
}

export function useDecideImport() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, apply }: { id: string; apply: boolean }) =>
      unwrap(
        apply
          ? api.finance.POST("/payment-orders/imports/{import_id}/apply", { params: { path: { import_id: id } } })
          : api.finance.POST("/payment-orders/imports/{import_id}/discard", { params: { path: { import_id: id } } }),
      ),
    onSuccess: (data) => {
      client.setQueryData(paymentKeys.import(data.id), data);
      void client.invalidateQueries({ queryKey: paymentKeys.all });
    },
  });
}

/** The list's query string for an export link (the same filters, the export's format). */
export function exportUrl(query: OrderQuery, format: "1c" | "csv" | "xlsx"): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "" || key === "limit" || key === "offset") continue;
    search.set(key, String(value));
  }
  search.set("format", format);
  return `/api/finance/payment-orders/export?${search.toString()}`;
}
