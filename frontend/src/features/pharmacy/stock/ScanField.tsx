/**
 * A focused input for a keyboard-wedge scanner: the scanner types the code and presses Enter; the
 * group separator it sends as Ctrl+] or F8 becomes "\x1d" (see dispensing/scanInput). Each Enter
 * hands the text to `onScan` and clears the field for the next package.
 */
import { useId, useState, type KeyboardEvent } from "react";
import { GS, isGroupSeparatorKey } from "../dispensing/scanInput";

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
  const [text, setText] = useState("");
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (isGroupSeparatorKey(e)) {
      e.preventDefault();
      const el = e.currentTarget;
      const start = el.selectionStart ?? text.length;
      const end = el.selectionEnd ?? text.length;
      setText(text.slice(0, start) + GS + text.slice(end));
      return;
    }
    if (e.key === "Enter") {
      e.preventDefault();
      if (text.trim()) onScan(text);
      setText("");
    }
  };
  return (
    <div className={`scan-field${error ? " field-invalid" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        value={text}
        autoComplete="off"
        spellCheck={false}
        aria-describedby={[hint ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined}
        aria-invalid={error ? true : undefined}
        onChange={(e) => setText(e.target.value.split("␝").join(GS))}
        onKeyDown={onKeyDown}
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
