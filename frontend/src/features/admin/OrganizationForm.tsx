import { useState, type FormEvent } from "react";
import { Field, FormError } from "../../components/Form";
import { label, useI18n } from "../../app/i18n";
import { organizationKindLabels } from "../../app/messages";
import { useRegisterOrganization, type OrganizationKind } from "./hooks";

export const ORGANIZATION_KINDS: OrganizationKind[] = ["mo", "pharmacy", "warehouse", "insurer", "tfoms", "foms", "health_authority", "payer"];

const EMPTY = { name: "", kind: "mo" as OrganizationKind, code: "", inn: "", ogrn: "" };

/** Registers an organization; the gateway checks the INN and OGRN check digits. */
export function OrganizationForm({ onDone }: { onDone: () => void }) {
  const { t, lang } = useI18n();
  const register = useRegisterOrganization();
  const [form, setForm] = useState(EMPTY);
  const orNull = (v: string) => (v.trim() ? v.trim() : null);

  function submit(event: FormEvent) {
    event.preventDefault();
    register.mutate(
      { name: form.name.trim(), kind: form.kind, code: orNull(form.code), inn: orNull(form.inn), ogrn: orNull(form.ogrn) },
      { onSuccess: () => onDone() },
    );
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t("admin.organizations.register")}>
      <Field label={t("admin.name")} name="name" error={register.error}>
        <input required minLength={3} maxLength={500} size={50} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </Field>
      <Field label={t("admin.kind")} name="kind" error={register.error}>
        <select value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as OrganizationKind })}>
          {ORGANIZATION_KINDS.map((k) => (
            <option key={k} value={k}>
              {label(lang, organizationKindLabels, k)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("admin.code")} name="code" error={register.error}>
        <input maxLength={40} size={10} value={form.code} onChange={(e) => setForm({ ...form, code: e.target.value })} />
      </Field>
      <Field label={t("admin.inn")} name="inn" error={register.error}>
        <input inputMode="numeric" size={12} value={form.inn} onChange={(e) => setForm({ ...form, inn: e.target.value })} />
      </Field>
      <Field label={t("admin.ogrn")} name="ogrn" error={register.error}>
        <input inputMode="numeric" size={15} value={form.ogrn} onChange={(e) => setForm({ ...form, ogrn: e.target.value })} />
      </Field>
      <button type="submit" className="primary" disabled={register.isPending || form.name.trim().length < 3}>
        {t("admin.save")}
      </button>
      <button type="button" onClick={onDone}>
        {t("admin.cancel")}
      </button>
      <div className="wide">
        <FormError error={register.error} />
      </div>
    </form>
  );
}
