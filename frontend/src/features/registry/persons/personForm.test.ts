import { describe, expect, it } from "vitest";
import { EMPTY_PERSON, matchRequest, personCreate } from "./personForm";

const filled = {
  ...EMPTY_PERSON,
  surname: " Иванов ",
  first_name: "Иван",
  patronymic: "",
  sex: "male" as const,
  birth_date: "1980-05-14",
  snils: "112-233-445 95",
  doc_type: "14",
  doc_series: "99 05",
  doc_number: "123456",
  doc_issue_date: "2005-06-01",
  address: "г. Приозёрск, ул. Ленина, д. 1",
  phone: "+7 999 000-00-00",
};

describe("the new-person form", () => {
  it("matches on what is known, without empty fields", () => {
    expect(matchRequest(filled)).toEqual({
      surname: "Иванов",
      first_name: "Иван",
      birth_date: "1980-05-14",
      sex: "male",
      snils: "11223344595",
      documents: [{ type: "14", series: "99 05", number: "123456" }],
    });
    expect(matchRequest({ ...EMPTY_PERSON, surname: "Петров" })).toEqual({ surname: "Петров" });
  });

  it("registers with the document, the address from birth by default, a phone from today", () => {
    const body = personCreate(filled, false, "2026-01-15");
    expect(body).toEqual({
      surname: "Иванов",
      first_name: "Иван",
      sex: "male",
      birth_date: "1980-05-14",
      snils: "11223344595",
      documents: [{ type: "14", series: "99 05", number: "123456", issue_date: "2005-06-01" }],
      addresses: [{ kind: "registration", text: "г. Приозёрск, ул. Ленина, д. 1", valid_from: "1980-05-14" }],
      contacts: [{ kind: "phone", value: "+7 999 000-00-00", valid_from: "2026-01-15" }],
    });
    expect(personCreate({ ...filled, address_from: "2001-02-03" }, true, "2026-01-15")).toMatchObject({
      addresses: [{ valid_from: "2001-02-03" }],
      confirm_new: true,
    });
  });
});
