/**
 * The person search form ↔ the URL ↔ the API's query. The register searches one way per
 * request (person/search.py): SNILS, ENP, policy, document, or name with birth date. The
 * URL holds only the fields of the chosen way, so a search can be linked and reloaded.
 */
import { snilsDigits } from "./format";

export type SearchMode = "name" | "snils" | "enp" | "policy" | "document";
export const SEARCH_MODES: readonly SearchMode[] = ["name", "snils", "enp", "policy", "document"];

export const MODE_FIELDS: Record<SearchMode, readonly SearchField[]> = {
  name: ["surname", "first_name", "patronymic", "birth_date"],
  snils: ["snils"],
  enp: ["enp"],
  policy: ["policy"],
  document: ["document_type", "document_series", "document_number"],
};

export type SearchField =
  | "surname"
  | "first_name"
  | "patronymic"
  | "birth_date"
  | "snils"
  | "enp"
  | "policy"
  | "document_type"
  | "document_series"
  | "document_number";

export type SearchValues = Record<SearchField, string>;

export const EMPTY_VALUES: SearchValues = {
  surname: "",
  first_name: "",
  patronymic: "",
  birth_date: "",
  snils: "",
  enp: "",
  policy: "",
  document_type: "",
  document_series: "",
  document_number: "",
};

/** The way of searching the URL asks for: `mode=`, else the first field present. */
export function modeOf(search: URLSearchParams): SearchMode {
  const asked = search.get("mode");
  if (asked && (SEARCH_MODES as readonly string[]).includes(asked)) return asked as SearchMode;
  return SEARCH_MODES.find((m) => MODE_FIELDS[m].some((f) => search.get(f))) ?? "name";
}

export function valuesOf(search: URLSearchParams): SearchValues {
  const out = { ...EMPTY_VALUES };
  for (const key of Object.keys(out) as SearchField[]) out[key] = search.get(key) ?? "";
  return out;
}

/** URL changes for a submitted form: the fields of `mode` (trimmed), every other one removed. */
export function urlChanges(mode: SearchMode, values: SearchValues): Record<string, string | null> {
  const changes: Record<string, string | null> = { mode, offset: null };
  for (const key of Object.keys(EMPTY_VALUES) as SearchField[]) {
    const value = MODE_FIELDS[mode].includes(key) ? values[key].trim() : "";
    changes[key] = value === "" ? null : key === "snils" ? snilsDigits(value) : value;
  }
  return changes;
}

export interface PersonSearchQuery {
  limit: number;
  offset: number;
  surname?: string;
  first_name?: string;
  patronymic?: string;
  birth_date?: string;
  snils?: string;
  enp?: string;
  policy?: string;
  document_type?: string;
  document_series?: string;
  document_number?: string;
}

/** The API query of the URL's search, or null when nothing has been searched yet. */
export function apiQuery(search: URLSearchParams, paging: { limit: number; offset: number }): PersonSearchQuery | null {
  const mode = modeOf(search);
  const query: PersonSearchQuery = { limit: paging.limit, offset: paging.offset };
  let any = false;
  for (const field of MODE_FIELDS[mode]) {
    const value = search.get(field)?.trim();
    if (value) {
      query[field] = value;
      any = true;
    }
  }
  return any ? query : null;
}
