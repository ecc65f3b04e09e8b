/** Server state of the person screens: search, the person on a date, history, match, registration. */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { unwrap, type Api } from "../../../api/client";
import type { components } from "../../../api/generated/registry";
import { networkProblem, toApiProblem } from "../../../api/problem";
import { useApi } from "../../../app/auth";
import { conflictCandidates, type MatchCandidate } from "./reasons";
import type { PersonSearchQuery } from "./searchQuery";

export type PersonSummary = components["schemas"]["PersonSummary"];
export type PersonRead = components["schemas"]["PersonRead"];
export type PersonHistory = components["schemas"]["PersonHistory"];
export type PersonCreate = components["schemas"]["PersonCreate"];
export type MatchRequest = components["schemas"]["MatchRequest"];
export type MatchResult = components["schemas"]["MatchResult"];
export type MergeRead = components["schemas"]["MergeRead"];
export type ExclusionRead = components["schemas"]["ExclusionRead"];

export interface PersonOn {
  on?: string;
  as_of?: string;
}

export const personKeys = {
  all: ["registry", "persons"] as const,
  search: (q: PersonSearchQuery | null) => ["registry", "persons", "search", q] as const,
  person: (id: string, at: PersonOn) => ["registry", "persons", "person", id, at] as const,
  history: (id: string) => ["registry", "persons", "history", id] as const,
  merges: (id: string) => ["registry", "persons", "merges", id] as const,
  exclusions: (id: string) => ["registry", "persons", "exclusions", id] as const,
};

export function usePersonSearch(query: PersonSearchQuery | null) {
  const api = useApi();
  return useQuery({
    queryKey: personKeys.search(query),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/persons", { params: { query: query ?? undefined }, signal })),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}

export function usePerson(id: string, at: PersonOn) {
  const api = useApi();
  return useQuery({
    queryKey: personKeys.person(id, at),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/persons/{person_id}", { params: { path: { person_id: id }, query: at }, signal })),
    placeholderData: keepPreviousData,
    // Others correct the register too: a card opened again reads it again.
    staleTime: 0,
  });
}

export function usePersonHistory(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: personKeys.history(id),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/persons/{person_id}/history", { params: { path: { person_id: id } }, signal })),
    staleTime: 0,
  });
}

/** Merges of a person: only the keepers of the register may list them (403 otherwise). */
export function usePersonMerges(id: string, enabled: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: personKeys.merges(id),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/persons/{person_id}/merges", { params: { path: { person_id: id } }, signal })),
    enabled,
    retry: false,
    staleTime: 0,
  });
}

/** Exclusions of a person from the non-working register by the payer's verification runs. */
export function usePersonExclusions(id: string) {
  const api = useApi();
  return useQuery({
    queryKey: personKeys.exclusions(id),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/persons/{person_id}/exclusions", { params: { path: { person_id: id } }, signal })),
    retry: false,
    staleTime: 0,
  });
}

export function useMatch() {
  const api = useApi();
  return useMutation({
    mutationFn: (body: MatchRequest) => unwrap(api.registry.POST("/persons/$match", { body })),
  });
}

export type Registration = { kind: "created"; person: PersonRead } | { kind: "duplicates"; detail: string | null; candidates: MatchCandidate[] };

/**
 * POST /persons: the created person, or — a 409 `probable-duplicate` — the candidates the
 * register found (the problem's `candidates` member, which `unwrap` would drop).
 */
export async function registerPerson(api: Api, body: PersonCreate): Promise<Registration> {
  const result = await api.registry.POST("/persons", { body }).catch((cause: unknown) => {
    throw networkProblem(cause);
  });
  const { response } = result;
  if (response.ok && result.data) return { kind: "created", person: result.data };
  const candidates = response.status === 409 ? conflictCandidates(result.error) : null;
  if (candidates) {
    const problem = toApiProblem(response.status, result.error, response.headers);
    return { kind: "duplicates", detail: problem.detail, candidates };
  }
  throw toApiProblem(response.status, result.error, response.headers);
}

export function useRegisterPerson() {
  const api = useApi();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: PersonCreate) => registerPerson(api, body),
    onSuccess: (r) => {
      if (r.kind === "created") void client.invalidateQueries({ queryKey: ["registry", "duplicates"] });
    },
  });
}

/**
 * The insurers and MOs named in a person's records, by name (GET /persons/{id}/organizations:
 * the organization directory shows most users only their own organization).
 */
export function usePersonOrganizations(personId: string | null | undefined) {
  const api = useApi();
  return useQuery({
    queryKey: ["registry", "persons", "organizations", personId],
    queryFn: async ({ signal }) => {
      const orgs = await unwrap(
        api.registry.GET("/persons/{person_id}/organizations", { params: { path: { person_id: personId ?? "" } }, signal }),
      );
      return new Map(orgs.map((o) => [o.id, o.code ? `${o.name} (${o.code})` : o.name]));
    },
    enabled: Boolean(personId),
    staleTime: 5 * 60_000,
  });
}

/** Names of a small NSI dictionary's entries in force today (document types, equipment types…). */
export function useNsiNames(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: ["registry", "nsi-names", code],
    queryFn: async ({ signal }) => {
      const page = await unwrap(
        api.registry.GET("/nsi/dictionaries/{code}/entries", { params: { path: { code }, query: { limit: 500 } }, signal }),
      );
      return new Map(page.items.map((e) => [e.code, e.name]));
    },
    staleTime: 10 * 60_000,
  });
}
