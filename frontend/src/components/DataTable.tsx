/**
 * A table over one server page. Sorting and paging are the server's (`sort`, `limit`,
 * `offset`); this only shows the state and reports clicks.
 */
import type { ReactNode } from "react";
import { useI18n } from "../app/i18n";
import { formatNumber } from "../app/format";
import { nextSort } from "./sort";

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
}: {
  columns: Column<T>[];
  rows: T[];
  rowKey: (row: T) => string;
  sort?: string | null;
  onSort?: (sort: string) => void;
  busy?: boolean;
}) {
  return (
    <div className="table-wrap" aria-busy={busy || undefined}>
      <table className="data-table">
        <thead>
          <tr>
            {columns.map((c) => {
              const direction = sort === c.sortField ? "ascending" : sort === `-${c.sortField}` ? "descending" : undefined;
              return (
                <th key={c.key} aria-sort={c.sortField ? (direction ?? "none") : undefined} className={c.align === "right" ? "num" : undefined}>
                  {c.sortField && onSort ? (
                    <button type="button" className="sort" onClick={() => onSort(nextSort(sort ?? null, c.sortField!))}>
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
    <div className="pager">
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
