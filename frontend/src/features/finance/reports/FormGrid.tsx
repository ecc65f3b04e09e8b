/**
 * A report form in its layout: the column heads with their codes (1 — the indicator, 2 — the row
 * code, 3… — the columns), section headings, rows indented by level, «X» where a row has no
 * such cell. Manual cells are inputs while the report may be edited; computed cells say where
 * they come from; cells in a broken control ratio are marked.
 */
import { Fragment } from "react";
import { cellKey, money, type CellKind, type Kopecks, type Template } from "./form";
import { useReportsText } from "./texts";

export function FormGrid({
  template,
  kinds,
  values,
  typed,
  inputErrors,
  marked,
  editable,
  onChange,
}: {
  template: Template;
  kinds: Record<string, CellKind>;
  values: Kopecks;
  typed: Record<string, string>;
  inputErrors: Record<string, string>;
  /** cell key → the worst severity of a broken ratio it is in */
  marked: Record<string, "error" | "warning">;
  editable: boolean;
  onChange: (key: string, text: string) => void;
}) {
  const t = useReportsText();
  const width = template.columns.length + 2;
  return (
    <div className="report-grid-wrap">
      <table className="report-grid" aria-label={`${template.short}. ${template.title}`}>
        <thead>
          <tr>
            <th scope="col">{t("fr.grid.name")}</th>
            <th scope="col">{t("fr.grid.code")}</th>
            {template.columns.map((c) => (
              <th scope="col" key={c.code} title={c.formula ? t("fr.grid.formula", { formula: c.formula }) : undefined}>
                {c.title}
              </th>
            ))}
          </tr>
          <tr className="report-codes">
            <th>1</th>
            <th>2</th>
            {template.columns.map((c) => (
              <th key={c.code}>{c.code}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {template.rows.map((row) => (
            <Fragment key={row.code}>
              {row.section && (
                <tr className="report-section">
                  <th colSpan={width} scope="rowgroup">
                    {row.section}
                  </th>
                </tr>
              )}
              <tr className={row.level === 0 ? "report-total" : undefined}>
                <th scope="row" className={`report-name level-${row.level}`}>
                  {row.title}
                </th>
                <td className="report-code">{row.code}</td>
                {template.columns.map((col) => {
                  const key = cellKey(row.code, col.code);
                  const kind = kinds[key];
                  if (kind === undefined) {
                    return (
                      <td key={col.code} className="report-x" data-testid={`cell-${key}`}>
                        X
                      </td>
                    );
                  }
                  const mark = marked[key];
                  const className = ["num", kind, mark ? `violated-${mark}` : ""].filter(Boolean).join(" ");
                  if (kind === "manual" && editable) {
                    const error = inputErrors[key];
                    return (
                      <td key={col.code} className={className}>
                        <input
                          data-testid={`input-${key}`}
                          aria-label={`стр. ${row.code} гр. ${col.code}`}
                          aria-invalid={error || mark === "error" ? true : undefined}
                          title={t("fr.grid.manual")}
                          inputMode="decimal"
                          value={typed[key] ?? ""}
                          onChange={(e) => onChange(key, e.target.value)}
                        />
                        {error && (
                          <span className="cell-error" role="alert">
                            {error}
                          </span>
                        )}
                      </td>
                    );
                  }
                  const title =
                    kind === "manual"
                      ? t("fr.grid.manual")
                      : kind === "data"
                        ? t("fr.grid.data")
                        : t("fr.grid.formula", { formula: (kind === "row_formula" ? row.formula : col.formula) ?? "" });
                  return (
                    <td key={col.code} className={className} title={title} data-testid={`cell-${key}`}>
                      {money(values[key])}
                    </td>
                  );
                })}
              </tr>
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
