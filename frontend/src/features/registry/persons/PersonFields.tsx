/**
 * The person's fields the search and the registration share: name with birth date, SNILS,
 * ENP and the identity document (type from NSI, series, number). Each form keeps its own
 * values and passes them with its `set`; the fields look, read and show errors the same.
 */
import { Field } from "../../../components/Form";
import { useRegistryText } from "../texts";
import { useNsiNames } from "./hooks";

type Change = (e: { target: { value: string } }) => void;

interface Bound<K extends string> {
  values: Record<K, string>;
  set: (field: K) => Change;
  /** The last answer's error: its field errors stand by their inputs. */
  error: unknown;
}

/** Surname, first name, patronymic, birth date; `required` marks what a registration needs. */
export function NameFields({
  values,
  set,
  error,
  required = false,
  surnameHint,
}: Bound<"surname" | "first_name" | "patronymic" | "birth_date"> & { required?: boolean; surnameHint?: string }) {
  const t = useRegistryText();
  return (
    <>
      <Field label={t("reg.f.surname")} name="surname" error={error} hint={surnameHint}>
        <input value={values.surname} onChange={set("surname")} autoComplete="off" required={required} />
      </Field>
      <Field label={t("reg.f.firstName")} name="first_name" error={error}>
        <input value={values.first_name} onChange={set("first_name")} autoComplete="off" required={required} />
      </Field>
      <Field label={t("reg.f.patronymic")} name="patronymic" error={error}>
        <input value={values.patronymic} onChange={set("patronymic")} autoComplete="off" />
      </Field>
      <Field label={t("reg.f.birthDate")} name="birth_date" error={error}>
        <input type="date" value={values.birth_date} onChange={set("birth_date")} required={required} />
      </Field>
    </>
  );
}

export function SnilsField({ values, set, error }: Bound<"snils">) {
  const t = useRegistryText();
  return (
    <Field label={t("reg.f.snils")} name="snils" error={error} hint="123-456-789 01">
      <input value={values.snils} onChange={set("snils")} inputMode="numeric" autoComplete="off" />
    </Field>
  );
}

export function EnpField({ values, set, error }: Bound<"enp">) {
  const t = useRegistryText();
  return (
    <Field label={t("reg.f.enp")} name="enp" error={error}>
      <input value={values.enp} onChange={set("enp")} inputMode="numeric" maxLength={16} autoComplete="off" />
    </Field>
  );
}

/** The document's type, series and number: the form's keys for them, or the API's names in its errors. */
export interface DocumentKeys<K extends string = string> {
  type: K;
  series: K;
  number: K;
}

/** Type (NSI document_type), series and number; `names` default to the form's keys. */
export function DocumentFields<K extends string>({
  keys,
  names = keys,
  values,
  set,
  error,
}: Bound<K> & { keys: DocumentKeys<K>; names?: DocumentKeys }) {
  const t = useRegistryText();
  const documentTypes = useNsiNames("document_type");
  return (
    <>
      <Field label={t("reg.f.docType")} name={names.type} error={error}>
        <select value={values[keys.type]} onChange={set(keys.type)}>
          <option value="">{t("reg.chooseDocType")}</option>
          {[...(documentTypes.data ?? new Map<string, string>()).entries()].map(([code, name]) => (
            <option key={code} value={code}>
              {code} — {name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("reg.f.docSeries")} name={names.series} error={error}>
        <input value={values[keys.series]} onChange={set(keys.series)} autoComplete="off" />
      </Field>
      <Field label={t("reg.f.docNumber")} name={names.number} error={error}>
        <input value={values[keys.number]} onChange={set(keys.number)} autoComplete="off" />
      </Field>
    </>
  );
}
