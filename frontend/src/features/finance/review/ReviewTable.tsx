/**
 * The review list as a table: date, payee (or payer), purpose, amount, the suggested КВФО/КОСГУ
 * with a confidence bar, the model's alternatives (a click opens the correction with it), and
 * the row's confirm / correct buttons; rows can be selected for a bulk confirm.
 */
import { formatDate, formatMoney } from "../../../app/format";
import { DataTable, type Column } from "../../../components/DataTable";
import type { ReviewItem } from "./hooks";
import { useReviewText } from "./texts";
import "./review.css";

export function pct(value: number | null | undefined): number {
  return value == null ? 0 : Math.round(value * 100);
}

export function classLabel(kvfo: number | null | undefined, kosgu: string | null | undefined): string {
  if (kvfo == null && !kosgu) return "—";
  return `${kvfo ?? "?"} · ${kosgu ?? "???"}`;
}

export function ConfidenceBar({ value, threshold }: { value: number | null | undefined; threshold: number }) {
  const p = pct(value);
  const tone = value == null || value < threshold / 2 ? "low" : value < threshold ? "mid" : "high";
  return (
    <span className="confidence" role="meter" aria-valuemin={0} aria-valuemax={100} aria-valuenow={p} aria-label={`${p} %`}>
      <span className={`confidence-fill confidence-${tone}`} style={{ width: `${p}%` }} />
      <span className="confidence-text">{p} %</span>
    </span>
  );
}

export function ReviewTable({
  items,
  threshold,
  selected,
  canWrite,
  busy,
  onToggle,
  onToggleAll,
  onConfirm,
  onCorrect,
}: {
  items: ReviewItem[];
  threshold: number;
  selected: ReadonlySet<string>;
  canWrite: boolean;
  busy?: boolean;
  onToggle: (id: string) => void;
  onToggleAll: (ids: string[], on: boolean) => void;
  onConfirm: (item: ReviewItem) => void;
  onCorrect: (item: ReviewItem, pick?: { kvfo: number; kosgu: string }) => void;
}) {
  const t = useReviewText();
  const confirmable = items.filter((i) => i.kvfo != null && i.kosgu != null).map((i) => i.id);
  const allOn = confirmable.length > 0 && confirmable.every((id) => selected.has(id));
  const columns: Column<ReviewItem>[] = [
    ...(canWrite
      ? [
          {
            key: "select",
            header: (
              <input type="checkbox" aria-label={t("fr.selectAll")} checked={allOn}
                onChange={(e) => onToggleAll(confirmable, e.target.checked)} />
            ),
            cell: (i: ReviewItem) => (
              <input type="checkbox" aria-label={`${t("fr.col.select")} № ${i.doc_number}`} checked={selected.has(i.id)}
                disabled={i.kvfo == null || i.kosgu == null} onChange={() => onToggle(i.id)} />
            ),
          } satisfies Column<ReviewItem>,
        ]
      : []),
    { key: "date", header: t("fr.col.date"), cell: (i) => <>{formatDate(i.doc_date)}<br /><small className="muted">№ {i.doc_number}</small></> },
    {
      key: "payee",
      header: t("fr.col.payee"),
      cell: (i) => (
        <>
          {i.counterparty_name}
          {i.counterparty_inn && <><br /><small className="muted">ИНН {i.counterparty_inn}</small></>}
          {i.direction === "in" && <><br /><small className="tag">{t("fr.in")}</small></>}
        </>
      ),
    },
    { key: "purpose", header: t("fr.col.purpose"), cell: (i) => <span className="review-purpose">{i.purpose}</span> },
    { key: "amount", header: t("fr.col.amount"), align: "right", cell: (i) => formatMoney(i.amount) },
    {
      key: "suggested",
      header: t("fr.col.suggested"),
      cell: (i) => (
        <span data-testid={`suggested-${i.id}`} title={i.kosgu_name ?? ""}>
          <strong>{classLabel(i.kvfo, i.kosgu)}</strong>
          <br />
          <small className="muted">{i.classified_by ? t(i.classified_by === "rule" ? "fr.by.rule" : "fr.by.model") : t("fr.unknown")}</small>
        </span>
      ),
    },
    { key: "confidence", header: t("fr.col.confidence"), cell: (i) => <ConfidenceBar value={i.confidence} threshold={threshold} /> },
    {
      key: "alternatives",
      header: t("fr.col.alternatives"),
      cell: (i) => (
        <ul className="review-alternatives">
          {i.alternatives.map((a) => (
            <li key={`${a.kvfo}-${a.kosgu}`}>
              {canWrite ? (
                <button type="button" className="link" title={a.kosgu_name} onClick={() => onCorrect(i, { kvfo: a.kvfo, kosgu: a.kosgu })}>
                  {classLabel(a.kvfo, a.kosgu)}
                </button>
              ) : (
                <span title={a.kosgu_name}>{classLabel(a.kvfo, a.kosgu)}</span>
              )}{" "}
              <small className="muted">{pct(a.probability)} %</small>
            </li>
          ))}
        </ul>
      ),
    },
    ...(canWrite
      ? [
          {
            key: "action",
            header: t("fr.col.action"),
            cell: (i: ReviewItem) => (
              <span className="review-actions">
                <button type="button" disabled={i.kvfo == null || i.kosgu == null} onClick={() => onConfirm(i)}>
                  {t("fr.confirm")}
                </button>
                <button type="button" onClick={() => onCorrect(i)}>{t("fr.correct")}</button>
              </span>
            ),
          } satisfies Column<ReviewItem>,
        ]
      : []),
  ];
  return <DataTable columns={columns} rows={items} rowKey={(i) => i.id} label={t("fr.title")} busy={busy} />;
}
