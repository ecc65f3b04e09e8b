import { describe, expect, it } from "vitest";
import { apiQuery, EMPTY_VALUES, modeOf, urlChanges, valuesOf } from "./searchQuery";

describe("the person search in the URL", () => {
  it("keeps only the chosen way's fields, trimmed, SNILS as digits", () => {
    const changes = urlChanges("snils", { ...EMPTY_VALUES, snils: " 112-233-445 95 ", surname: "Иванов" });
    expect(changes).toMatchObject({ mode: "snils", snils: "11223344595", surname: null, offset: null });
    const name = urlChanges("name", { ...EMPTY_VALUES, surname: " Иванов ", birth_date: "1980-05-14", snils: "1" });
    expect(name).toMatchObject({ surname: "Иванов", birth_date: "1980-05-14", first_name: null, snils: null });
  });

  it("reads the way from `mode`, else from the first field present", () => {
    expect(modeOf(new URLSearchParams("mode=document"))).toBe("document");
    expect(modeOf(new URLSearchParams("enp=9999000000000012"))).toBe("enp");
    expect(modeOf(new URLSearchParams("mode=bogus&surname=Иванов"))).toBe("name");
    expect(modeOf(new URLSearchParams(""))).toBe("name");
  });

  it("asks the API nothing until a field of the way is filled", () => {
    const paging = { limit: 25, offset: 0 };
    expect(apiQuery(new URLSearchParams("mode=snils"), paging)).toBeNull();
    // a field of another way does not count
    expect(apiQuery(new URLSearchParams("mode=snils&surname=Иванов"), paging)).toBeNull();
    expect(apiQuery(new URLSearchParams("mode=name&surname=Иванов&birth_date=1980-05-14&snils=1"), { limit: 10, offset: 20 })).toEqual({
      limit: 10,
      offset: 20,
      surname: "Иванов",
      birth_date: "1980-05-14",
    });
  });

  it("fills the form back from the URL", () => {
    expect(valuesOf(new URLSearchParams("document_type=14&document_number=123456"))).toMatchObject({
      document_type: "14",
      document_number: "123456",
      surname: "",
    });
  });
});
