/**
 * The new-person form: one set of fields serves both the match (POST /persons/$match, what
 * is known) and the registration (POST /persons, the person with a document, an address and
 * a phone when given). Empty fields are left out; the server validates the rest.
 */
import type { components } from "../../../api/generated/registry";
import { snilsDigits } from "./format";

type MatchRequest = components["schemas"]["MatchRequest"];
type PersonCreate = components["schemas"]["PersonCreate"];

export interface PersonForm {
  surname: string;
  first_name: string;
  patronymic: string;
  sex: "" | "male" | "female";
  birth_date: string;
  birth_place: string;
  snils: string;
  enp: string;
  doc_type: string;
  doc_series: string;
  doc_number: string;
  doc_issue_date: string;
  address: string;
  address_from: string;
  phone: string;
}

export const EMPTY_PERSON: PersonForm = {
  surname: "",
  first_name: "",
  patronymic: "",
  sex: "",
  birth_date: "",
  birth_place: "",
  snils: "",
  enp: "",
  doc_type: "14",
  doc_series: "",
  doc_number: "",
  doc_issue_date: "",
  address: "",
  address_from: "",
  phone: "",
};

const clean = (v: string) => v.trim();

export function matchRequest(form: PersonForm): MatchRequest {
  const body: MatchRequest = {};
  if (clean(form.surname)) body.surname = clean(form.surname);
  if (clean(form.first_name)) body.first_name = clean(form.first_name);
  if (clean(form.patronymic)) body.patronymic = clean(form.patronymic);
  if (form.birth_date) body.birth_date = form.birth_date;
  if (form.sex) body.sex = form.sex;
  if (clean(form.snils)) body.snils = snilsDigits(clean(form.snils));
  if (clean(form.enp)) body.enp = clean(form.enp);
  if (clean(form.doc_number)) {
    body.documents = [
      {
        type: clean(form.doc_type) || null,
        series: clean(form.doc_series) || null,
        number: clean(form.doc_number),
      },
    ];
  }
  return body;
}

/** The registration body; `today` dates the phone (a contact needs a start). */
export function personCreate(form: PersonForm, confirmNew: boolean, today: string): PersonCreate {
  const body = {
    surname: clean(form.surname),
    first_name: clean(form.first_name),
    sex: form.sex,
    birth_date: form.birth_date,
  } as PersonCreate;
  if (clean(form.patronymic)) body.patronymic = clean(form.patronymic);
  if (clean(form.birth_place)) body.birth_place = clean(form.birth_place);
  if (clean(form.snils)) body.snils = snilsDigits(clean(form.snils));
  if (clean(form.enp)) body.enp = clean(form.enp);
  if (clean(form.doc_number) || clean(form.doc_series)) {
    body.documents = [
      {
        type: clean(form.doc_type),
        series: clean(form.doc_series) || null,
        number: clean(form.doc_number),
        issue_date: form.doc_issue_date,
      },
    ];
  }
  if (clean(form.address)) {
    body.addresses = [{ kind: "registration", text: clean(form.address), valid_from: form.address_from || form.birth_date }];
  }
  if (clean(form.phone)) body.contacts = [{ kind: "phone", value: clean(form.phone), valid_from: today }];
  if (confirmNew) body.confirm_new = true;
  return body;
}
