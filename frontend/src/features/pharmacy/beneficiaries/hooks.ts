/** Server state of the register of beneficiaries: categories, drug lists, the page, a card, the entitlement on a date, a person's prescriptions. */
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/pharmacy";
import { useApi } from "../../../app/auth";

export type BeneficiarySummary = components["schemas"]["BeneficiarySummary"];
export type BeneficiaryCard = components["schemas"]["BeneficiaryCard"];
export type CategoryRead = components["schemas"]["CategoryRead"];
export type EntitlementAnswer = components["schemas"]["EntitlementAnswer"];
export type PrescriptionSummary = components["schemas"]["PrescriptionSummary"];

export function useCategories() {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "benefit-categories"],
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/benefit-categories", { signal })),
    staleTime: 10 * 60_000,
  });
}

export function useDrugLists() {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "drug-lists"],
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/drug-lists", { signal })),
    staleTime: 10 * 60_000,
  });
}

export function useBeneficiaries(query: Record<string, string | number | boolean>) {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "beneficiaries", query],
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/beneficiaries", { params: { query: query as never }, signal })),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useBeneficiary(personId: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "beneficiary", personId],
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/beneficiaries/{person_id}", { params: { path: { person_id: personId } }, signal })),
    retry: false,
  });
}

export interface EntitlementAsk {
  on: string;
  drug_list: string;
  diagnosis: string;
}

export function useEntitlement(personId: string, ask: EntitlementAsk | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "beneficiary", personId, "entitlement", ask],
    queryFn: ({ signal }) =>
      unwrap(
        api.pharmacy.GET("/beneficiaries/{person_id}/entitlement", {
          params: {
            path: { person_id: personId },
            query: { on: ask!.on, drug_list: ask!.drug_list || null, diagnosis: ask!.diagnosis.trim().toUpperCase() || null },
          },
          signal,
        }),
      ),
    enabled: ask !== null,
    retry: false,
  });
}

export function usePersonPrescriptions(personId: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "prescriptions", { person_id: personId, limit: 10 }],
    queryFn: ({ signal }) =>
      unwrap(
        api.pharmacy.GET("/prescriptions", {
          params: { query: { person_id: personId, limit: 10, offset: 0, sort: "-issued_on" } },
          signal,
        }),
      ),
    enabled,
    retry: false,
  });
}
