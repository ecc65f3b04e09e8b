/**
 * /finance/budget — where the income and expenses start: an MO's own people go straight to
 * their MO's current month; the health authority and the territorial fund pick an MO from the
 * list (with the consolidated year below); FOMS sees the consolidated figures only.
 */
import { Link, Navigate } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { formatNumber } from "../../../app/format";
import { DataTable, type Column } from "../../../components/DataTable";
import { ErrorState, Loading } from "../../../components/states";
import { ConsolidatedYear } from "./BudgetYear";
import { defaultMonth } from "./grid";
import { useMos, type MoRead } from "./hooks";
import { useBudgetText } from "./texts";
import "./budget.css";

const FORMS: Record<string, string> = { budget: "бюджетное", autonomous: "автономное", state: "казённое", private: "частное" };

export default function BudgetPage() {
  const t = useBudgetText();
  const mos = useMos();
  const month = defaultMonth();
  const year = Number(month.slice(0, 4));

  if (mos.isPending) return <Loading />;
  if (mos.error instanceof ApiProblem && mos.error.status === 403) {
    return (
      <section className="budget-page">
        <h1>{t("fb.title")}</h1>
        <p className="muted">{t("fb.consolidatedOnly")}</p>
        <ConsolidatedYear initial={year} />
      </section>
    );
  }
  if (mos.error || !mos.data) return <ErrorState error={mos.error} onRetry={() => void mos.refetch()} />;
  if (mos.data.length === 1) return <Navigate to={`/finance/budget/${mos.data[0]!.id}/${month}`} replace />;

  const columns: Column<MoRead>[] = [
    { key: "code", header: t("fb.col.code"), cell: (m) => m.code ?? "" },
    {
      key: "name",
      header: t("fb.col.name"),
      cell: (m) => <Link to={`/finance/budget/${m.id}/${m.last_month ?? month}`}>{m.name}</Link>,
    },
    { key: "form", header: t("fb.col.form"), cell: (m) => (m.legal_form ? (FORMS[m.legal_form] ?? m.legal_form) : "") },
    { key: "founder", header: t("fb.col.founder"), cell: (m) => m.founder_name ?? "" },
    { key: "beds", header: t("fb.col.beds"), align: "right", cell: (m) => formatNumber(m.beds) },
    { key: "attached", header: t("fb.col.attached"), align: "right", cell: (m) => formatNumber(m.attached_persons) },
    { key: "last", header: t("fb.col.last"), cell: (m) => m.last_month ?? t("fb.noData") },
  ];

  return (
    <section className="budget-page">
      <h1>{t("fb.title")}</h1>
      <p className="muted">{t("fb.intro")}</p>
      <ConsolidatedYear initial={year} />
      <h2>{t("fb.mos")}</h2>
      <DataTable columns={columns} rows={mos.data} rowKey={(m) => m.id} label={t("fb.mos")} />
    </section>
  );
}
