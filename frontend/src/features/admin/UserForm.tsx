import { useState, type FormEvent } from "react";
import { Field, FormError } from "../../components/Form";
import { useI18n } from "../../app/i18n";
import { useCreateUser, useOrganizationDirectory, useRoleCatalogue } from "./hooks";
import { RolePicker } from "./RolePicker";
import { keepFitting } from "./roles";

const EMPTY = { login: "", full_name: "", password: "", org_id: "", person_id: "", roles: [] as string[] };

/** Creates a user. The server validates (noValidate): its messages appear at the fields. */
export function UserForm({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const create = useCreateUser();
  const directory = useOrganizationDirectory();
  const catalogue = useRoleCatalogue();
  const [form, setForm] = useState(EMPTY);
  const orgKind = directory.data?.find((o) => o.id === form.org_id)?.kind ?? null;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      {
        login: form.login.trim(),
        full_name: form.full_name.trim(),
        password: form.password,
        org_id: form.org_id,
        roles: form.roles,
        person_id: form.roles.includes("patient") && form.person_id.trim() ? form.person_id.trim() : null,
      },
      { onSuccess: () => onDone() },
    );
  }

  const ready = form.login.trim() && form.full_name.trim() && form.password && form.org_id && form.roles.length > 0;

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t("admin.users.create")}>
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
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
      </Field>
      <Field label={t("admin.organization")} name="org_id" error={create.error}>
        <select
          required
          value={form.org_id}
          onChange={(e) => {
            const org_id = e.target.value;
            const kind = directory.data?.find((o) => o.id === org_id)?.kind ?? null;
            // Roles of the previous organization's kind may not fit the new one.
            setForm({ ...form, org_id, roles: keepFitting(catalogue.data ?? [], kind, form.roles) });
          }}
        >
          <option value="">{t("admin.selectOrganization")}</option>
          {directory.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <div className="wide">
        <RolePicker orgKind={orgKind} value={form.roles} onChange={(roles) => setForm({ ...form, roles })} error={create.error} />
      </div>
      {form.roles.includes("patient") && (
        <Field label={t("admin.personId")} name="person_id" error={create.error}>
          <input size={38} value={form.person_id} onChange={(e) => setForm({ ...form, person_id: e.target.value })} />
        </Field>
      )}
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
