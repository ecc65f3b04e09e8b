/**
 * A table over one server page. Sorting and paging are the server's (`sort`, `limit`,
 * `offset`); this only shows the state and reports clicks. `PagedTable` joins it with the
 * query's loading, empty and error states, the pager and the URL (`useListParams`).
 */
import type { ReactNode } from "react";
import { useI18n } from "../app/i18n";
import { formatNumber } from "../app/format";
import type { ListParams } from "./listParams";
import { nextSort } from "./sort";
import { QueryState } from "./states";

export interface Column<T> {
  key: string;
  header: ReactNode;
  cell: (row: T) => ReactNode;
  /** The API's sort field; the header becomes a button when set. */
  sortField?: string;
  align?: "left" | "right";
}

export function DataTable<T>({
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  busy,
  label,
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: string | null;
  onSort?: (sort: string) => void;
  busy?: boolean;
  /** The table's accessible name (the page heading is usually right). */
  label?: string;
}) {
  return (
    <div className="table-wrap" aria-busy={busy || undefined}>
      <table className="data-table" aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => {
              const field = c.sortField;
              const direction = sort === field ? "ascending" : sort === `-${field}` ? "descending" : undefined;
              return (
                <th
                  key={c.key}
                  scope="col"
                  aria-sort={field ? (direction ?? "none") : undefined}
                  className={c.align === "right" ? "num" : undefined}
                >
                  {field && onSort ? (
                    <button type="button" className="sort" onClick={() => onSort(nextSort(sort ?? null, field))}>
                      {c.header}
                      <span aria-hidden="true">{direction === "ascending" ? " ▲" : direction === "descending" ? " ▼" : ""}</span>
                    </button>
                  ) : (
                    c.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.key} className={c.align === "right" ? "num" : undefined}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Pager({
  total,
  limit,
  offset,
  onChange,
}: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number, limit: number) => void;
}) {
  const { t } = useI18n();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(offset + limit, total);
  return (
    <div className="pager" role="group" aria-label={t("table.paging")}>
      <span>
        {formatNumber(from)}–{formatNumber(to)} {t("table.of")} {formatNumber(total)}
      </span>
      <button type="button" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit), limit)}>
        ← {t("table.prev")}
      </button>
      <button type="button" disabled={offset + limit >= total} onClick={() => onChange(offset + limit, limit)}>
        {t("table.next")} →
      </button>
      <label>
        {t("table.pageSize")}{" "}
        <select value={limit} onChange={(e) => onChange(0, Number(e.target.value))}>
          {[10, 25, 50, 100].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** A server page as the three states, then the table and its pager; sorting and paging in the URL. */
export function PagedTable<T>({
  query,
  columns,
  rowKey,
  params,
  update,
  label,
  empty,
}: {
  query: {
    data: { items: T[]; total: number; limit: number; offset: number } | undefined;
    error: unknown;
    isPending: boolean;
    isFetching: boolean;
    refetch: () => unknown;
  };
  columns: Column<T>[];
  rowKey: (row: T) => string;
  params: ListParams;
  update: (changes: Record<string, string | number | null>) => void;
  label?: string;
  empty?: ReactNode;
}) {
  return (
    <QueryState query={query} isEmpty={(p) => p.total === 0} empty={empty}>
      {(page) => (
        <>
          <DataTable
            columns={columns}
            rows={page.items}
            rowKey={rowKey}
            sort={params.sort}
            onSort={(sort) => update({ sort, offset: null })}
            busy={query.isFetching}
            label={label}
          />
          <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
        </>
      )}
    </QueryState>
  );
}
