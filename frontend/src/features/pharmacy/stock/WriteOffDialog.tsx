/** Списание одной партии: reason, act number and date, quantity — for a marked drug the packages' codes by scanner. */
import { useState } from "react";
import { ErrorState } from "../../../components/states";
import { useWriteOff, type StockRow, type WriteOffIn } from "./hooks";
import { BatchCodes } from "./BatchCodes";
import { today } from "./logic";
import { Modal } from "./Modal";
import { useStockText } from "./texts";

const REASONS = ["expired", "defect", "damage", "recall", "shortage"] as const;

export function WriteOffDialog({ row, onClose }: { row: StockRow | null; onClose: () => void }) {
  const t = useStockText();
  return (
    <Modal open={row !== null} title={`${t("st.w.title")}: ${row?.trade_name ?? ""}, ${row?.series ?? ""}`} onClose={onClose}>
      {row && <WriteOffForm key={row.batch_id} row={row} onClose={onClose} />}
    </Modal>
  );
}

function WriteOffForm({ row, onClose }: { row: StockRow; onClose: () => void }) {
  const t = useStockText();
  const writeOff = useWriteOff();
  const [reason, setReason] = useState<WriteOffIn["reason"]>(row.days_to_expiry < 0 ? "expired" : "damage");
  const [number, setNumber] = useState("");
  const [date, setDate] = useState(today());
  const [quantity, setQuantity] = useState("1");
  const [codes, setCodes] = useState<string[]>([]);
  const count = row.marked ? codes.length : Number.parseInt(quantity, 10);

  const submit = () =>
    writeOff.mutate(
      {
        pharmacy_id: row.pharmacy_id,
        reason,
        number: number.trim(),
        doc_date: date,
        lines: [{ batch_id: row.batch_id, quantity: count, codes }],
      },
      { onSuccess: onClose },
    );

  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="inline-form">
        <label>
          {t("st.w.reason")}
          <select value={reason} onChange={(e) => setReason(e.target.value as WriteOffIn["reason"])}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`st.w.reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("st.w.number")}
          <input required value={number} onChange={(e) => setNumber(e.target.value)} />
        </label>
        <label>
          {t("st.w.date")}
          <input type="date" required value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        {!row.marked && (
          <label>
            {t("st.w.quantity")}
            <input inputMode="numeric" size={6} value={quantity} onChange={(e) => setQuantity(e.target.value)} />
          </label>
        )}
      </div>
      {row.marked && <BatchCodes label={t("st.w.codes")} codes={codes} onChange={setCodes} />}
      {writeOff.error && <ErrorState error={writeOff.error} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          {t("st.close")}
        </button>
        <button type="submit" className="danger" disabled={writeOff.isPending || !(count > 0) || !number.trim()}>
          {t("st.w.submit")}
        </button>
      </div>
    </form>
  );
}
