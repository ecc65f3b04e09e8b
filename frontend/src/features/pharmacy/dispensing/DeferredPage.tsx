/**
 * /pharmacy/deferred — the deferred-service list: the pharmacy's own (region-wide for the fund
 * and the health authority), ready ones first, each with its deadline, working days left and
 * overdue ones in red; filters by state, kind, МНН and overdue.
 */
import { useState } from "react";
import { formatDate } from "../../../app/format";
import { DataTable, Pager, type Column } from "../../../components/DataTable";
import { EmptyState, ErrorState, Loading } from "../../../components/states";
import { useDeferredList, type DeferredFilters, type DeferredRead } from "./hooks";
import { useDispensingText, type DispensingKey } from "./texts";
import "./dispensing.css";

const STATES = ["open", "waiting", "ready", "served", "all"] as const;
const KINDS = ["minimum_assortment", "preferential", "medical_commission"] as const;

export default function DeferredPage() {
  const t = useDispensingText();
  const [filters, setFilters] = useState<DeferredFilters>({ state: "open", kind: "", inn: "", overdue: false });
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const list = useDeferredList(filters, page.limit, page.offset);
  const set = (patch: Partial<DeferredFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    setPage((p) => ({ ...p, offset: 0 }));
  };

  const columns: Column<DeferredRead>[] = [
    { key: "prescription", header: t("pdd.col.prescription"), cell: (d) => d.designation },
    { key: "drug", header: t("pdd.col.drug"), cell: (d) => `${d.inn}, ${d.dosage_form}, ${d.dosage} × ${d.quantity}` },
    { key: "pharmacy", header: t("pdd.col.pharmacy"), cell: (d) => d.pharmacy_name ?? d.pharmacy_id },
    { key: "requested", header: t("pdd.col.requested"), cell: (d) => formatDate(d.requested_on) },
    {
      key: "deadline",
      header: t("pdd.col.deadline"),
      cell: (d) => (
        <span className={d.overdue ? "deferred-overdue" : ""}>
          {formatDate(d.deadline)}
          {d.overdue && ` — ${t("pdd.overdue")}`}
        </span>
      ),
    },
    {
      key: "left",
      header: t("pdd.col.left"),
      align: "right",
      cell: (d) => (d.status === "served" ? "—" : <span className={d.overdue ? "deferred-overdue" : ""}>{d.working_days_left}</span>),
    },
    { key: "status", header: t("pdd.col.status"), cell: (d) => t(`pdd.status.${d.status}` as DispensingKey) },
  ];

  return (
    <section>
      <h1>{t("pdd.title")}</h1>
      <p className="muted">{t("pdd.intro")}</p>
      <div className="filters">
        <label>
          {t("pdd.state")}{" "}
          <select value={filters.state} onChange={(e) => set({ state: e.target.value as DeferredFilters["state"] })}>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`pdd.state.${s}` as DispensingKey)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("pdd.kind")}{" "}
          <select value={filters.kind} onChange={(e) => set({ kind: e.target.value as DeferredFilters["kind"] })}>
            <option value="">{t("pdd.anyKind")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`pd.kind.${k}` as DispensingKey)}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          {t("pdd.inn")} <input value={filters.inn} onChange={(e) => set({ inn: e.target.value })} />
        </label>{" "}
        <label>
          <input type="checkbox" checked={filters.overdue} onChange={(e) => set({ overdue: e.target.checked })} />{" "}
          {t("pdd.overdueOnly")}
        </label>
      </div>
      {list.isLoading && <Loading />}
      {list.error && <ErrorState error={list.error} onRetry={() => void list.refetch()} />}
      {list.data && list.data.items.length === 0 && <EmptyState>{t("pdd.none")}</EmptyState>}
      {list.data && list.data.items.length > 0 && (
        <>
          <DataTable
            columns={columns}
            rows={list.data.items}
            rowKey={(d) => d.prescription_id}
            busy={list.isFetching}
            label={t("pdd.title")}
          />
          <Pager
            total={list.data.total}
            limit={list.data.limit}
            offset={list.data.offset}
            onChange={(offset, limit) => setPage({ offset, limit })}
          />
        </>
      )}
    </section>
  );
}
