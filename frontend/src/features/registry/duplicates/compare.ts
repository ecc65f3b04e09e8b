/**
 * Two persons side by side: the same rows for both, each marked same or different after
 * the normalization the matcher uses for names (case, ё/е, spaces, hyphens).
 */
import type { components } from "../../../api/generated/registry";

type PersonRead = components["schemas"]["PersonRead"];
type PersonSummary = components["schemas"]["PersonSummary"];

export type CompareKey =
  | "oip"
  | "surname"
  | "first_name"
  | "patronymic"
  | "birth_date"
  | "sex"
  | "birth_place"
  | "snils"
  | "enp"
  | "death_date"
  | "document"
  | "address"
  | "insurer"
  | "mo";

/** Rows holding an organization id (shown by name). */
export const ORG_ROWS: readonly CompareKey[] = ["insurer", "mo"];

export interface ComparedRow {
  key: CompareKey;
  a: string | null;
  b: string | null;
  same: boolean;
}

type View = Record<CompareKey, string | null>;

function isRead(p: PersonRead | PersonSummary): p is PersonRead {
  return "requested_id" in p;
}

/** What a person shows in the comparison, from the full card or a search summary. */
export function personView(p: PersonRead | PersonSummary): View {
  if (isRead(p)) {
    const doc = p.documents[0];
    const address = p.addresses.find((a) => a.kind === "registration") ?? p.addresses[0];
    return {
      oip: String(p.oip),
      surname: p.name?.surname ?? null,
      first_name: p.name?.first_name ?? null,
      patronymic: p.name?.patronymic ?? null,
      birth_date: p.birth_date,
      sex: p.sex,
      birth_place: p.birth_place,
      snils: p.snils,
      enp: p.enp,
      death_date: p.death_date,
      document: doc ? [doc.type, doc.series, doc.number].filter(Boolean).join(" ") : null,
      address: address?.text ?? null,
      insurer: p.insurance?.insurer_id ?? null,
      mo: p.attachment?.mo_id ?? null,
    };
  }
  return {
    oip: String(p.oip),
    surname: p.surname,
    first_name: p.first_name,
    patronymic: p.patronymic,
    birth_date: p.birth_date,
    sex: p.sex,
    birth_place: null,
    snils: p.snils,
    enp: p.enp,
    death_date: p.death_date,
    document: null,
    address: null,
    insurer: null,
    mo: null,
  };
}

export function normalized(value: string | null): string | null {
  if (value === null) return null;
  const v = value.toLowerCase().replace(/ё/g, "е").replace(/[\s-]+/g, " ").trim();
  return v === "" ? null : v;
}

const ORDER: CompareKey[] = [
  "oip",
  "surname",
  "first_name",
  "patronymic",
  "birth_date",
  "sex",
  "birth_place",
  "snils",
  "enp",
  "death_date",
  "document",
  "address",
  "insurer",
  "mo",
];

/** Rows where at least one side has a value; ОИП always differs and is never "same". */
export function compareRows(a: PersonRead | PersonSummary, b: PersonRead | PersonSummary): ComparedRow[] {
  const va = personView(a);
  const vb = personView(b);
  return ORDER.filter((k) => va[k] !== null || vb[k] !== null).map((k) => ({
    key: k,
    a: va[k],
    b: vb[k],
    same: k !== "oip" && normalized(va[k]) === normalized(vb[k]),
  }));
}
