/**
 * The pharmacist's scan input, as pure logic (tested without a browser): what a scanned or typed
 * text is and the package lines of one dispense. The keyboard wedge itself (GS as Ctrl+] / F8,
 * Enter) is the shared ../scanner.
 *
 * One input serves both: a prescription's series and number (typed or scanned from the
 * 148-1/у-06(л) barcode) finds the prescription; a marking code adds a package line.
 */

import { GS } from "../scanner/wedge";

const PRESCRIPTION = /^\s*(?:серия\s*)?\d{2}[\s-]?\d{5}\s*[\s/№]\s*(?:№\s*|N\s*)?\d{1,13}\s*$/i;
const MARKING = /^(?:\][A-Za-zА-Яа-я]\d)?01\d{14}/;
const PLACEHOLDERS = /<GS>|\{GS\}|\[GS\]|<FNC1>|\\x1d|\\u001d|␝/i;

export type ScanKind = "prescription" | "code" | "unknown";

/** What the scanned or typed text is. */
export function classify(text: string): ScanKind {
  const t = text.trim();
  if (!t) return "unknown";
  if (PRESCRIPTION.test(t)) return "prescription";
  const body = t.split(GS).join("");
  if (MARKING.test(body) || PLACEHOLDERS.test(t) || t.includes(GS)) return "code";
  // Russian layout: digits stay, the symbology prefix "]d2" arrives as "]в2"
  if (/^\]?[A-Za-zА-Яа-я]?\d?0?1\d{14}/.test(t)) return "code";
  return "unknown";
}

// --- the package lines of one dispense ----------------------------------------------------

export interface ScanInfo {
  sgtin: string;
  drug: string;
  series: string | null;
  expiry: string | null;
  price: string | null;
}

export type Line =
  | { id: number; raw: string; state: "checking" }
  | { id: number; raw: string; state: "ok"; info: ScanInfo }
  | { id: number; raw: string; state: "error"; message: string; sgtin?: string };

export interface Lines {
  next: number;
  lines: Line[];
}

export const emptyLines: Lines = { next: 1, lines: [] };

export type LineAction =
  | { type: "scanned"; raw: string }
  | { type: "checked"; id: number; info: ScanInfo }
  | { type: "refused"; id: number; message: string; sgtin?: string }
  | { type: "remove"; id: number }
  | { type: "reset" };

export const DUPLICATE = "duplicate";

/** The lines after an action. A package scanned twice becomes an error line (the server would
 * refuse the dispense with code_duplicate). */
export function linesReducer(state: Lines, action: LineAction): Lines {
  switch (action.type) {
    case "scanned":
      return { next: state.next + 1, lines: [...state.lines, { id: state.next, raw: action.raw, state: "checking" }] };
    case "checked": {
      const twice = state.lines.some((l) => l.id !== action.id && l.state === "ok" && l.info.sgtin === action.info.sgtin);
      return {
        ...state,
        lines: state.lines.map((l) =>
          l.id !== action.id
            ? l
            : twice
              ? { id: l.id, raw: l.raw, state: "error", message: DUPLICATE, sgtin: action.info.sgtin }
              : { id: l.id, raw: l.raw, state: "ok", info: action.info },
        ),
      };
    }
    case "refused":
      return {
        ...state,
        lines: state.lines.map((l) =>
          l.id === action.id ? { id: l.id, raw: l.raw, state: "error", message: action.message, sgtin: action.sgtin } : l,
        ),
      };
    case "remove":
      return { ...state, lines: state.lines.filter((l) => l.id !== action.id) };
    case "reset":
      return emptyLines;
  }
}

export interface Progress {
  scanned: number;
  required: number;
  checking: number;
  errors: number;
  complete: boolean;
  over: boolean;
}

/** Packages accepted so far against the prescription's quantity; complete when exactly that
 * many are accepted and none is still being checked (error lines are not sent). */
export function progress(state: Lines, required: number): Progress {
  const scanned = state.lines.filter((l) => l.state === "ok").length;
  const checking = state.lines.filter((l) => l.state === "checking").length;
  const errors = state.lines.filter((l) => l.state === "error").length;
  return { scanned, required, checking, errors, complete: scanned === required && checking === 0, over: scanned > required };
}

/** The raw scans to send with the dispense: the accepted lines only. */
export function codesToSend(state: Lines): string[] {
  return state.lines.filter((l) => l.state === "ok").map((l) => l.raw);
}
