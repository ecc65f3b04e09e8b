/**
 * The keyboard-wedge scanner, as pure logic (tested without a browser) — shared by every
 * pharmacy screen that takes a scan (dispensing, receipt, write-off, inventory, stock card).
 *
 * A keyboard-wedge scanner "types" the code and presses Enter. The GS1 group separator (GS,
 * 0x1D) between variable-length fields cannot be typed as a character: wedges send it as
 * Ctrl+] (the ASCII control key for 0x1D), some as F8 or a visible placeholder («<GS>»). The
 * input turns the key into "\x1d" itself and shows it as «␝»; the server (gs1.py) accepts
 * "\x1d", placeholders, lost separators and the Russian keyboard layout, so the text is sent as
 * typed.
 */

export const GS = "\x1d";

/** How GS is shown in an input or a list (never sent this way). */
export const GS_SIGN = "␝";

/** The keydown that a wedge sends for GS (it inserts no character by itself). */
export function isGroupSeparatorKey(e: { key: string; code?: string; ctrlKey: boolean; altKey?: boolean }): boolean {
  if (e.ctrlKey && !e.altKey && (e.key === "]" || e.code === "BracketRight" || e.key === "ъ" || e.key === "Ъ")) return true;
  return e.key === "F8";
}

/** The text with GS shown as a visible sign. */
export function visible(raw: string): string {
  return raw.split(GS).join(GS_SIGN);
}

/** What an input showing `visible(text)` holds, back as the text (the sign is GS again). */
export function fromShown(shown: string): string {
  return shown.split(GS_SIGN).join(GS);
}

/** The text with GS put in place of the selection [start, end) — where the wedge's key came. */
export function insertSeparator(text: string, start: number | null, end: number | null): string {
  const from = start ?? text.length;
  const to = end ?? from;
  return text.slice(0, from) + GS + text.slice(to);
}
