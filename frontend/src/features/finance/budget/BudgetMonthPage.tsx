/**
 * /finance/budget/:moId/:month — one MO's month: the entry grid (read only when the period is
 * closed or the user may only read), saving with the server's per-cell errors on the cells,
 * an unsaved-changes guard; the year with a chart of expenses by КВФО; the template upload
 * with its line report; XLSX exports. Region-wide users switch the MO here too.
 */
import { useEffect, useMemo, useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { useMe } from "../../../app/auth";
import { useI18n } from "../../../app/i18n";
import { formatDateTime } from "../../../app/format";
import { DownloadButton } from "../../../components/DownloadButton";
import { ErrorState, Loading } from "../../../components/states";
import { BudgetGrid } from "./BudgetGrid";
import { BudgetUploadPanel } from "./BudgetUploadPanel";
import { BudgetYear } from "./BudgetYear";
import {
  bodyOf,
  cellKey,
  isMonth,
  localErrors,
  sameValues,
  serverErrors,
  shiftMonth,
  valuesOf,
  type CellErrors,
  type Column,
  type ServerCell,
  type Values,
} from "./grid";
import { useClassifiers, useMonth, useMos, useSaveMonth } from "./hooks";
import { budgetText, useBudgetText, type BudgetKey } from "./texts";
import "./budget.css";

type Tab = "month" | "year" | "upload";
const WRITE = "finance.budget:write";

export default function BudgetMonthPage() {
  const { moId = "", month = "" } = useParams();
  const t = useBudgetText();
  if (!isMonth(month)) return <ErrorState error={new ApiProblem({ status: 404, title: t("fb.month"), detail: month })} />;
  return <MonthView key={`${moId}:${month}`} moId={moId} month={month} />;
}

function MonthView({ moId, month }: { moId: string; month: string }) {
  const t = useBudgetText();
  const { lang } = useI18n();
  const me = useMe();
  const navigate = useNavigate();
  const canWrite = me.permissions.includes(WRITE);
  const classifiers = useClassifiers();
  const mos = useMos();
  const query = useMonth(moId, month);
  const save = useSaveMonth(moId, month);
  const [tab, setTab] = useState<Tab>("month");
  const [edited, setEdited] = useState<Values | null>(null);
  const [serverErrs, setServerErrs] = useState<CellErrors>({});
  const [showAll, setShowAll] = useState(false);
  const [saved, setSaved] = useState(false);

  // What the server has, and what the user typed over it (null: nothing typed since the last load).
  const base = useMemo(() => valuesOf(query.data?.cells ?? []), [query.data]);
  const values = edited ?? base;
  const dirty = edited !== null && !sameValues(edited, base);
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
    };
    // The app's own links (menu, breadcrumbs) ask too: a capture listener runs before the
    // router's click handler, which leaves a click whose default is prevented alone.
    const leave = (e: MouseEvent) => {
      const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (link && !window.confirm(budgetText(lang, "fb.unsaved"))) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    document.addEventListener("click", leave, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", leave, true);
    };
  }, [dirty, lang]);

  const go = (mo: string, m: string) => {
    if (dirty && !window.confirm(t("fb.unsaved"))) return;
    void navigate(`/finance/budget/${mo}/${m}`);
  };

  const typed = useMemo(() => localErrors(values), [values]);
  const errors: CellErrors = useMemo(() => {
    const merged: CellErrors = { ...serverErrs };
    for (const [key, errs] of Object.entries(typed)) merged[key] = { ...merged[key], ...errs };
    return merged;
  }, [serverErrs, typed]);
  const server = useMemo(() => {
    const byKey: Record<string, ServerCell> = {};
    for (const c of query.data?.cells ?? []) byKey[cellKey(c.flow, c.kvfo, c.kosgu)] = c;
    return byKey;
  }, [query.data]);

  const onChange = (key: string, column: Column, text: string) => {
    setSaved(false);
    setEdited((v) => {
      const current = v ?? base;
      return { ...current, [key]: { planned: "", actual: "", ...current[key], [column]: text } };
    });
    setServerErrs((e) => {
      if (!e[key]) return e;
      const { [key]: _dropped, ...rest } = e;
      return rest;
    });
  };

  const onSave = () => {
    const body = bodyOf(values);
    setServerErrs({});
    save.mutate(body, {
      onSuccess: () => {
        setEdited(null); // the answer is the month as saved: the grid shows it
        setSaved(true);
      },
      onError: (error) => {
        if (error instanceof ApiProblem && error.status === 422) setServerErrs(serverErrors(body, error.fieldErrors));
      },
    });
  };

  const mo = mos.data?.find((m) => m.id === moId);
  const data = query.data;
  const locked = data?.locked ?? false;
  const readOnly = locked || !canWrite;
  const typedCount = Object.keys(typed).length;
  const serverCount = Object.keys(serverErrs).length;
  const paidOnly = (data?.cells ?? []).filter((c) => !c.entered);
  const year = Number(month.slice(0, 4));

  return (
    <section className="budget-page">
      <h1>{t("fb.title")}</h1>
      <div className="budget-toolbar">
        {mos.data && mos.data.length > 1 ? (
          <label>
            {t("fb.mo")}{" "}
            <select value={moId} onChange={(e) => go(e.target.value, month)} data-testid="mo-picker">
              {mos.data.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code ? `${m.code} — ` : ""}
                  {m.name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <strong>{mo?.name}</strong>
        )}
        <span className="budget-month">
          <button type="button" onClick={() => go(moId, shiftMonth(month, -1))}>{t("fb.prev")}</button>
          <label>
            {t("fb.month")}{" "}
            <input type="month" value={month} onChange={(e) => isMonth(e.target.value) && go(moId, e.target.value)} data-testid="month-picker" />
          </label>
          <button type="button" onClick={() => go(moId, shiftMonth(month, 1))}>{t("fb.next")}</button>
        </span>
      </div>
      <div className="budget-tabs" role="tablist">
        {(["month", "year", "upload"] as const)
          .filter((x) => x !== "upload" || canWrite)
          .map((x) => (
            <button key={x} type="button" role="tab" aria-selected={tab === x} className={tab === x ? "active" : ""} onClick={() => setTab(x)}>
              {t(`fb.tab.${x}` as BudgetKey)}
            </button>
          ))}
      </div>

      {tab === "month" && (
        <div role="tabpanel">
          {query.isPending || classifiers.isPending ? (
            <Loading />
          ) : query.error || classifiers.error || !data || !classifiers.data ? (
            <ErrorState error={query.error ?? classifiers.error} onRetry={() => void query.refetch()} />
          ) : (
            <>
              {locked && <p className="budget-locked" role="status">{t("fb.locked", { reason: data.lock_reason ?? "" })}</p>}
              {!locked && !canWrite && <p className="muted">{t("fb.readOnly")}</p>}
              {data.last_change && (
                <p className="muted" data-testid="last-change">
                  {t("fb.lastChange", {
                    by: data.last_change.by,
                    at: formatDateTime(data.last_change.at),
                    source: t(`fb.source.${data.last_change.source}` as BudgetKey) ?? data.last_change.source,
                  })}
                </p>
              )}
              {paidOnly.length > 0 && (
                <p className="budget-warning">
                  {t("fb.paidOnly", { items: paidOnly.map((c) => `КВФО ${c.kvfo} / ${c.kosgu}`).join(", ") })}
                </p>
              )}
              <label className="budget-showall">
                <input type="checkbox" checked={showAll} onChange={(e) => setShowAll(e.target.checked)} /> {t("fb.showAll")}
              </label>
              <BudgetGrid
                kosgu={classifiers.data.kosgu}
                values={values}
                errors={errors}
                server={server}
                readOnly={readOnly}
                showAll={showAll}
                onChange={onChange}
              />
              {!readOnly && (
                <div className="budget-actions">
                  {typedCount > 0 && <p className="budget-error" role="alert">{t("fb.hasErrors", { count: typedCount })}</p>}
                  {serverCount > 0 && <p className="budget-error" role="alert">{t("fb.serverErrors", { count: serverCount })}</p>}
                  {save.error && !(save.error instanceof ApiProblem && save.error.status === 422) && <ErrorState error={save.error} />}
                  {saved && !dirty && <p role="status">{t("fb.saved")}</p>}
                  <button type="button" className="primary" disabled={!dirty || typedCount > 0 || save.isPending} onClick={onSave} data-testid="save">
                    {save.isPending ? t("fb.saving") : t("fb.save")}
                  </button>
                  <button type="button" disabled={!dirty || save.isPending} onClick={() => { setEdited(null); setServerErrs({}); }}>
                    {t("fb.reset")}
                  </button>
                </div>
              )}
              <p>
                <DownloadButton url={`/api/finance/budget/${moId}/months/${month}/export.xlsx`}>{t("fb.export.month")}</DownloadButton>
              </p>
            </>
          )}
        </div>
      )}
      {tab === "year" && (
        <div role="tabpanel">
          <BudgetYear moId={moId} year={year} onOpenMonth={(m) => go(moId, m)} />
        </div>
      )}
      {tab === "upload" && canWrite && (
        <div role="tabpanel">
          <BudgetUploadPanel moId={moId} />
        </div>
      )}
    </section>
  );
}
