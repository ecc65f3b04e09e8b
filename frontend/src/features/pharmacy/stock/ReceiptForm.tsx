/**
 * Приход по накладной: the invoice's head, then lines — each a batch (GTIN, series, expiry,
 * funding source, price, quantity) with a scanner field: every package's code + Enter adds it
 * (the first code fills the line's GTIN; another drug's code or a repeat is refused at once).
 * The server's refusal (a code of another drug, known before, an expired batch, a repeated
 * invoice) is shown with the line and field it names.
 */
import { useState } from "react";
import { ErrorState } from "../../../components/states";
import { visible } from "../scanner/wedge";
import { useReceipt, type DocumentRead } from "./hooks";
import { ScanField } from "../scanner/ScanField";
import { addScan, emptyLine, receiptBody, takenIdentities, today, type DraftProblem, type ReceiptDraft, type ReceiptLineDraft } from "./logic";
import { useStockText, type StockKey, type StockText } from "./texts";

const FIELD_KEYS: Record<string, StockKey> = {
  supplier: "st.r.supplier",
  invoice_number: "st.r.invoice",
  invoice_date: "st.r.date",
  gtin: "st.r.gtin",
  series: "st.r.series",
  expiry_date: "st.r.expiry",
  unit_price: "st.r.price",
  quantity: "st.r.quantity",
};

export function problemText(p: DraftProblem, t: StockText): string {
  if (p.kind === "count") return t("st.r.err.count", { n: p.line, codes: p.codes, quantity: p.quantity });
  const fields = p.fields.map((f) => t(FIELD_KEYS[f] ?? "st.r.series")).join(", ");
  return (p.line ? `${t("st.r.line", { n: p.line })}: ` : "") + t("st.r.err.required", { fields });
}

export function ReceiptForm({
  pharmacies,
  onDone,
}: {
  pharmacies: { id: string; name?: string | null }[];
  onDone: (doc: DocumentRead) => void;
}) {
  const t = useStockText();
  const receipt = useReceipt();
  const [nextKey, setNextKey] = useState(2);
  const [draft, setDraft] = useState<ReceiptDraft>({
    supplier: "",
    invoice_number: "",
    invoice_date: today(),
    pharmacy_id: "",
    lines: [emptyLine(1)],
  });
  const [scanErrors, setScanErrors] = useState<Record<number, string | null>>({});
  const [problems, setProblems] = useState<DraftProblem[]>([]);

  const setHead = (field: "supplier" | "invoice_number" | "invoice_date" | "pharmacy_id") => (value: string) =>
    setDraft((d) => ({ ...d, [field]: value }));
  const setLine = (key: number, changes: Partial<ReceiptLineDraft>) =>
    setDraft((d) => ({ ...d, lines: d.lines.map((l) => (l.key === key ? { ...l, ...changes } : l)) }));

  const scan = (line: ReceiptLineDraft) => (raw: string) => {
    const result = addScan(line, raw, takenIdentities(draft.lines));
    if (result.error) {
      const message =
        result.error === "otherGtin"
          ? t("st.r.err.otherGtin", { gtin: result.errorGtin ?? "", lineGtin: line.gtin })
          : t(result.error === "duplicate" ? "st.r.err.duplicate" : "st.r.err.notCode");
      setScanErrors((e) => ({ ...e, [line.key]: message }));
      return;
    }
    setScanErrors((e) => ({ ...e, [line.key]: null }));
    setLine(line.key, { codes: result.codes, gtin: result.gtin });
  };

  const submit = () => {
    const result = receiptBody(draft);
    if ("problems" in result) {
      setProblems(result.problems);
      return;
    }
    setProblems([]);
    receipt.mutate(result.body, { onSuccess: onDone });
  };

  return (
    <form
      className="stock-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="inline-form">
        <label>
          {t("st.r.supplier")}
          <input required value={draft.supplier} onChange={(e) => setHead("supplier")(e.target.value)} />
        </label>
        <label>
          {t("st.r.invoice")}
          <input required value={draft.invoice_number} onChange={(e) => setHead("invoice_number")(e.target.value)} />
        </label>
        <label>
          {t("st.r.date")}
          <input type="date" required value={draft.invoice_date} onChange={(e) => setHead("invoice_date")(e.target.value)} />
        </label>
        {pharmacies.length > 1 && (
          <label>
            {t("st.r.pharmacy")}
            <select value={draft.pharmacy_id} onChange={(e) => setHead("pharmacy_id")(e.target.value)}>
              <option value="">—</option>
              {pharmacies.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name ?? p.id}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      {draft.lines.map((line, i) => (
        <fieldset key={line.key} className="stock-line">
          <legend>{t("st.r.line", { n: i + 1 })}</legend>
          <div className="inline-form">
            <label>
              {t("st.r.gtin")}
              <input inputMode="numeric" maxLength={14} size={15} value={line.gtin} onChange={(e) => setLine(line.key, { gtin: e.target.value.trim() })} />
            </label>
            <label>
              {t("st.r.series")}
              <input maxLength={20} size={10} value={line.series} onChange={(e) => setLine(line.key, { series: e.target.value })} />
            </label>
            <label>
              {t("st.r.expiry")}
              <input type="date" value={line.expiry_date} onChange={(e) => setLine(line.key, { expiry_date: e.target.value })} />
            </label>
            <label>
              {t("st.r.funding")}
              <select value={line.funding_source} onChange={(e) => setLine(line.key, { funding_source: e.target.value as "federal" | "regional" })}>
                <option value="federal">{t("st.funding.federal")}</option>
                <option value="regional">{t("st.funding.regional")}</option>
              </select>
            </label>
            <label>
              {t("st.r.price")}
              <input inputMode="decimal" size={8} value={line.unit_price} onChange={(e) => setLine(line.key, { unit_price: e.target.value })} />
            </label>
            <label>
              {t("st.r.quantity")}
              <input inputMode="numeric" size={6} placeholder={line.codes.length ? String(line.codes.length) : ""} value={line.quantity} onChange={(e) => setLine(line.key, { quantity: e.target.value })} />
            </label>
            <label>
              {t("st.r.threshold")}
              <input inputMode="numeric" size={4} value={line.low_threshold} onChange={(e) => setLine(line.key, { low_threshold: e.target.value })} />
            </label>
            {draft.lines.length > 1 && (
              <button type="button" className="link" onClick={() => setDraft((d) => ({ ...d, lines: d.lines.filter((l) => l.key !== line.key) }))}>
                {t("st.r.removeLine")}
              </button>
            )}
          </div>
          <ScanCodes line={line} t={t} error={scanErrors[line.key] ?? null} onScan={scan(line)} onRemove={(code) => setLine(line.key, { codes: line.codes.filter((c) => c !== code) })} />
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          onClick={() => {
            setDraft((d) => ({ ...d, lines: [...d.lines, emptyLine(nextKey)] }));
            setNextKey((k) => k + 1);
          }}
        >
          {t("st.r.addLine")}
        </button>{" "}
        <button type="submit" className="primary" disabled={receipt.isPending}>
          {t("st.r.submit")}
        </button>
      </p>
      {problems.length > 0 && (
        <ul className="field-error" role="alert">
          {problems.map((p, i) => (
            <li key={i}>{problemText(p, t)}</li>
          ))}
        </ul>
      )}
      {receipt.error && <ErrorState error={receipt.error} />}
    </form>
  );
}


function ScanCodes({
  line,
  t,
  error,
  onScan,
  onRemove,
}: {
  line: ReceiptLineDraft;
  t: StockText;
  error: string | null;
  onScan: (raw: string) => void;
  onRemove: (code: string) => void;
}) {
  return (
    <div className="scan-codes">
      <ScanField label={t("st.r.scan")} hint={t("st.r.scanHint")} error={error} onScan={onScan} />
      {line.codes.length > 0 && (
        <details>
          <summary>{t("st.r.codes", { n: line.codes.length })}</summary>
          <ol className="code-list">
            {line.codes.map((c) => (
              <li key={c}>
                <code>{visible(c).slice(0, 40)}</code>{" "}
                <button type="button" className="link" aria-label={t("st.r.removeCode")} onClick={() => onRemove(c)}>
                  ✕
                </button>
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
