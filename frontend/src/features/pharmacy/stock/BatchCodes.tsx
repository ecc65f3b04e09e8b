/**
 * The packages of one marked batch leaving the stock (write-off, transfer, return), scanned one
 * by one: a repeat of a package (by GTIN + serial) or a text that is not a marking code is
 * refused at the field; the scanned codes are listed.
 */
import { useState } from "react";
import { ScanField } from "../scanner/ScanField";
import { visible } from "../scanner/wedge";
import { addScan, takenIdentities } from "./logic";
import { useStockText } from "./texts";

export function BatchCodes({ label, codes, onChange }: { label: string; codes: string[]; onChange: (codes: string[]) => void }) {
  const t = useStockText();
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <ScanField
        label={label}
        error={error}
        onScan={(raw) => {
          const result = addScan({ codes, gtin: "" }, raw, takenIdentities([{ codes }]));
          setError(result.error ? t(result.error === "duplicate" ? "st.r.err.duplicate" : "st.r.err.notCode") : null);
          if (!result.error) onChange(result.codes);
        }}
      />
      <p>{t("st.r.codes", { n: codes.length })}</p>
      <ol className="code-list">
        {codes.map((c) => (
          <li key={c}>
            <code>{visible(c).slice(0, 40)}</code>
          </li>
        ))}
      </ol>
    </>
  );
}
