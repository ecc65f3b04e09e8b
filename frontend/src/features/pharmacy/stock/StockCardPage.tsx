/**
 * /pharmacy/stock/:pharmacyId/:drugId — the stock card (карточка товара): the drug's balance
 * and batches in the pharmacy, every movement in time order with the running balance, the
 * document and who booked it, a chart of the balance by day; a marked package found by its code
 * shows where it is and its history.
 */
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../../app/format";
import { LineChart } from "../../../components/charts/charts";
import { DataTable, type Column } from "../../../components/DataTable";
import { EmptyState, ErrorState, Loading, QueryState } from "../../../components/states";
import { useCard, usePackage, type CardMovement, type StockCard } from "./hooks";
import { balanceByDay, identityOfCode } from "./logic";
import { ScanField } from "../scanner/ScanField";
import { useStockText, type StockKey, type StockText } from "./texts";
import "./stock.css";

export default function StockCardPage() {
  const t = useStockText();
  const { pharmacyId = "", drugId = "" } = useParams();
  const [offset, setOffset] = useState<number | null>(null);
  const card = useCard(pharmacyId, drugId, offset);
  return (
    <section className="stock-card">
      <p>
        <Link to="/pharmacy/stock">{t("st.c.back")}</Link>
      </p>
      {card.error != null && <h1>{t("st.c.title")}</h1>}
      <QueryState query={card}>{(c) => <Card card={c} t={t} onPage={setOffset} />}</QueryState>
    </section>
  );
}

function Card({ card, t, onPage }: { card: StockCard; t: StockText; onPage: (offset: number) => void }) {
  const chart = balanceByDay(card.movements);
  const columns: Column<CardMovement>[] = [
    { key: "when", header: t("st.c.when"), cell: (m) => formatDateTime(m.booked_at) },
    { key: "kind", header: t("st.c.kind"), cell: (m) => t(`st.kind.${m.kind}` as StockKey) + (m.reason ? ` (${m.reason})` : "") },
    { key: "series", header: t("st.col.series"), cell: (m) => m.series },
    { key: "quantity", header: t("st.c.quantity"), align: "right", cell: (m) => <span className={m.quantity < 0 ? "qty-out" : "qty-in"}>{m.quantity > 0 ? `+${m.quantity}` : m.quantity}</span> },
    { key: "balance", header: t("st.c.balanceAfter"), align: "right", cell: (m) => formatNumber(m.balance) },
    { key: "document", header: t("st.c.document"), cell: (m) => m.document ?? "" },
    { key: "who", header: t("st.c.who"), cell: (m) => m.booked_by },
    { key: "codes", header: t("st.c.codes"), align: "right", cell: (m) => (m.sgtins?.length ? formatNumber(m.sgtins.length) : "") },
  ];
  return (
    <>
      <h1>
        {t("st.c.title")}: {card.trade_name}
      </h1>
      <p className="muted">
        {card.inn}, {card.dosage_form}, {card.dosage} · {card.pharmacy_name ?? card.pharmacy_id}
      </p>
      <p className="stock-totals">
        <strong>
          {t("st.c.balance")}: {formatNumber(card.balance)}
        </strong>{" "}
        · {t("st.c.reserved")}: {formatNumber(card.reserved)}
      </p>
      <h2>{t("st.c.batches")}</h2>
      <DataTable
        rows={card.batches}
        rowKey={(b) => b.batch_id}
        label={t("st.c.batches")}
        columns={[
          { key: "series", header: t("st.col.series"), cell: (b) => b.series },
          { key: "expiry", header: t("st.col.expiry"), cell: (b) => formatDate(b.expiry_date) },
          { key: "funding", header: t("st.col.funding"), cell: (b) => t(b.funding_source === "federal" ? "st.funding.federal" : "st.funding.regional") },
          { key: "price", header: t("st.col.price"), align: "right", cell: (b) => formatMoney(b.unit_price) },
          { key: "quantity", header: t("st.col.quantity"), align: "right", cell: (b) => formatNumber(b.quantity) },
          { key: "reserved", header: t("st.col.reserved"), align: "right", cell: (b) => formatNumber(b.reserved) },
        ]}
      />
      {chart.labels.length > 1 && (
        <LineChart title={t("st.c.chart")} labels={chart.labels} series={[{ label: t("st.c.series"), values: chart.values }]} wide />
      )}
      <h2>{t("st.c.movements")}</h2>
      {card.movements.length === 0 ? (
        <EmptyState>{t("st.c.empty")}</EmptyState>
      ) : (
        <>
          <DataTable rows={card.movements} rowKey={(m) => m.id} columns={columns} label={t("st.c.movements")} />
          {card.total > card.limit && (
            <div className="pager" role="group" aria-label={t("st.c.movements")}>
              <span>{t("st.c.range", { from: card.offset + 1, to: Math.min(card.offset + card.limit, card.total), total: card.total })}</span>
              <button type="button" disabled={card.offset === 0} onClick={() => onPage(Math.max(0, card.offset - card.limit))}>
                {t("st.c.earlier")}
              </button>
              <button type="button" disabled={card.offset + card.limit >= card.total} onClick={() => onPage(card.offset + card.limit)}>
                {t("st.c.later")}
              </button>
            </div>
          )}
        </>
      )}
      {card.marked && <PackageLookup t={t} />}
    </>
  );
}

function PackageLookup({ t }: { t: StockText }) {
  const [code, setCode] = useState("");
  const found = usePackage(code);
  return (
    <section className="package-lookup">
      <h2>{t("st.c.package")}</h2>
      <ScanField label={t("st.r.scan")} onScan={(raw) => setCode(identityOfCode(raw))} />
      {found.isFetching && <Loading />}
      {found.error && <ErrorState error={found.error} />}
      {found.data && (
        <div>
          <p>
            <code>{found.data.sgtin}</code> —{" "}
            {t("st.c.packageWhere", {
              status: t(`st.status.${found.data.status}` as StockKey),
              pharmacy: found.data.pharmacy_name ?? found.data.pharmacy_id,
              series: found.data.series,
            })}
          </p>
          <ol>
            {found.data.history.map((h, i) => (
              <li key={i}>
                {formatDateTime(h.booked_at)} — {t(`st.kind.${h.kind}` as StockKey)}
                {h.document ? `, ${h.document}` : ""} ({h.booked_by})
              </li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
