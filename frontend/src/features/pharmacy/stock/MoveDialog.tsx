/**
 * Перемещение в другую аптеку и возврат поставщику одной партии: the destination (a transfer) or
 * the supplier (a return) from the region's pharmacies and warehouses (GET /stock/counterparties —
 * the scoped pharmacies' list holds only the pharmacist's own), the document's number and date,
 * the quantity — for a marked drug the packages' codes by scanner. A marked return needs the
 * supplier from the register (the receiver in the МДЛП report); the server says so too.
 */
import { useState } from "react";
import { ErrorState, Loading } from "../../../components/states";
import { useCounterparties, useReturn, useTransfer, type Counterparty, type DocumentRead, type StockRow } from "./hooks";
import { BatchCodes } from "./BatchCodes";
import { today } from "./logic";
import { Modal } from "./Modal";
import { useStockText } from "./texts";

export type MoveMode = "transfer" | "return";

export function MoveDialog({
  move,
  onClose,
  onDone,
}: {
  move: { row: StockRow; mode: MoveMode } | null;
  onClose: () => void;
  onDone: (mode: MoveMode, doc: DocumentRead) => void;
}) {
  const t = useStockText();
  const title = move ? `${t(move.mode === "transfer" ? "st.m.transfer.title" : "st.m.return.title")}: ${move.row.trade_name}, ${move.row.series}` : "";
  return (
    <Modal open={move !== null} title={title} onClose={onClose}>
      {move && <MoveForm key={`${move.mode}-${move.row.batch_id}`} row={move.row} mode={move.mode} onClose={onClose} onDone={(doc) => onDone(move.mode, doc)} />}
    </Modal>
  );
}

function label(t: ReturnType<typeof useStockText>, c: Counterparty): string {
  return `${c.name}${c.code ? ` (${c.code})` : ""}, ${t(c.kind === "warehouse" ? "st.m.kind.warehouse" : "st.m.kind.pharmacy")}`;
}

function MoveForm({ row, mode, onClose, onDone }: { row: StockRow; mode: MoveMode; onClose: () => void; onDone: (doc: DocumentRead) => void }) {
  const t = useStockText();
  const counterparties = useCounterparties();
  const transfer = useTransfer();
  const giveBack = useReturn();
  const mutation = mode === "transfer" ? transfer : giveBack;
  const [to, setTo] = useState("");
  const [supplier, setSupplier] = useState("");
  const [number, setNumber] = useState("");
  const [date, setDate] = useState(today());
  const [quantity, setQuantity] = useState("1");
  const [codes, setCodes] = useState<string[]>([]);
  const count = row.marked ? codes.length : Number.parseInt(quantity, 10);
  const list = counterparties.data ?? [];
  // a return's supplier from the register: warehouses first (the list comes ordered by kind)
  const suppliers = [...list].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === "warehouse" ? -1 : 1));
  const needsSupplierOrg = mode === "return" && row.marked && !to;
  const ready = count > 0 && count <= row.free && number.trim() !== "" && (mode === "transfer" ? to !== "" : supplier.trim() !== "" && !needsSupplierOrg);

  const submit = () => {
    const lines = [{ batch_id: row.batch_id, quantity: count, codes }];
    const head = { pharmacy_id: row.pharmacy_id, number: number.trim(), doc_date: date, lines };
    if (mode === "transfer") transfer.mutate({ ...head, to_pharmacy_id: to }, { onSuccess: onDone });
    else giveBack.mutate({ ...head, supplier: supplier.trim(), supplier_id: to || null }, { onSuccess: onDone });
  };

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      {counterparties.isLoading && <Loading label={t("st.m.loading")} />}
      {counterparties.error && <ErrorState error={counterparties.error} />}
      <div className="inline-form">
        {mode === "transfer" ? (
          <label>
            {t("st.m.to")}
            <select required value={to} onChange={(e) => setTo(e.target.value)}>
              <option value="">{t("st.m.to.choose")}</option>
              {list.map((c) => (
                <option key={c.id} value={c.id}>
                  {label(t, c)}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <>
            <label>
              {t("st.m.supplierOrg")}
              <select
                value={to}
                onChange={(e) => {
                  const id = e.target.value;
                  setTo(id);
                  const chosen = list.find((c) => c.id === id);
                  if (chosen) setSupplier(chosen.name);
                }}
              >
                <option value="">{t("st.m.supplierOrg.none")}</option>
                {suppliers.map((c) => (
                  <option key={c.id} value={c.id}>
                    {label(t, c)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("st.m.supplier")}
              <input required value={supplier} onChange={(e) => setSupplier(e.target.value)} />
            </label>
          </>
        )}
        <label>
          {t(mode === "transfer" ? "st.m.transfer.number" : "st.m.return.number")}
          <input required value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <label>
          {t("st.m.date")}
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        {!row.marked && (
          <label>
            {t("st.w.quantity")}
            <input inputMode="numeric" size={6} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </label>
        )}
      </div>
      <p className="muted">{t("st.m.free", { free: row.free })}</p>
      {needsSupplierOrg && <p className="muted">{t("st.m.supplierOrg.needed")}</p>}
      {row.marked && <BatchCodes label={t("st.m.codes")} codes={codes} onChange={setCodes} />}
      {mutation.error && <ErrorState error={mutation.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("st.close")}
        </button>
        <button type="submit" className="primary" disabled={mutation.isPending || !ready}>
          {t(mode === "transfer" ? "st.m.transfer.submit" : "st.m.return.submit")}
        </button>
      </div>
    </form>
  );
}
