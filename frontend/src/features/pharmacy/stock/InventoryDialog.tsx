/**
 * Инвентаризация by the rows on screen: start a draft, enter the counted quantity of each batch
 * (for a marked drug scan its packages instead), save the count — the server answers with the
 * differences, the packages not found and the ones found beyond the book — then post it: the
 * differences are booked as inventory movements.
 */
import { useState } from "react";
import { formatDate } from "../../../app/format";
import { ErrorState } from "../../../components/states";
import { useCountInventory, usePostInventory, useStartInventory, type InventoryRead, type StockRow } from "./hooks";
import { addScan, takenIdentities, today } from "./logic";
import { Modal } from "./Modal";
import { ScanField } from "../scanner/ScanField";
import { useStockText } from "./texts";

export function InventoryDialog({ open, rows, pharmacyId, onClose }: { open: boolean; rows: StockRow[]; pharmacyId: string | null; onClose: () => void }) {
  const t = useStockText();
  return (
    <Modal open={open} title={t("st.i.title")} onClose={onClose}>
      <InventoryForm rows={rows} pharmacyId={pharmacyId} onClose={onClose} />
    </Modal>
  );
}

function InventoryForm({ rows, pharmacyId, onClose }: { rows: StockRow[]; pharmacyId: string | null; onClose: () => void }) {
  const t = useStockText();
  const start = useStartInventory();
  const count = useCountInventory();
  const post = usePostInventory();
  const [number, setNumber] = useState("");
  const [date, setDate] = useState(today());
  const [counted, setCounted] = useState<Record<string, string>>({});
  const [codes, setCodes] = useState<Record<string, string[]>>({});
  const [inventory, setInventory] = useState<InventoryRead | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const error = start.error ?? count.error ?? post.error;
  const posted = inventory?.document.status === "posted";

  const lines = rows
    .filter((r) => (codes[r.batch_id]?.length ?? 0) > 0 || (counted[r.batch_id] ?? "").trim() !== "")
    .map((r) =>
      r.marked && codes[r.batch_id]?.length
        ? { batch_id: r.batch_id, codes: codes[r.batch_id] }
        : { batch_id: r.batch_id, counted_quantity: Number.parseInt(counted[r.batch_id] ?? "", 10) },
    );

  const save = () => {
    if (!inventory) return;
    if (!lines.length) {
      setNotice(t("st.i.noLines"));
      return;
    }
    setNotice(null);
    count.mutate({ id: inventory.document.id, body: { lines } }, { onSuccess: setInventory });
  };
  const byBatch = new Map((inventory?.lines ?? []).map((l) => [l.batch_id, l]));

  if (!inventory) {
    return (
      <form
        onSubmit={(e) => {
          e.preventDefault();
          start.mutate({ number: number.trim(), doc_date: date, ...(pharmacyId ? { pharmacy_id: pharmacyId } : {}) }, { onSuccess: setInventory });
        }}
      >
        <div className="inline-form">
          <label>
            {t("st.i.number")}
            <input required value={number} onChange={(e) => setNumber(e.target.value)} />
          </label>
          <label>
            {t("st.i.date")}
            <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
          </label>
        </div>
        {error && <ErrorState error={error} />}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            {t("st.close")}
          </button>
          <button type="submit" className="primary" disabled={start.isPending || !number.trim()}>
            {t("st.i.start")}
          </button>
        </div>
      </form>
    );
  }

  return (
    <div>
      <div className="table-wrap">
        <table className="data-table" aria-label={t("st.i.title")}>
          <thead>
            <tr>
              <th scope="col">{t("st.col.drug")}</th>
              <th scope="col">{t("st.col.series")}</th>
              <th scope="col">{t("st.col.expiry")}</th>
              <th scope="col" className="num">{t("st.i.book")}</th>
              <th scope="col">{t("st.i.counted")}</th>
              <th scope="col" className="num">{t("st.i.difference")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const line = byBatch.get(r.batch_id);
              return (
                <tr key={r.batch_id}>
                  <td>{r.trade_name}</td>
                  <td>{r.series}</td>
                  <td>{formatDate(r.expiry_date)}</td>
                  <td className="num">{line?.book_quantity ?? r.quantity}</td>
                  <td>
                    {r.marked ? (
                      <ScanField
                        label={`${t("st.i.scan")}: ${codes[r.batch_id]?.length ?? 0}`}
                        onScan={(raw) => {
                          const mine = codes[r.batch_id] ?? [];
                          const result = addScan({ codes: mine, gtin: "" }, raw, takenIdentities(Object.values(codes).map((c) => ({ codes: c }))));
                          if (!result.error) setCodes((c) => ({ ...c, [r.batch_id]: result.codes }));
                        }}
                      />
                    ) : (
                      <input
                        aria-label={`${t("st.i.counted")}: ${r.trade_name} ${r.series}`}
                        inputMode="numeric"
                        size={6}
                        disabled={posted}
                        value={counted[r.batch_id] ?? ""}
                        onChange={(e) => setCounted((c) => ({ ...c, [r.batch_id]: e.target.value }))}
                      />
                    )}
                    {line?.missing_codes?.length ? (
                      <div className="muted">
                        {t("st.i.missing")}: {line.missing_codes.join(", ")}
                      </div>
                    ) : null}
                    {line?.surplus_codes?.length ? (
                      <div className="muted">
                        {t("st.i.surplus")}: {line.surplus_codes.join(", ")}
                      </div>
                    ) : null}
                  </td>
                  <td className={`num${line && line.difference !== 0 ? " stock-diff" : ""}`}>
                    {line ? (line.difference > 0 ? `+${line.difference}` : line.difference) : "—"}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {notice && <p className="field-error" role="alert">{notice}</p>}
      {posted && <p role="status">{t("st.i.posted")}</p>}
      {error && <ErrorState error={error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("st.close")}
        </button>
        {!posted && (
          <>
            <button type="button" onClick={save} disabled={count.isPending}>
              {t("st.i.save")}
            </button>
            <button
              type="button"
              className="primary"
              disabled={post.isPending || !inventory.lines.length}
              onClick={() => post.mutate(inventory.document.id, { onSuccess: setInventory })}
            >
              {t("st.i.post")}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
