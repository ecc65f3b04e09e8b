/**
 * A labelled input for a keyboard-wedge scanner (./useWedgeInput): the group separator the
 * scanner sends as Ctrl+] or F8 becomes "\x1d"; each Enter hands the text to `onScan` (blank
 * text is ignored) and clears the field for the next package.
 */
import { useId } from "react";
import { useWedgeInput } from "./useWedgeInput";

export function ScanField({
  label,
  hint,
  onScan,
  error,
}: {
  label: string;
  hint?: string;
  onScan: (text: string) => void;
  error?: string | null;
}) {
  const id = useId();
  const wedge = useWedgeInput((text) => {
    if (text.trim()) onScan(text);
  });
  return (
    <div className={`scan-field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        {...wedge.inputProps}
        aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        aria-invalid={error ? true : undefined}
      />
      {hint && (
        <small id={`${id}-hint`} className="muted">
          {hint}
        </small>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
