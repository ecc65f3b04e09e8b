/**
 * /pharmacy/stock — the stock by batch: filters (pharmacy, drug text, funding source, expiring
 * within N days, below threshold, empty batches), server sorting and paging in the URL, expired
 * and expiring batches highlighted, drugs below their threshold marked; XLSX export of the
 * selection; for those who move stock: receipt by invoice, write-off, transfer to another pharmacy
 * and return to the supplier of a batch, inventory.
 */
import { useState } from "react";
import { Link } from "react-router-dom";
import { formatDate, formatMoney, formatNumber } from "../../../app/format";
import { useHasPermission } from "../../../app/auth";
import { PagedTable, type Column } from "../../../components/DataTable";
import { DownloadButton } from "../../../components/DownloadButton";
import { useListParams } from "../../../components/listParams";
import { exportUrl, usePharmacies, useStock, type StockQuery, type StockRow } from "./hooks";
import { InventoryDialog } from "./InventoryDialog";
import { expiryLevel } from "./logic";
import { Modal } from "./Modal";
import { MoveDialog, type MoveMode } from "./MoveDialog";
import { ReceiptForm } from "./ReceiptForm";
import { useStockText, type StockText } from "./texts";
import { WriteOffDialog } from "./WriteOffDialog";
import "./stock.css";

const FILTERS = ["pharmacy_id", "q", "funding_source", "expiring_within_days", "below_threshold", "include_empty"] as const;

export function ExpiryCell({ row, t }: { row: StockRow; t: StockText }) {
  const level = expiryLevel(row.days_to_expiry);
  return (
    <span className={`expiry expiry-${level}`}>
      {formatDate(row.expiry_date)}
      {level === "expired" && <span className="badge badge-danger"> {t("st.expired")}</span>}
      {level === "soon" && <span className="badge badge-warn"> {t("st.expiring", { days: row.days_to_expiry })}</span>}
    </span>
  );
}

export default function StockPage() {
  const t = useStockText();
  const can = useHasPermission();
  const writable = can("pharmacy.stock:write");
  const { params, search, update } = useListParams({ limit: 50, sort: "expiry_date,inn" });
  const query: StockQuery = { limit: params.limit, offset: params.offset, sort: params.sort ?? undefined };
  for (const name of FILTERS) {
    const value = search.get(name);
    if (!value) continue;
    if (name === "below_threshold" || name === "include_empty") query[name] = value === "true";
    else if (name === "expiring_within_days") query[name] = Number.parseInt(value, 10);
    else if (name === "funding_source") query[name] = value as "federal" | "regional";
    else query[name] = value;
  }
  const stock = useStock(query);
  const pharmacies = usePharmacies();
  const pharmacyList = pharmacies.data?.items ?? [];
  const many = pharmacyList.length > 1;
  const set = (name: string) => (value: string) => update({ [name]: value || null, offset: null });
  const [receiptOpen, setReceiptOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [writeOff, setWriteOff] = useState<StockRow | null>(null);
  const [move, setMove] = useState<{ row: StockRow; mode: MoveMode } | null>(null);
  const [inventoryOpen, setInventoryOpen] = useState(false);

  const columns: Column<StockRow>[] = [
    ...(many ? [{ key: "pharmacy", header: t("st.col.pharmacy"), sortField: "pharmacy_name", cell: (r: StockRow) => r.pharmacy_name ?? r.pharmacy_id }] : []),
    {
      key: "drug",
      header: t("st.col.drug"),
      sortField: "inn",
      cell: (r) => (
        <>
          <Link to={`/pharmacy/stock/${r.pharmacy_id}/${r.drug_id}`}>{r.trade_name}</Link>
          <div className="muted">
            {r.inn}, {r.dosage_form}, {r.dosage}
            {r.marked && <span className="badge badge-off"> {t("st.marked")}</span>}
          </div>
          {r.low && <span className="badge badge-warn">{t("st.low", { free: r.drug_free, threshold: r.threshold })}</span>}
        </>
      ),
    },
    { key: "series", header: t("st.col.series"), sortField: "series", cell: (r) => r.series },
    { key: "expiry", header: t("st.col.expiry"), sortField: "expiry_date", cell: (r) => <ExpiryCell row={r} t={t} /> },
    { key: "funding", header: t("st.col.funding"), sortField: "funding_source", cell: (r) => t(r.funding_source === "federal" ? "st.funding.federal" : "st.funding.regional") },
    { key: "price", header: t("st.col.price"), sortField: "unit_price", align: "right", cell: (r) => formatMoney(r.unit_price) },
    { key: "quantity", header: t("st.col.quantity"), sortField: "quantity", align: "right", cell: (r) => formatNumber(r.quantity) },
    { key: "reserved", header: t("st.col.reserved"), sortField: "reserved", align: "right", cell: (r) => formatNumber(r.reserved) },
    { key: "free", header: t("st.col.free"), sortField: "free", align: "right", cell: (r) => formatNumber(r.free) },
    ...(writable
      ? [
          {
            key: "actions",
            header: t("st.col.actions"),
            cell: (r: StockRow) =>
              r.quantity > r.reserved ? (
                <span className="row-actions">
                  <button type="button" className="link" onClick={() => setWriteOff(r)}>
                    {t("st.writeOff")}
                  </button>{" "}
                  <button type="button" className="link" onClick={() => setMove({ row: r, mode: "transfer" })}>
                    {t("st.transfer")}
                  </button>{" "}
                  <button type="button" className="link" onClick={() => setMove({ row: r, mode: "return" })}>
                    {t("st.return")}
                  </button>
                </span>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <section className="stock-page">
      <h1>{t("st.title")}</h1>
      <p className="muted">{t("st.intro")}</p>
      {writable && (
        <p className="stock-actions">
          <button type="button" className="primary" onClick={() => setReceiptOpen(true)}>
            {t("st.receipt")}
          </button>{" "}
          <button type="button" onClick={() => setInventoryOpen(true)} disabled={!stock.data?.items.length}>
            {t("st.inventory")}
          </button>
        </p>
      )}
      {notice && (
        <p className="stock-notice" role="status">
          {notice}
        </p>
      )}
      <fieldset className="stock-filters">
        <legend>{t("st.filters")}</legend>
        {many && (
          <label>
            {t("st.f.pharmacy")}{" "}
            <select value={search.get("pharmacy_id") ?? ""} onChange={(e) => set("pharmacy_id")(e.target.value)}>
              <option value="">{t("st.f.anyPharmacy")}</option>
              {pharmacyList.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.code ? `${p.code} · ${p.name ?? ""}` : (p.name ?? p.id)}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("st.f.q")} <input value={search.get("q") ?? ""} onChange={(e) => set("q")(e.target.value)} />
        </label>
        <label>
          {t("st.f.funding")}{" "}
          <select value={search.get("funding_source") ?? ""} onChange={(e) => set("funding_source")(e.target.value)}>
            <option value="">{t("st.f.any")}</option>
            <option value="federal">{t("st.funding.federal")}</option>
            <option value="regional">{t("st.funding.regional")}</option>
          </select>
        </label>
        <label>
          {t("st.f.expiring")}{" "}
          <input inputMode="numeric" size={5} value={search.get("expiring_within_days") ?? ""} onChange={(e) => set("expiring_within_days")(e.target.value.replace(/\D/g, ""))} />
        </label>
        <label>
          <input type="checkbox" checked={search.get("below_threshold") === "true"} onChange={(e) => set("below_threshold")(e.target.checked ? "true" : "")} /> {t("st.f.low")}
        </label>
        <label>
          <input type="checkbox" checked={search.get("include_empty") === "true"} onChange={(e) => set("include_empty")(e.target.checked ? "true" : "")} /> {t("st.f.empty")}
        </label>
        <button type="button" onClick={() => update(Object.fromEntries(FILTERS.map((f) => [f, null])))}>
          {t("st.f.reset")}
        </button>
      </fieldset>
      <p>
        <DownloadButton url={exportUrl(query)}>{t("st.export")}</DownloadButton>
      </p>
      <PagedTable query={stock} columns={columns} rowKey={(r) => r.batch_id} params={params} update={update} label={t("st.title")} empty={t("st.empty")} />

      <Modal open={receiptOpen} title={t("st.r.title")} onClose={() => setReceiptOpen(false)}>
        <ReceiptForm
          pharmacies={pharmacyList}
          onDone={(doc) => {
            setReceiptOpen(false);
            setNotice(t("st.r.done", { number: doc.number, lines: doc.movements?.length ?? 0 }));
          }}
        />
        <div className="dialog-actions">
          <button type="button" onClick={() => setReceiptOpen(false)}>
            {t("st.close")}
          </button>
        </div>
      </Modal>
      <WriteOffDialog
        row={writeOff}
        onClose={() => {
          setWriteOff(null);
        }}
      />
      <MoveDialog
        move={move}
        onClose={() => setMove(null)}
        onDone={(mode, doc) => {
          setMove(null);
          setNotice(t(mode === "transfer" ? "st.m.transfer.done" : "st.m.return.done", { number: doc.number }));
        }}
      />
      <InventoryDialog
        open={inventoryOpen}
        rows={stock.data?.items ?? []}
        pharmacyId={search.get("pharmacy_id")}
        onClose={() => setInventoryOpen(false)}
      />
    </section>
  );
}
