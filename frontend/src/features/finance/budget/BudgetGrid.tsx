/**
 * The entry grid of one MO's month: a table per section (receipts, payments, payables), КОСГУ
 * by rows, КВФО by columns with plan and actual, totals per row and per column computed as
 * one types. Amounts are typed as people write them («1 234,56»); a cell the server (or the
 * typing) finds wrong shows its message under it.
 */
import { formatMoney } from "../../../app/format";
import {
  FLOWS,
  KVFO_COLUMNS,
  cellKey,
  columnTotal,
  formatKopecks,
  parseAmount,
  rowTotal,
  rowsOf,
  type CellErrors,
  type Column,
  type Flow,
  type KosguInfo,
  type ServerCell,
  type Values,
} from "./grid";
import { useBudgetText, type BudgetText } from "./texts";

const COLUMNS: readonly Column[] = ["planned", "actual"];

export interface BudgetGridProps {
  kosgu: readonly KosguInfo[];
  values: Values;
  errors: CellErrors;
  /** The month's answer, by cell: the payment orders behind expense cells. */
  server?: Record<string, ServerCell>;
  readOnly: boolean;
  showAll: boolean;
  onChange: (key: string, column: Column, text: string) => void;
}

export function BudgetGrid(props: BudgetGridProps) {
  const t = useBudgetText();
  // The grid scrolls sideways on narrow screens: read only (no inputs inside) it takes the
  // focus itself, so the keyboard can scroll it too (axe: scrollable-region-focusable).
  return (
    <div className="budget-grid-wrap" {...(props.readOnly ? { tabIndex: 0, role: "region", "aria-label": t("fb.title") } : {})}>
      {FLOWS.map((flow) => (
        <Section key={flow} flow={flow} t={t} {...props} />
      ))}
    </div>
  );
}

function Section({ flow, t, kosgu, values, errors, server, readOnly, showAll, onChange }: BudgetGridProps & { flow: Flow; t: BudgetText }) {
  const rows = rowsOf(kosgu, values, flow, showAll || (!readOnly && Object.keys(values).length === 0));
  const title = t(`fb.flow.${flow}`);
  const label = (code: string, kvfo: number, column: Column) =>
    `${title}, КОСГУ ${code}, ${t("fb.kvfo", { code: kvfo })}, ${column === "planned" ? t("fb.plan") : t("fb.fact")}`;
  return (
    <table className="budget-grid" data-testid={`grid-${flow}`}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col" rowSpan={2}>{t("fb.kosgu")}</th>
          <th scope="col" rowSpan={2}>{t("fb.kosguName")}</th>
          {KVFO_COLUMNS.map((kvfo) => (
            <th scope="colgroup" colSpan={flow === "payable" ? 1 : 2} key={kvfo}>{t("fb.kvfo", { code: kvfo })}</th>
          ))}
          <th scope="colgroup" colSpan={flow === "payable" ? 1 : 2}>{t("fb.total")}</th>
        </tr>
        <tr>
          {[...KVFO_COLUMNS, 0].flatMap((kvfo) =>
            columnsOf(flow).map((column) => (
              <th scope="col" key={`${kvfo}-${column}`} className="num">{column === "planned" ? t("fb.plan") : t("fb.fact")}</th>
            )),
          )}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => [
          row.group && row.group !== rows[i - 1]?.group ? (
            <tr key={`group-${row.group}`} className="budget-group">
              <th scope="rowgroup" colSpan={2 + (KVFO_COLUMNS.length + 1) * columnsOf(flow).length}>{row.group}</th>
            </tr>
          ) : null,
          <tr key={row.code}>
            <th scope="row">{row.code}</th>
            <td className="budget-name" title={row.name}>{row.name}</td>
            {KVFO_COLUMNS.flatMap((kvfo) =>
              columnsOf(flow).map((column) => {
                const key = cellKey(flow, kvfo, row.code);
                const error = errors[key]?.[column] ?? (column === "actual" ? errors[key]?.cell : undefined);
                const notAllowed = flow === "expense" && kvfo === 7 && row.cmi_allowed === "no";
                const paid = column === "actual" ? server?.[key] : undefined;
                const differs = paid?.payments != null && paid.difference != null && Number(paid.difference) !== 0;
                const text = values[key]?.[column] ?? "";
                return (
                  <td key={`${kvfo}-${column}`} className={`num${notAllowed ? " cmi-no" : ""}${error ? " has-error" : ""}`}>
                    {readOnly ? (
                      <span data-testid={`cell-${key}-${column}`}>{text}</span>
                    ) : (
                      <input
                        type="text"
                        inputMode="decimal"
                        value={text}
                        aria-label={label(row.code, kvfo, column)}
                        aria-invalid={error ? true : undefined}
                        title={notAllowed ? t("fb.cmiNotAllowed") : undefined}
                        data-testid={`cell-${key}-${column}`}
                        onChange={(e) => onChange(key, column, e.target.value)}
                        onBlur={(e) => {
                          const parsed = parseAmount(e.target.value);
                          if (parsed.ok && parsed.kopecks !== null) onChange(key, column, formatKopecks(parsed.kopecks));
                        }}
                      />
                    )}
                    {differs && (
                      <span className="budget-paid" title={t("fb.paymentsDiff", { diff: formatMoney(paid?.difference) })}>
                        {t("fb.payments", { sum: formatMoney(paid?.payments) })}
                      </span>
                    )}
                    {error && (
                      <span className="cell-error" role="alert" data-testid={`error-${key}-${column}`}>
                        {error}
                      </span>
                    )}
                  </td>
                );
              }),
            )}
            {columnsOf(flow).map((column) => (
              <td key={`total-${column}`} className="num total" data-testid={`row-total-${flow}-${row.code}-${column}`}>
                {formatKopecks(rowTotal(values, flow, row.code, column))}
              </td>
            ))}
          </tr>,
        ])}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row" colSpan={2}>{t("fb.totalRow")}</th>
          {[...KVFO_COLUMNS, null].flatMap((kvfo) =>
            columnsOf(flow).map((column) => (
              <td key={`${kvfo ?? "all"}-${column}`} className="num total" data-testid={`col-total-${flow}-${kvfo ?? "all"}-${column}`}>
                {formatKopecks(columnTotal(values, flow, kvfo, column))}
              </td>
            )),
          )}
        </tr>
      </tfoot>
    </table>
  );
}

/** Payables are a balance at the month's end: no plan column. */
function columnsOf(flow: Flow): readonly Column[] {
  return flow === "payable" ? ["actual"] : COLUMNS;
}
