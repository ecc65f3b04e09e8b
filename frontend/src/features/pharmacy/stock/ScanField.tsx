/**
 * A focused input for a keyboard-wedge scanner: the scanner types the code and presses Enter; the
 * group separator it sends as Ctrl+] or F8 becomes "\x1d" (see dispensing/scanInput). Each Enter
 * hands the text to `onScan` and clears the field for the next package.
 */
import { useState, type KeyboardEvent } from "react";
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
    <label className={`scan-field${error ? " field-invalid" : ""}`}>
      {label}
      <input
        value={text}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => setText(e.target.value.split("␝").join(GS))}
        onKeyDown={onKeyDown}
      />
      {hint && <small className="muted">{hint}</small>}
      {error && (
        <span className="field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}
