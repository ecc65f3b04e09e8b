/**
 * The report of one payment import: what the file was (format, encoding, period, accounts and
 * balances), what happened, the warnings, the bad lines (line, field, document, reason) — and,
 * while the import waits, the choice: load only the valid lines or drop the file.
 */
import { Link } from "react-router-dom";
import { formatNumber } from "../../../app/format";
import { DataTable, type Column } from "../../../components/DataTable";
import { ErrorState } from "../../../components/states";
import type { PaymentImportRead } from "./hooks";
import { usePaymentsText } from "./texts";

type Problem = PaymentImportRead["problems"][number];

export function ImportReport({
  report,
  onDecide,
  deciding = false,
  decideError = null,
}: {
  report: PaymentImportRead;
  onDecide?: (apply: boolean) => void;
  deciding?: boolean;
  decideError?: unknown;
}) {
  const t = usePaymentsText();
  const name = report.file_name;
  const header = report.header as {
    version?: string;
    encoding?: string;
    date_from?: string;
    date_to?: string;
    accounts?: string[];
    balances?: { account: string; opening: string; received: string; written_off: string; closing: string }[];
  };
  const summary =
    report.status === "imported"
      ? t("fp.imp.imported", {
          name,
          documents: formatNumber(report.documents),
          inserted: formatNumber(report.inserted),
          duplicates: formatNumber(report.duplicates),
        })
      : report.status === "awaiting_decision"
        ? t("fp.imp.waiting", { name, valid: formatNumber(report.valid), invalid: formatNumber(report.invalid) })
        : report.status === "discarded"
          ? t("fp.imp.discarded", { name })
          : report.status === "failed"
            ? t("fp.imp.failed", { name, detail: report.error ? `${report.error.title}: ${report.error.detail}` : "" })
            : t("fp.imp.processing", { name });

  const columns: Column<Problem>[] = [
    { key: "line", header: t("fp.imp.line"), align: "right", cell: (p) => p.line },
    { key: "field", header: t("fp.imp.field"), cell: (p) => p.field },
    { key: "document", header: t("fp.imp.document"), cell: (p) => p.document },
    { key: "message", header: t("fp.imp.message"), cell: (p) => p.message },
  ];

  return (
    <div className="payment-report" data-testid="import-report">
      <p role="status" className={report.status === "failed" ? "notice notice-error" : report.status === "awaiting_decision" ? "notice notice-warn" : "notice"}>
        {summary}
      </p>
      {report.status === "awaiting_decision" && onDecide && (
        <p className="actions">
          <button type="button" className="primary" disabled={report.valid === 0 || deciding} onClick={() => onDecide(true)}>
            {t("fp.imp.apply", { valid: formatNumber(report.valid) })}
          </button>{" "}
          <button type="button" disabled={deciding} onClick={() => onDecide(false)}>
            {t("fp.imp.discard")}
          </button>
        </p>
      )}
      {decideError !== null && decideError !== undefined && <ErrorState error={decideError} />}
      {report.status === "imported" && report.inserted > 0 && (
        <p>
          <Link to={`/finance/payments?import_id=${report.id}`}>{t("fp.imp.show")}</Link>
        </p>
      )}
      {report.file_format && (
        <dl className="payment-facts">
          <dt>{t("fp.imp.format")}</dt>
          <dd>{report.file_format === "1c" ? `1С ${header.version ?? ""}`.trim() : report.file_format.toUpperCase()}</dd>
          {header.encoding && (
            <>
              <dt>{t("fp.imp.encoding")}</dt>
              <dd>{header.encoding}</dd>
            </>
          )}
          {header.date_from && (
            <>
              <dt>{t("fp.imp.period")}</dt>
              <dd>
                {header.date_from} — {header.date_to}
              </dd>
            </>
          )}
          {header.accounts && header.accounts.length > 0 && (
            <>
              <dt>{t("fp.imp.accounts")}</dt>
              <dd>{header.accounts.join(", ")}</dd>
            </>
          )}
        </dl>
      )}
      {(header.balances ?? []).map((b) => (
        <p key={b.account} className="muted">
          {t("fp.imp.balance", { account: b.account, opening: b.opening, received: b.received, writtenOff: b.written_off, closing: b.closing })}
        </p>
      ))}
      {report.repeated_in_file > 0 && <p className="muted">{t("fp.imp.repeated", { count: formatNumber(report.repeated_in_file) })}</p>}
      {report.warnings.length > 0 && (
        <>
          <h3>{t("fp.imp.warnings")}</h3>
          <ul className="payment-warnings">
            {report.warnings.map((w) => (
              <li key={w}>{w}</li>
            ))}
          </ul>
        </>
      )}
      {report.problems.length > 0 && (
        <>
          <h3>{t("fp.imp.problems")}</h3>
          {report.problems_total > report.problems.length && (
            <p className="muted">{t("fp.imp.problemsMore", { shown: formatNumber(report.problems.length), total: formatNumber(report.problems_total) })}</p>
          )}
          <DataTable
            columns={columns}
            rows={report.problems}
            rowKey={(p) => `${p.line}:${p.field}:${p.message}`}
            label={t("fp.imp.problems")}
          />
        </>
      )}
    </div>
  );
}
