import { describe, expect, it } from "vitest";
import { formatPeriod, formatSnils, isoToLocalDateTime, localDateTimeToIso, snilsDigits } from "./format";

describe("person formats", () => {
  it("prints a SNILS as on the card and reads it back", () => {
    expect(formatSnils("11223344595")).toBe("112-233-445 95");
    expect(formatSnils("112-233-445 95")).toBe("112-233-445 95");
    expect(formatSnils("123")).toBe("123");
    expect(formatSnils(null)).toBe("—");
    expect(snilsDigits("112-233-445 95")).toBe("11223344595");
  });

  it("writes open and closed periods", () => {
    expect(formatPeriod("1980-05-14", null)).toBe("с 14.05.1980");
    expect(formatPeriod("2000-01-01", "2010-12-31")).toBe("01.01.2000 – 31.12.2010");
  });

  it("turns the moment input into an instant and back, to the second", () => {
    const iso = localDateTimeToIso("2026-03-01T10:30:15");
    expect(iso).not.toBeNull();
    expect(isoToLocalDateTime(iso!)).toBe("2026-03-01T10:30:15");
    expect(localDateTimeToIso("2026-03-01T10:30")).toBe(new Date("2026-03-01T10:30").toISOString());
    expect(localDateTimeToIso("вчера")).toBeNull();
  });
});
