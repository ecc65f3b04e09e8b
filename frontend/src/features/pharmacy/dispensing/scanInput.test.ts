import { describe, expect, it } from "vitest";
import {
  classify,
  codesToSend,
  DUPLICATE,
  emptyLines,
  linesReducer,
  progress,
  type LineAction,
  type Lines,
} from "./scanInput";
import { GS } from "../scanner/wedge";

const CODE = `]d20104607000012345210ABCdef1234567${GS}91EE10${GS}92${"x".repeat(44)}`;
const info = (sgtin: string) => ({ sgtin, drug: "Метформин", series: "S1", expiry: "2027-01-01", price: "10.00" });

function run(actions: LineAction[]): Lines {
  return actions.reduce(linesReducer, emptyLines);
}

describe("scan input", () => {
  it("tells a prescription's series and number from a marking code", () => {
    expect(classify("Серия 7701234 № 0000123")).toBe("prescription");
    expect(classify("77-01234 №123")).toBe("prescription");
    expect(classify("7701234/123")).toBe("prescription");
    expect(classify(CODE)).toBe("code");
    expect(classify(`0104607000012345210ABCdef1234567<GS>91EE10<GS>92${"x".repeat(44)}`)).toBe("code");
    expect(classify(`]в20104607000012345210ФИСвуа1234567`)).toBe("code"); // Russian layout
    expect(classify("привет")).toBe("unknown");
    expect(classify("   ")).toBe("unknown");
  });

  it("counts accepted packages against the prescription and completes only when all are checked", () => {
    let s = run([{ type: "scanned", raw: "a" }, { type: "scanned", raw: "b" }]);
    expect(progress(s, 2)).toMatchObject({ scanned: 0, checking: 2, complete: false });
    s = linesReducer(s, { type: "checked", id: 1, info: info("A") });
    expect(progress(s, 2)).toMatchObject({ scanned: 1, checking: 1, complete: false });
    s = linesReducer(s, { type: "refused", id: 2, message: "Код маркировки уже выбыт" });
    expect(progress(s, 2)).toMatchObject({ scanned: 1, errors: 1, complete: false });
    s = linesReducer(s, { type: "scanned", raw: "c" });
    s = linesReducer(s, { type: "checked", id: 3, info: info("C") });
    expect(progress(s, 2)).toMatchObject({ scanned: 2, errors: 1, complete: true, over: false });
    expect(codesToSend(s)).toEqual(["a", "c"]); // the refused line is not sent
    s = linesReducer(s, { type: "remove", id: 2 });
    expect(s.lines.map((l) => l.id)).toEqual([1, 3]);
    s = linesReducer(s, { type: "scanned", raw: "d" });
    s = linesReducer(s, { type: "checked", id: 4, info: info("D") });
    expect(progress(s, 2)).toMatchObject({ scanned: 3, over: true, complete: false });
    expect(linesReducer(s, { type: "reset" })).toEqual(emptyLines);
  });

  it("marks the same package scanned twice as an error line", () => {
    const s = run([
      { type: "scanned", raw: "a" },
      { type: "checked", id: 1, info: info("A") },
      { type: "scanned", raw: "a again" },
      { type: "checked", id: 2, info: info("A") },
    ]);
    expect(s.lines[1]).toMatchObject({ state: "error", message: DUPLICATE, sgtin: "A" });
    expect(progress(s, 1)).toMatchObject({ scanned: 1, errors: 1, complete: true });
  });
});
