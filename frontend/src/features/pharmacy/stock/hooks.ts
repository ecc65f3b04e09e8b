/** Server state of the stock pages: TanStack Query over the generated pharmacy client. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components, operations } from "../../../api/generated/pharmacy";
import { useApi } from "../../../app/auth";

export type StockRow = components["schemas"]["StockRow"];
export type StockCard = components["schemas"]["StockCard"];
export type CardMovement = components["schemas"]["CardMovement"];
export type DocumentRead = components["schemas"]["DocumentRead"];
export type InventoryRead = components["schemas"]["InventoryRead"];
export type PackageRead = components["schemas"]["MarkedPackageRead"];
export type ReceiptIn = components["schemas"]["ReceiptIn"];
export type WriteOffIn = components["schemas"]["WriteOffIn"];
export type TransferIn = components["schemas"]["TransferIn"];
export type ReturnIn = components["schemas"]["ReturnIn"];
export type Counterparty = components["schemas"]["CounterpartyRead"];
export type InventoryLinesIn = components["schemas"]["InventoryLinesIn"];
export type StockQuery = NonNullable<operations["stock-list"]["parameters"]["query"]>;

export const stockKeys = {
  all: ["pharmacy", "stock"] as const,
  list: (q: StockQuery) => ["pharmacy", "stock", "list", q] as const,
  card: (pharmacyId: string, drugId: string) => ["pharmacy", "stock", "card", pharmacyId, drugId] as const,
  pharmacies: ["pharmacy", "stock", "pharmacies"] as const,
  counterparties: ["pharmacy", "stock", "counterparties"] as const,
  inventory: (id: string) => ["pharmacy", "stock", "inventory", id] as const,
  package: (code: string) => ["pharmacy", "stock", "package", code] as const,
};

export function useStock(query: StockQuery) {
  const api = useApi();
  return useQuery({
    queryKey: stockKeys.list(query),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/stock", { params: { query }, signal })),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** The pharmacies the caller sees (a select only when there are several). */
export function usePharmacies(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: stockKeys.pharmacies,
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/pharmacies", { params: { query: { limit: 500, sort: "name" } }, signal })),
    retry: false,
    enabled,
    staleTime: 5 * 60_000,
  });
}

/** Where a transfer or a return can go: the region's other pharmacies and warehouses (the
 * pharmacies' list is scoped to the pharmacist's own, this one is not — codes and names only). */
export function useCounterparties(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: stockKeys.counterparties,
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/stock/counterparties", { signal })),
    retry: false,
    enabled,
    staleTime: 5 * 60_000,
  });
}

export const CARD_PAGE = 200;

/** The card's movements: the latest page first (`offset` null), then the page asked for. */
export function useCard(pharmacyId: string, drugId: string, offset: number | null) {
  const api = useApi();
  const query = offset === null ? { limit: CARD_PAGE, last: true } : { limit: CARD_PAGE, offset };
  return useQuery({
    queryKey: [...stockKeys.card(pharmacyId, drugId), query],
    queryFn: ({ signal }) =>
      unwrap(
        api.pharmacy.GET("/stock/cards/{pharmacy_id}/{drug_id}", {
          params: { path: { pharmacy_id: pharmacyId, drug_id: drugId }, query },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function usePackage(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: stockKeys.package(code),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/stock/packages/{code}", { params: { path: { code } }, signal })),
    retry: false,
    enabled: code.length > 0,
  });
}

export function exportUrl(query: StockQuery): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "" || key === "limit" || key === "offset") continue;
    search.set(key, String(value));
  }
  return `/api/pharmacy/stock/export.xlsx?${search.toString()}`;
}

function useInvalidate() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: stockKeys.all });
}

export function useReceipt() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ReceiptIn) => unwrap(api.pharmacy.POST("/stock/receipts", { body })),
    onSuccess: invalidate,
  });
}

export function useWriteOff() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: WriteOffIn) => unwrap(api.pharmacy.POST("/stock/write-offs", { body })),
    onSuccess: invalidate,
  });
}

export function useTransfer() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: TransferIn) => unwrap(api.pharmacy.POST("/stock/transfers", { body })),
    onSuccess: invalidate,
  });
}

export function useReturn() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (body: ReturnIn) => unwrap(api.pharmacy.POST("/stock/returns", { body })),
    onSuccess: invalidate,
  });
}

export function useStartInventory() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: components["schemas"]["InventoryCreate"]) =>
      unwrap(api.pharmacy.POST("/stock/inventories", { body })),
  });
}

export function useCountInventory() {
  const api = useApi();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: InventoryLinesIn }) =>
      unwrap(api.pharmacy.POST("/stock/inventories/{document_id}/lines", { params: { path: { document_id: id } }, body })),
  });
}

export function usePostInventory() {
  const api = useApi();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (id: string) =>
      unwrap(api.pharmacy.POST("/stock/inventories/{document_id}/post", { params: { path: { document_id: id } } })),
    onSuccess: invalidate,
  });
}
