/** Paging and sorting of a list kept in the URL (?offset=&limit=&sort=), so a page can be linked and reloaded. */
import { useCallback } from "react";
import { useSearchParams } from "react-router-dom";

export interface ListParams {
  limit: number;
  offset: number;
  sort: string | null;
}

export function readListParams(search: URLSearchParams, defaults: { limit?: number; sort?: string | null } = {}): ListParams {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const n = Number.parseInt(search.get(name) ?? "", 10);
    return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
  };
  return {
    limit: int("limit", defaults.limit ?? 25, 1, 500),
    offset: int("offset", 0, 0, Number.MAX_SAFE_INTEGER),
    sort: search.get("sort") ?? defaults.sort ?? null,
  };
}

export function useListParams(defaults: { limit?: number; sort?: string | null } = {}) {
  const [search, setSearch] = useSearchParams();
  const params = readListParams(search, defaults);
  const update = useCallback(
    (changes: Record<string, string | number | null>) => {
      setSearch(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [k, v] of Object.entries(changes)) {
            if (v === null || v === "") next.delete(k);
            else next.set(k, String(v));
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSearch],
  );
  return { params, search, update };
}
