/**
 * The correction of one payment: КВФО and КОСГУ selects (the КОСГУ of the payment's section
 * only: expense codes for a payment out, income codes for one in), prefilled with the
 * suggestion or the alternative picked; the model's alternatives as quick picks.
 */
import { formatDateTime } from "../../../app/format";
import type { KosguInfo } from "../budget/grid";
import type { DecisionRead, ReviewItem } from "./hooks";
import { classLabel } from "./ReviewTable";
import { useReviewText } from "./texts";

export interface Choice {
  kvfo: string;
  kosgu: string;
}

/** Earlier decisions on the payment (who, when, old → new), newest last. */
export function DecisionHistory({ decisions }: { decisions: readonly DecisionRead[] }) {
  const t = useReviewText();
  if (decisions.length === 0) return null;
  return (
    <details className="decision-history" open>
      <summary>{t("fr.history")}</summary>
      <ul>
        {decisions.map((d) => (
          <li key={d.id}>
            {t("fr.history.row", {
              at: formatDateTime(d.decided_at),
              by: d.decided_by,
              old: classLabel(d.old_kvfo, d.old_kosgu),
              new: classLabel(d.new_kvfo, d.new_kosgu),
            })}{" "}
            <small className="muted">({t(d.action === "confirm" ? "fr.history.confirm" : "fr.history.correct")})</small>
          </li>
        ))}
      </ul>
    </details>
  );
}

export function DecisionForm({
  item,
  kosgu,
  kvfo,
  value,
  onChange,
  history = [],
}: {
  item: ReviewItem;
  kosgu: readonly KosguInfo[];
  kvfo: readonly { code: number; name: string }[];
  value: Choice;
  onChange: (next: Choice) => void;
  history?: readonly DecisionRead[];
}) {
  const t = useReviewText();
  const section = item.direction === "in" ? "income" : "expense";
  const codes = kosgu.filter((k) => k.flow === section);
  return (
    <div className="decision-form">
      <p className="review-purpose">{item.purpose}</p>
      <p className="muted">{t("fr.dialog.suggested", { value: classLabel(item.kvfo, item.kosgu) })}</p>
      {item.alternatives.length > 0 && (
        <p>
          {t("fr.dialog.pick")}:{" "}
          {item.alternatives.map((a) => (
            <button key={`${a.kvfo}-${a.kosgu}`} type="button" className="chip" title={a.kosgu_name}
              onClick={() => onChange({ kvfo: String(a.kvfo), kosgu: a.kosgu })}>
              {classLabel(a.kvfo, a.kosgu)}
            </button>
          ))}
        </p>
      )}
      <label className="field">
        {t("fr.dialog.kvfo")}
        <select value={value.kvfo} onChange={(e) => onChange({ ...value, kvfo: e.target.value })}>
          <option value="" disabled>—</option>
          {kvfo.map((k) => (
            <option key={k.code} value={String(k.code)}>{k.code} — {k.name}</option>
          ))}
        </select>
      </label>
      <label className="field">
        {t("fr.dialog.kosgu")}
        <select value={value.kosgu} onChange={(e) => onChange({ ...value, kosgu: e.target.value })}>
          <option value="" disabled>—</option>
          {codes.map((k) => (
            <option key={k.code} value={k.code}>{k.code} — {k.name}</option>
          ))}
        </select>
      </label>
      <DecisionHistory decisions={history} />
    </div>
  );
}
