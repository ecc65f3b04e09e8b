/**
 * The batch picker of an unmarked drug (no marking codes to scan): the pharmacy's batches the
 * server says may fill the prescription, earliest expiry first, the first (FEFO) chosen; a
 * quantity (the prescribed one by default); «Отпустить» sends the batch and the quantity.
 * Keyboard: the batches are one radio group (arrows), Enter in the quantity dispenses.
 */
import { useState } from "react";
import { formatDate, formatMoney } from "../../../app/format";
import type { BatchChoice } from "./hooks";
import type { DispensingText } from "./texts";

export interface BatchPickerProps {
  batches: BatchChoice[];
  prescribed: number;
  disabled: boolean;
  pending: boolean;
  onDispense: (batchId: string, quantity: number) => void;
  t: DispensingText;
}

export function BatchPicker({ batches, prescribed, disabled, pending, onDispense, t }: BatchPickerProps) {
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(String(prescribed));
  const chosen = batches.find((b) => b.batch_id === chosenId) ?? batches[0] ?? null;
  const n = Number(quantity);
  const whole = Number.isInteger(n) && n > 0;
  const tooMany = !!chosen && whole && n > chosen.free;
  const canSend = !!chosen && whole && !tooMany && !disabled && !pending;

  if (batches.length === 0) {
    return (
      <p className="state state-empty batch-picker-empty" role="status">
        {t("pd.batch.none")}
      </p>
    );
  }
  return (
    <form
      className="batch-picker"
      aria-labelledby="batch-picker-title"
      onSubmit={(e) => {
        e.preventDefault();
        if (canSend && chosen) onDispense(chosen.batch_id, n);
      }}
    >
      <h2 id="batch-picker-title">{t("pd.batch.title")}</h2>
      <p className="muted">{t("pd.batch.hint")}</p>
      <table className="data-table batch-table">
        <caption className="visually-hidden">{t("pd.batch.title")}</caption>
        <thead>
          <tr>
            <th>
              <span className="visually-hidden">{t("pd.batch.choose")}</span>
            </th>
            <th>{t("pd.col.series")}</th>
            <th>{t("pd.col.expiry")}</th>
            <th className="num">{t("pd.col.free")}</th>
            <th className="num">{t("pd.col.price")}</th>
          </tr>
        </thead>
        <tbody>
          {batches.map((b, i) => {
            const id = `batch-${b.batch_id}`;
            const selected = chosen?.batch_id === b.batch_id;
            return (
              <tr key={b.batch_id} className={selected ? "batch-chosen" : undefined}>
                <td>
                  <input
                    type="radio"
                    id={id}
                    name="batch"
                    value={b.batch_id}
                    checked={selected}
                    onChange={() => setChosenId(b.batch_id)}
                    aria-label={t("pd.batch.option", { series: b.series, expiry: formatDate(b.expiry_date) })}
                  />
                </td>
                <td>
                  <label htmlFor={id}>
                    {b.series}
                    {i === 0 && <span className="muted"> — {t("pd.batch.fefo")}</span>}
                  </label>
                </td>
                <td>{formatDate(b.expiry_date)}</td>
                <td className="num">{b.free}</td>
                <td className="num">{formatMoney(b.unit_price)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="actions">
        <label htmlFor="batch-quantity">{t("pd.batch.quantity")}</label>
        <input
          id="batch-quantity"
          type="number"
          inputMode="numeric"
          min={1}
          max={chosen?.free}
          step={1}
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          aria-invalid={!whole || tooMany}
          aria-describedby="batch-quantity-note"
        />
        <button type="submit" className="primary" disabled={!canSend}>
          {t("pd.dispense")}
        </button>
      </div>
      <p id="batch-quantity-note" className={tooMany || !whole ? "line-error-text" : "muted"} aria-live="polite">
        {!whole
          ? t("pd.batch.quantityBad")
          : tooMany && chosen
            ? t("pd.batch.tooMany", { free: chosen.free, series: chosen.series })
            : n !== prescribed
              ? t("pd.batch.notPrescribed", { n: prescribed })
              : t("pd.batch.prescribed")}
      </p>
    </form>
  );
}
