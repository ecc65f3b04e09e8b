/** Server state of prescriptions: the page, one prescription, the form's offers (forms and terms, the drugs for a person), issue, cancel, copy; the beneficiary search of the form. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap } from "../../../api/client";
import type { components } from "../../../api/generated/pharmacy";
import { useApi } from "../../../app/auth";

export type PrescriptionSummary = components["schemas"]["PrescriptionSummary"];
export type PrescriptionRead = components["schemas"]["PrescriptionRead"];
export type PrescriptionIn = components["schemas"]["PrescriptionIn"];
export type DrugOptions = components["schemas"]["DrugOptions"];
export type DrugOption = components["schemas"]["DrugOption"];
export type FormOption = components["schemas"]["FormOption"];
export type BeneficiarySummary = components["schemas"]["BeneficiarySummary"];

export const rxKeys = {
  all: ["pharmacy", "prescriptions"] as const,
  page: (query: Record<string, string | number>) => ["pharmacy", "prescriptions", "page", query] as const,
  one: (id: string) => ["pharmacy", "prescriptions", "one", id] as const,
  options: (personId: string, on: string) => ["pharmacy", "prescriptions", "options", personId, on] as const,
};

export function usePrescriptions(query: Record<string, string | number>) {
  const api = useApi();
  return useQuery({
    queryKey: rxKeys.page(query),
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/prescriptions", { params: { query: query as never }, signal })),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function usePrescription(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: rxKeys.one(id),
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/prescriptions/{prescription_id}", { params: { path: { prescription_id: id } }, signal })),
    retry: false,
  });
}

export function useForms() {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "prescriptions", "forms"],
    queryFn: ({ signal }) => unwrap(api.pharmacy.GET("/prescriptions/forms", { signal })),
    staleTime: 60 * 60_000,
  });
}

export function useDrugOptions(personId: string | null, on: string) {
  const api = useApi();
  return useQuery({
    queryKey: rxKeys.options(personId ?? "", on),
    queryFn: ({ signal }) =>
      unwrap(api.pharmacy.GET("/prescriptions/drug-options", { params: { query: { person_id: personId ?? "", on } }, signal })),
    enabled: personId !== null,
    retry: false,
  });
}

/** Beneficiaries by the start of the name, or one by the person's id. */
export function useBeneficiarySearch(query: { person_id: string } | { q: string } | null) {
  const api = useApi();
  return useQuery({
    queryKey: ["pharmacy", "prescriptions", "beneficiary-search", query],
    queryFn: async ({ signal }): Promise<BeneficiarySummary[]> => {
      if (query && "person_id" in query) {
        const card = await unwrap(
          api.pharmacy.GET("/beneficiaries/{person_id}", { params: { path: { person_id: query.person_id } }, signal }),
        );
        return [
          {
            id: card.id,
            person_id: card.person_id,
            surname: card.surname,
            first_name: card.first_name,
            patronymic: card.patronymic,
            birth_date: card.birth_date,
            snils_masked: card.snils_masked,
            home_region: card.home_region,
            categories_on: [],
          },
        ];
      }
      const page = await unwrap(
        api.pharmacy.GET("/beneficiaries", { params: { query: { q: query?.q ?? "", limit: 10 } as never }, signal }),
      );
      return page.items;
    },
    enabled: query !== null,
    retry: false,
    placeholderData: keepPreviousData,
  });
}

export function useIssue() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PrescriptionIn) => unwrap(api.pharmacy.POST("/prescriptions", { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: rxKeys.all }),
  });
}

export function useCancel(id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      unwrap(
        api.pharmacy.POST("/prescriptions/{prescription_id}/cancel", {
          params: { path: { prescription_id: id } },
          body: { reason },
        }),
      ),
    onSuccess: (read) => {
      client.setQueryData(rxKeys.one(id), read);
      void client.invalidateQueries({ queryKey: rxKeys.all });
    },
  });
}

export function useCopy(id: string) {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: components["schemas"]["CopyIn"]) =>
      unwrap(
        api.pharmacy.POST("/prescriptions/{prescription_id}/copy", { params: { path: { prescription_id: id } }, body }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: rxKeys.all }),
  });
}
