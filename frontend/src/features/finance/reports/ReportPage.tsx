/**
 * /finance/reports/:id — one MO's report: the form in its layout with computed and manual cells,
 * the control ratios checked as the MO types (the form's own ratios here, the inter-form ones
 * from the server), the workflow actions the caller may take, the history and the exports.
 */
import { useMemo, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { formatDate, formatDateTime } from "../../../app/format";
import { ConfirmDialog } from "../../../components/Dialog";
import { DownloadButton } from "../../../components/DownloadButton";
import { ErrorState, QueryState } from "../../../components/states";
import {
  cellKey,
  checkRules,
  fromServer,
  kindsOf,
  kopecksOf,
  money,
  parseTyped,
  recompute,
  toDecimal,
  type LocalViolation,
  type Template,
} from "./form";
import { FormGrid } from "./FormGrid";
import { useHistory, useReport, useReportAction, useTemplate, type ReportRead } from "./hooks";
import { useReportsText, type ReportsKey, type ReportsText } from "./texts";
import "./reports.css";

export default function ReportPage() {
  const { id = "" } = useParams();
  const report = useReport(id);
  const template = useTemplate(report.data?.form, report.data?.period.year, report.data?.period.quarter);
  return (
    <QueryState query={report}>
      {(r) => (
        <QueryState query={template}>
          {/* a new revision or status starts the typed cells afresh from the report */}
          {(tpl) => <ReportView key={`${r.id}:${r.revision}:${r.status}`} report={r} template={tpl} />}
        </QueryState>
      )}
    </QueryState>
  );
}

function manualTexts(report: ReportRead): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of report.cells) if (c.kind === "manual") out[cellKey(c.row, c.column)] = money(kopecksOf([c])[cellKey(c.row, c.column)]);
  return out;
}

export function Checks({ violations, t }: { violations: LocalViolation[]; t: ReportsText }) {
  if (!violations.length) return <p className="muted">{t("fr.checks.ok")}</p>;
  return (
    <ul className="report-checks" data-testid="violations">
      {violations.map((v, i) => (
        <li key={`${v.code}-${v.rule}-${i}`} className={v.severity}>
          <strong>
            {t(v.severity === "error" ? "fr.checks.error" : "fr.checks.warning")} {v.code}
          </strong>
          : {v.message}. <span className="muted">{v.rule}</span> — {t("fr.checks.values", { left: money(v.left), right: money(v.right) })}
        </li>
      ))}
    </ul>
  );
}

export function ReportView({ report, template }: { report: ReportRead; template: Template }) {
  const t = useReportsText();
  const actions = useReportAction(report.id);
  const editable = report.actions.includes("edit");
  const [typed, setTyped] = useState<Record<string, string>>(() => manualTexts(report));
  const [confirmAccept, setConfirmAccept] = useState(false);
  const [returning, setReturning] = useState(false);
  const [returnComment, setReturnComment] = useState("");
  const [note, setNote] = useState("");

  const kinds = useMemo(() => kindsOf(report.cells), [report.cells]);
  const base = useMemo(() => kopecksOf(report.cells), [report.cells]);
  const parsed = parseTyped(typed);
  const values = editable ? recompute(template, kinds, { ...base, ...parsed.values }) : base;
  const violations = editable
    ? [...checkRules(template, values), ...fromServer(report.violations)]
    : fromServer(report.violations, false);
  const marked: Record<string, "error" | "warning"> = {};
  for (const v of violations) for (const key of v.cells) if (marked[key] !== "error") marked[key] = v.severity;
  const errors = violations.filter((v) => v.severity === "error").length;
  const initial = manualTexts(report);
  const dirty = Object.entries(typed).some(([k, v]) => (initial[k] ?? "") !== v);
  const hasInputErrors = Object.keys(parsed.errors).length > 0;
  const busy = Object.values(actions).some((m) => m.isPending);

  const save = () =>
    actions.save.mutate({
      values: Object.keys(typed).map((key) => {
        const [row = "", column = ""] = key.split(":");
        return { row, column, value: toDecimal(parsed.values[key]) };
      }),
      expected_revision: report.revision,
    });
  const error = Object.values(actions).find((m) => m.error)?.error;
  const status = t(`fr.status.${report.status}` as ReportsKey);

  return (
    <section className="report-page">
      <p>
        <Link to="/finance/reports">{t("fr.back")}</Link>
      </p>
      <h1>
        {template.short}. {report.mo_name}
      </h1>
      <p className="muted">{template.title}</p>
      <dl className="report-meta">
        <div>
          <dt>{t("fr.period")}</dt>
          <dd>{report.period.label}</dd>
        </div>
        <div>
          <dt>{t("fr.col.status")}</dt>
          <dd data-testid="report-status">{status}</dd>
        </div>
        <div>
          <dt>{t("fr.due")}</dt>
          <dd>
            {formatDate(report.due_date)}{" "}
            {report.days_overdue > 0 && <span className="report-overdue">{t("fr.days", { days: report.days_overdue })}</span>}
            {report.submitted_late && <span className="muted"> ({t("fr.late")})</span>}
          </dd>
        </div>
        <div>
          <dt>{t("fr.version")}</dt>
          <dd>{report.version}</dd>
        </div>
      </dl>
      {report.status === "returned" && report.comment && (
        <p className="report-returned" role="status">
          {t("fr.returnedWith", { comment: report.comment })}
        </p>
      )}
      <p className="muted">{report.live ? t("fr.live") : t("fr.frozen")}</p>
      <FormGrid
        template={template}
        kinds={kinds}
        values={values}
        typed={typed}
        inputErrors={parsed.errors}
        marked={marked}
        editable={editable}
        onChange={(key, text) => setTyped((prev) => ({ ...prev, [key]: text }))}
      />
      <h2>{t("fr.checks.title")}</h2>
      <Checks violations={violations} t={t} />
      {editable && errors > 0 && <p className="muted">{t("fr.checks.blocking")}</p>}
      <div className="report-actions">
        {editable && (
          <>
            <button type="button" disabled={!dirty || hasInputErrors || busy} onClick={save} data-testid="save">
              {t("fr.action.save")}
            </button>
            <button type="button" disabled={busy} onClick={() => actions.recalculate.mutate()}>
              {t("fr.action.recalculate")}
            </button>
            <button
              type="button"
              className="primary"
              disabled={dirty || errors > 0 || busy}
              title={dirty ? t("fr.action.unsaved") : undefined}
              onClick={() => actions.submit.mutate(report.revision)}
              data-testid="submit"
            >
              {t("fr.action.submit")}
            </button>
          </>
        )}
        {report.actions.includes("accept") && (
          <button type="button" className="primary" disabled={busy} onClick={() => setConfirmAccept(true)}>
            {t("fr.action.accept")}
          </button>
        )}
        {report.actions.includes("return") && (
          <button type="button" disabled={busy} onClick={() => setReturning(true)}>
            {t("fr.action.return")}
          </button>
        )}
        <DownloadButton url={`/api/finance/reports/${report.id}/export.xlsx`}>{t("fr.export.xlsx")}</DownloadButton>
        <DownloadButton url={`/api/finance/reports/${report.id}/export.pdf`}>{t("fr.export.pdf")}</DownloadButton>
        <DownloadButton url={`/api/finance/reports/${report.id}/export.json`}>{t("fr.export.json")}</DownloadButton>
      </div>
      {error instanceof ApiProblem && error.type === "urn:oms:problem:control-ratios" ? (
        <p className="budget-error" role="alert">
          {t("fr.submit.refused")} {error.detail}
        </p>
      ) : error ? (
        <ErrorState error={error} />
      ) : null}
      <ConfirmDialog
        open={confirmAccept}
        title={t("fr.accept.title")}
        confirmLabel={t("fr.action.accept")}
        busy={actions.accept.isPending}
        onConfirm={() => actions.accept.mutate(undefined, { onSettled: () => setConfirmAccept(false) })}
        onCancel={() => setConfirmAccept(false)}
      >
        <p>{t("fr.accept.body")}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={returning}
        title={t("fr.return.title")}
        confirmLabel={t("fr.action.return")}
        busy={actions.giveBack.isPending}
        onConfirm={() => {
          if (returnComment.trim()) actions.giveBack.mutate(returnComment.trim(), { onSettled: () => setReturning(false) });
        }}
        onCancel={() => setReturning(false)}
      >
        <label>
          {t("fr.return.comment")}
          <textarea value={returnComment} onChange={(e) => setReturnComment(e.target.value)} rows={3} required />
        </label>
      </ConfirmDialog>
      <History id={report.id} canComment={report.actions.includes("comment")} note={note} setNote={setNote} />
    </section>
  );
}

function History({ id, canComment, note, setNote }: { id: string; canComment: boolean; note: string; setNote: (v: string) => void }) {
  const t = useReportsText();
  const history = useHistory(id);
  const { comment } = useReportAction(id);
  return (
    <>
      <h2>{t("fr.history.title")}</h2>
      <QueryState query={history}>
        {(items) => (
          <ol className="report-history">
            {items.map((h, i) => (
              <li key={`${h.at}-${i}`}>
                {formatDateTime(h.at)} — {h.action_title}
                {h.status_to ? ` (${t(`fr.status.${h.status_to}` as ReportsKey)})` : ""} — {h.actor}
                {h.comment ? `: «${h.comment}»` : ""}
                {h.changes?.length ? ` · ${t("fr.history.changes", { count: h.changes.length })}` : ""}
              </li>
            ))}
          </ol>
        )}
      </QueryState>
      {canComment && (
        <form
          className="report-actions"
          onSubmit={(e) => {
            e.preventDefault();
            if (note.trim()) comment.mutate(note.trim(), { onSuccess: () => setNote("") });
          }}
        >
          <label>
            {t("fr.comment.label")} <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={2000} />
          </label>
          <button type="submit" disabled={!note.trim() || comment.isPending}>
            {t("fr.action.comment")}
          </button>
        </form>
      )}
    </>
  );
}
