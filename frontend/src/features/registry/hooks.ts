/** Server state of the NSI screens: TanStack Query over the generated registry client. */
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { unwrap } from "../../api/client";
import type { components, operations } from "../../api/generated/registry";
import { useApi } from "../../app/auth";

/**
 * NSI answers carry `Cache-Control: private, max-age=60` with an ETag. The SPA keeps its own
 * cache (TanStack Query), so it asks the browser to revalidate (If-None-Match → 304, no body)
 * instead of reusing a copy that may predate an import made a moment ago.
 */
const REVALIDATE: RequestCache = "no-cache";

export type DictionaryRead = components["schemas"]["DictionaryRead"];
export type DictionaryDetail = components["schemas"]["DictionaryDetail"];
export type VersionRead = components["schemas"]["VersionRead"];
export type EntryRead = components["schemas"]["EntryRead"];
export type EntryDetail = components["schemas"]["EntryDetail"];
export type DiffRow = components["schemas"]["DiffRow"];
export type DiffPage = components["schemas"]["DiffPage"];
export type EntrySnapshot = components["schemas"]["EntrySnapshot"];
export type DiffStatus = DiffRow["status"];

type Query<Op extends keyof operations> = NonNullable<operations[Op]["parameters"]["query"]>;
export type EntryQuery = Query<"nsi-list_entries">;
export type EntryDetailQuery = Query<"nsi-get_entry">;
export type DiffQuery = Query<"nsi-diff_versions">;

export const nsiKeys = {
  all: ["registry", "nsi"] as const,
  dictionaries: ["registry", "nsi", "dictionaries"] as const,
  dictionary: (code: string) => ["registry", "nsi", "dictionary", code] as const,
  entries: (code: string, q: EntryQuery) => ["registry", "nsi", "entries", code, q] as const,
  entry: (code: string, entry: string, q: EntryDetailQuery) => ["registry", "nsi", "entry", code, entry, q] as const,
  diff: (code: string, q: DiffQuery) => ["registry", "nsi", "diff", code, q] as const,
};

export function useDictionaries() {
  const api = useApi();
  return useQuery({
    queryKey: nsiKeys.dictionaries,
    queryFn: ({ signal }) => unwrap(api.registry.GET("/nsi/dictionaries", { signal, cache: REVALIDATE })),
  });
}

export function useDictionary(code: string) {
  const api = useApi();
  return useQuery({
    queryKey: nsiKeys.dictionary(code),
    queryFn: ({ signal }) => unwrap(api.registry.GET("/nsi/dictionaries/{code}", { params: { path: { code } }, signal, cache: REVALIDATE })),
  });
}

export function useEntries(code: string, query: EntryQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: nsiKeys.entries(code, query),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/nsi/dictionaries/{code}/entries", { params: { path: { code }, query }, signal, cache: REVALIDATE })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useEntry(code: string, entryCode: string | null, query: EntryDetailQuery) {
  const api = useApi();
  return useQuery({
    queryKey: nsiKeys.entry(code, entryCode ?? "", query),
    queryFn: ({ signal }) =>
      unwrap(
        api.registry.GET("/nsi/dictionaries/{code}/entries/{entry_code}", {
          params: { path: { code, entry_code: entryCode ?? "" }, query },
          signal,
          cache: REVALIDATE,
        }),
      ),
    enabled: entryCode !== null,
  });
}

export function useDiff(code: string, query: DiffQuery, enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: nsiKeys.diff(code, query),
    queryFn: ({ signal }) =>
      unwrap(api.registry.GET("/nsi/dictionaries/{code}/diff", { params: { path: { code }, query }, signal, cache: REVALIDATE })),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** After an import: every NSI list may show the new version. */
export function useInvalidateNsi() {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: nsiKeys.all }), [client]);
}

/** The import endpoint (raw file body, see components/FileUpload), relative to the origin. */
export function importUrl(code: string, version: string, validFrom: string): string {
  const query = new URLSearchParams({ version, valid_from: validFrom });
  return `/api/registry/nsi/dictionaries/${encodeURIComponent(code)}/imports?${query}`;
}
