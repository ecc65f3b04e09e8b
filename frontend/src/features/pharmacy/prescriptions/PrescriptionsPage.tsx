/**
 * /pharmacy/prescriptions — the prescriptions within the caller's rights: filters (status,
 * dates, series and number, МНН, category, funding, doctor, patient, MO) and sorting on the
 * main columns kept in the URL, paging, the XLSX of what is found, «Выписать рецепт» for doctors.
 */
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { useHasPermission } from "../../../app/auth";
import { formatDate } from "../../../app/format";
import { PagedTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { useListParams } from "../../../components/listParams";
import { usePrescriptions, type PrescriptionSummary } from "./hooks";
import { exportUrl, filtersFrom, listQuery, STATUSES, type Filters } from "./shape";
import { useRxText, type RxKey } from "./texts";
import "./prescriptions.css";

const TEXT_FILTERS: { key: keyof Filters; label: RxKey; size?: number }[] = [
  { key: "series", label: "rx.filter.series", size: 8 },
  { key: "number", label: "rx.filter.number", size: 8 },
  { key: "inn", label: "rx.filter.inn" },
  { key: "category", label: "rx.filter.category", size: 10 },
  { key: "doctor", label: "rx.filter.doctor" },
  { key: "person_id", label: "rx.filter.person", size: 36 },
  { key: "mo_id", label: "rx.filter.mo", size: 36 },
];

export default function PrescriptionsPage() {
  const t = useRxText();
  const can = useHasPermission();
  const { params, search, update } = useListParams({ sort: "-issued_on" });
  const filters = filtersFrom(search);
  const list = usePrescriptions(listQuery(filters, params));
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(TEXT_FILTERS.map((f) => [f.key, filters[f.key]])),
  );

  const apply = (event: FormEvent) => {
    event.preventDefault();
    update({ ...draft, offset: null });
  };
  const reset = () => {
    setDraft(Object.fromEntries(TEXT_FILTERS.map((f) => [f.key, ""])));
    update({ ...Object.fromEntries(TEXT_FILTERS.map((f) => [f.key, null])), status: null, issued_from: null, issued_to: null, funding_source: null, offset: null });
  };

  const columns: Column<PrescriptionSummary>[] = [
    {
      key: "designation",
      header: t("rx.col.designation"),
      sortField: "number",
      cell: (p) => <Link to={`/pharmacy/prescriptions/${p.id}`}>{`${p.series} № ${String(p.number).padStart(7, "0")}`}</Link>,
    },
    { key: "issued", header: t("rx.col.issued"), sortField: "issued_on", cell: (p) => formatDate(p.issued_on) },
    { key: "valid", header: t("rx.col.valid"), sortField: "valid_until", cell: (p) => formatDate(p.valid_until) },
    {
      key: "status",
      header: t("rx.col.status"),
      sortField: "status",
      cell: (p) => <span className={`rx-status rx-status-${p.status}`}>{t(`rx.status.${p.status}` as RxKey)}</span>,
    },
    { key: "patient", header: t("rx.col.patient"), sortField: "patient_full_name", cell: (p) => p.patient_full_name ?? "—" },
    {
      key: "drug",
      header: t("rx.col.drug"),
      sortField: "inn",
      cell: (p) => (
        <>
          {p.inn}
          <br />
          <small className="muted">{`${p.dosage_form}, ${p.dosage}`}</small>
        </>
      ),
    },
    { key: "quantity", header: t("rx.col.quantity"), sortField: "quantity", align: "right", cell: (p) => p.quantity },
    { key: "category", header: t("rx.col.category"), sortField: "category_code", cell: (p) => p.category_code },
    {
      key: "funding",
      header: t("rx.col.funding"),
      sortField: "funding_source",
      cell: (p) => t(`rx.funding.${p.funding_source}` as RxKey),
    },
    { key: "mo", header: t("rx.col.mo"), sortField: "mo_code", cell: (p) => p.mo_name ?? p.mo_code },
    { key: "doctor", header: t("rx.col.doctor"), sortField: "doctor_name", cell: (p) => p.doctor_name ?? p.doctor_subject },
    { key: "pharmacy", header: t("rx.col.pharmacy"), cell: (p) => p.pharmacy_name ?? "" },
  ];

  return (
    <section className="rx-page">
      <h1>{t("rx.title")}</h1>
      <p className="muted">{t("rx.intro")}</p>
      <div className="rx-actions">
        {can("pharmacy.prescription:write") && (
          <Link className="button" to="/pharmacy/prescriptions/new">
            {t("rx.new")}
          </Link>
        )}
        <DownloadButton url={exportUrl(filters, params.sort)}>{t("rx.export")}</DownloadButton>
      </div>
      <form className="rx-filters" onSubmit={apply} aria-label={t("rx.filters")}>
        <label>
          {t("rx.filter.status")}{" "}
          <select value={filters.status} onChange={(e) => update({ status: e.target.value, offset: null })}>
            <option value="">{t("rx.any")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`rx.status.${s}` as RxKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("rx.filter.from")}{" "}
          <input type="date" value={filters.issued_from} onChange={(e) => update({ issued_from: e.target.value, offset: null })} />
        </label>
        <label>
          {t("rx.filter.to")}{" "}
          <input type="date" value={filters.issued_to} onChange={(e) => update({ issued_to: e.target.value, offset: null })} />
        </label>
        <label>
          {t("rx.filter.funding")}{" "}
          <select value={filters.funding_source} onChange={(e) => update({ funding_source: e.target.value, offset: null })}>
            <option value="">{t("rx.any")}</option>
            <option value="federal">{t("rx.funding.federal")}</option>
            <option value="regional">{t("rx.funding.regional")}</option>
          </select>
        </label>
        {TEXT_FILTERS.map((f) => (
          <label key={f.key}>
            {t(f.label)}{" "}
            <input
              value={draft[f.key] ?? ""}
              size={f.size ?? 14}
              onChange={(e) => setDraft((d) => ({ ...d, [f.key]: e.target.value }))}
            />
          </label>
        ))}
        <button type="submit">{t("rx.filters")}</button>
        <button type="button" className="link" onClick={reset}>
          {t("rx.filter.reset")}
        </button>
      </form>
      <PagedTable
        query={list}
        columns={columns}
        rowKey={(p) => p.id}
        params={params}
        update={update}
        label={t("rx.title")}
        empty={t("rx.none")}
      />
    </section>
  );
}
