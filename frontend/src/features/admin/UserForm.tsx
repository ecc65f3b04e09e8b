import { useState, type FormEvent } from "react";
import { Field, FormError } from "../../components/Form";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import { useCreateUser, useOrganizationDirectory, useRoleCatalogue } from "./hooks";

const EMPTY = { login: "", full_name: "", password: "", org_id: "", roles: [] as string[] };

export function UserForm({ onDone }: { onDone: () => void }) {
  const { t, lang } = useI18n();
  const create = useCreateUser();
  const directory = useOrganizationDirectory();
  // Roles a person can have (client roles belong to API keys).
  const personRoles = useRoleCatalogue().data?.filter((r) => r.kind === "user").map((r) => r.role) ?? [];
  const [form, setForm] = useState(EMPTY);

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { login: form.login.trim(), full_name: form.full_name.trim(), password: form.password, org_id: form.org_id, roles: form.roles },
      { onSuccess: () => onDone() },
    );
  }

  const ready = form.login.trim().length >= 2 && form.full_name.trim().length >= 2 && form.password.length >= 10 && form.org_id && form.roles.length > 0;

  return (
    <form className="inline-form" onSubmit={submit} aria-label={t("admin.users.create")}>
      <Field label={t("admin.login")} name="login" error={create.error}>
        <input required autoComplete="off" value={form.login} onChange={(e) => setForm({ ...form, login: e.target.value })} />
      </Field>
      <Field label={t("admin.fullName")} name="full_name" error={create.error}>
        <input required size={30} value={form.full_name} onChange={(e) => setForm({ ...form, full_name: e.target.value })} />
      </Field>
      <Field label={t("admin.users.password")} name="password" error={create.error}>
        <input
          required
          type="password"
          autoComplete="new-password"
          minLength={10}
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </Field>
      <Field label={t("admin.organization")} name="org_id" error={create.error}>
        <select required value={form.org_id} onChange={(e) => setForm({ ...form, org_id: e.target.value })}>
          <option value="">{t("admin.selectOrganization")}</option>
          {directory.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("admin.roles")} name="roles" error={create.error}>
        <select
          multiple
          value={form.roles}
          onChange={(e) => setForm({ ...form, roles: Array.from(e.target.selectedOptions, (o) => o.value) })}
        >
          {personRoles.map((r) => (
            <option key={r} value={r}>
              {label(lang, roleLabels, r)}
            </option>
          ))}
        </select>
      </Field>
      <button type="submit" className="primary" disabled={create.isPending || !ready}>
        {t("admin.save")}
      </button>
      <button type="button" onClick={onDone}>
        {t("admin.cancel")}
      </button>
      <div className="wide">
        <FormError error={create.error} />
      </div>
    </form>
  );
}
