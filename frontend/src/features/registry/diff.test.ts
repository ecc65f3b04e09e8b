import { describe, expect, it } from "vitest";
import { fieldLabel, fieldValue, importResultOf, valueText } from "./diff";
import { en, ru } from "./messages";

const snapshot = {
  name: "Холера",
  parent_code: "A00-A09",
  attributes: { ACTUAL: "1", ADDL_CODE: null },
  valid_from: "2026-01-01",
  valid_to: null,
};

describe("diff fields", () => {
  it("reads plain fields and attribute columns", () => {
    expect(fieldValue(snapshot, "name")).toBe("Холера");
    expect(fieldValue(snapshot, "attributes.ACTUAL")).toBe("1");
    expect(fieldValue(null, "name")).toBeUndefined();
  });

  it("shows empty values as a dash and objects as JSON", () => {
    expect(valueText(null)).toBe("—");
    expect(valueText("")).toBe("—");
    expect(valueText(3)).toBe("3");
    expect(valueText({ a: 1 })).toBe('{"a":1}');
  });

  it("labels attribute columns by their own name", () => {
    expect(fieldLabel("attributes.MKB_NAME", {})).toBe("MKB_NAME");
    expect(fieldLabel("name", { name: "Наименование" })).toBe("Наименование");
    expect(fieldLabel("other", {})).toBe("other");
  });
});

describe("importResultOf", () => {
  it("reads the import job's summary", () => {
    const r = importResultOf({
      version: "2",
      created: true,
      previous_version: "1",
      rows_imported: 10,
      rows_rejected: 2,
      diff: { added: 3, removed: 1, changed: 4, unchanged: 2 },
      message: "Загружена версия 2: записей 10",
      error_file_id: "e1",
      diff_file_id: "d1",
    });
    expect(r).toEqual({
      message: "Загружена версия 2: записей 10",
      version: "2",
      created: true,
      previousVersion: "1",
      rowsImported: 10,
      rowsRejected: 2,
      diff: { added: 3, removed: 1, changed: 4 },
      errorFileId: "e1",
      diffFileId: "d1",
    });
  });

  it("tolerates missing or odd fields", () => {
    expect(importResultOf({ diff: null, rows_imported: "10" })).toMatchObject({ diff: null, rowsImported: null, created: false });
  });
});

describe("NSI texts", () => {
  it("has every Russian key in English", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ru).sort());
  });
});
