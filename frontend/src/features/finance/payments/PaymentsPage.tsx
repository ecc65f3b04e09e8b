/**
 * /finance/payments — the MO's payment orders and receipts: filters (period, direction,
 * counterparty, amount, КВФО/КОСГУ, to review, purpose text), sorting and paging by the server,
 * all kept in the URL; exports of the selection (1С, CSV, XLSX); the way to the import.
 */
import { Link } from "react-router-dom";
import { formatDate, formatNumber } from "../../../app/format";
import { useHasPermission } from "../../../app/auth";
import { PagedTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { useListParams } from "../../../components/listParams";
import { useMos } from "../budget/hooks";
import { exportUrl, useOrders, type OrderQuery, type PaymentOrderRead } from "./hooks";
import { usePaymentsText, type PaymentsText } from "./texts";
import "./payments.css";

const FILTERS = ["mo_id", "date_from", "date_to", "direction", "counterparty", "amount_min", "amount_max", "kvfo", "kosgu", "needs_review", "q", "import_id"] as const;

export function classification(order: PaymentOrderRead, t: PaymentsText): string {
  if (order.kvfo === null && order.kosgu === null) return t("fp.notClassified");
  return `${order.kvfo ?? "—"} / ${order.kosgu ?? "—"}`;
}

export default function PaymentsPage() {
  const t = usePaymentsText();
  const can = useHasPermission();
  const { params, search, update } = useListParams({ limit: 50, sort: "-doc_date" });
  const query: OrderQuery = { limit: params.limit, offset: params.offset, sort: params.sort ?? undefined };
  for (const name of FILTERS) {
    const value = search.get(name);
    if (value) (query as Record<string, unknown>)[name] = name === "needs_review" ? value === "true" : value;
  }
  const orders = useOrders(query);
  const mos = useMos();
  const manyMos = (mos.data?.length ?? 0) > 1;
  const set = (name: string) => (value: string) => update({ [name]: value || null, offset: null });

  const columns: Column<PaymentOrderRead>[] = [
    { key: "date", header: t("fp.col.date"), sortField: "doc_date", cell: (o) => formatDate(o.doc_date) },
    { key: "number", header: t("fp.col.number"), sortField: "doc_number", cell: (o) => <Link to={`/finance/payments/${o.id}`}>{o.doc_number}</Link> },
    { key: "direction", header: t("fp.col.direction"), cell: (o) => (o.direction === "out" ? t("fp.dir.out") : t("fp.dir.in")) },
    { key: "counterparty", header: t("fp.col.counterparty"), sortField: "counterparty", cell: (o) => o.counterparty_name },
    { key: "inn", header: t("fp.col.inn"), cell: (o) => o.counterparty_inn ?? "" },
    {
      key: "amount",
      header: t("fp.col.amount"),
      sortField: "amount",
      align: "right",
      cell: (o) => <span className={o.direction === "in" ? "amount-in" : undefined}>{formatNumber(o.amount, 2)}</span>,
    },
    { key: "purpose", header: t("fp.col.purpose"), cell: (o) => <span className="payment-purpose">{o.purpose}</span> },
    {
      key: "class",
      header: t("fp.col.class"),
      sortField: "kosgu",
      cell: (o) => (
        <>
          {classification(o, t)}
          {o.needs_review && <span className="badge badge-warn"> {t("fp.review")}</span>}
        </>
      ),
    },
  ];

  return (
    <section className="payments-page">
      <h1>{t("fp.title")}</h1>
      <p className="muted">{t("fp.intro")}</p>
      {can("finance.payment_order:write") && (
        <p>
          <Link className="button primary" to="/finance/payments/import">
            {t("fp.import")}
          </Link>
        </p>
      )}
      <fieldset className="payments-filters">
        <legend>{t("fp.filters")}</legend>
        {manyMos && (
          <label>
            {t("fp.f.mo")}{" "}
            <select value={search.get("mo_id") ?? ""} onChange={(e) => set("mo_id")(e.target.value)}>
              <option value="">{t("fp.f.anyMo")}</option>
              {(mos.data ?? []).map((m) => (
                <option key={m.id} value={m.id}>
                  {m.code ? `${m.code} · ${m.name}` : m.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("fp.f.from")} <input type="date" value={search.get("date_from") ?? ""} onChange={(e) => set("date_from")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.to")} <input type="date" value={search.get("date_to") ?? ""} onChange={(e) => set("date_to")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.direction")}{" "}
          <select value={search.get("direction") ?? ""} onChange={(e) => set("direction")(e.target.value)}>
            <option value="">{t("fp.f.any")}</option>
            <option value="out">{t("fp.dir.out")}</option>
            <option value="in">{t("fp.dir.in")}</option>
          </select>
        </label>
        <label>
          {t("fp.f.counterparty")} <input value={search.get("counterparty") ?? ""} onChange={(e) => set("counterparty")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.amountMin")} <input inputMode="decimal" size={10} value={search.get("amount_min") ?? ""} onChange={(e) => set("amount_min")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.amountMax")} <input inputMode="decimal" size={10} value={search.get("amount_max") ?? ""} onChange={(e) => set("amount_max")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.kvfo")}{" "}
          <select value={search.get("kvfo") ?? ""} onChange={(e) => set("kvfo")(e.target.value)}>
            <option value="">{t("fp.f.any")}</option>
            {[7, 4, 5, 6, 2].map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("fp.f.kosgu")} <input size={4} maxLength={3} value={search.get("kosgu") ?? ""} onChange={(e) => set("kosgu")(e.target.value)} />
        </label>
        <label>
          {t("fp.f.q")} <input value={search.get("q") ?? ""} onChange={(e) => set("q")(e.target.value)} />
        </label>
        <label>
          <input type="checkbox" checked={search.get("needs_review") === "true"} onChange={(e) => set("needs_review")(e.target.checked ? "true" : "")} />{" "}
          {t("fp.f.review")}
        </label>
        <button type="button" onClick={() => update(Object.fromEntries(FILTERS.map((f) => [f, null])))}>
          {t("fp.f.reset")}
        </button>
      </fieldset>
      <p className="payments-export">
        {t("fp.export")}: <DownloadButton url={exportUrl(query, "1c")}>{t("fp.export.1c")}</DownloadButton>{" "}
        <DownloadButton url={exportUrl(query, "csv")}>{t("fp.export.csv")}</DownloadButton>{" "}
        <DownloadButton url={exportUrl(query, "xlsx")}>{t("fp.export.xlsx")}</DownloadButton>
      </p>
      <PagedTable query={orders} columns={columns} rowKey={(o) => o.id} params={params} update={update} label={t("fp.title")} empty={t("fp.empty")} />
    </section>
  );
}
