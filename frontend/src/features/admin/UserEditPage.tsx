import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { Field, FormError } from "../../components/Form";
import { ErrorState, QueryState } from "../../components/states";
import { useMe } from "../../app/auth";
import { useI18n } from "../../app/i18n";
import { useOrganization, useUpdateUser, useUser, type UserRead } from "./hooks";
import { RolePicker } from "./RolePicker";
import { userChanges, userEditOf } from "./userChanges";

/** Edits a user's name, roles, password and blocking; the server's messages show at the fields. */
export default function UserEditPage() {
  const { userId = "" } = useParams();
  const { t } = useI18n();
  const query = useUser(userId);
  return (
    <section>
      <Link to={`/admin/users/${userId}`} className="back-link">
        ← {t("admin.back")}
      </Link>
      <QueryState query={query}>{(user) => <UserEditForm key={user.id} user={user} />}</QueryState>
    </section>
  );
}

function UserEditForm({ user }: { user: UserRead }) {
  const { t } = useI18n();
  const me = useMe();
  const org = useOrganization(user.org_id);
  const update = useUpdateUser();
  const navigate = useNavigate();
  const [form, setForm] = useState(() => userEditOf(user));
  const [unchanged, setUnchanged] = useState(false);
  const self = me.id === user.id;

  function submit(event: FormEvent) {
    event.preventDefault();
    const changes = userChanges(user, form);
    setUnchanged(Object.keys(changes).length === 0);
    if (Object.keys(changes).length === 0) return;
    update.mutate(
      { userId: user.id, changes },
      { onSuccess: () => void navigate(`/admin/users/${user.id}`, { state: { saved: true } }) },
    );
  }

  return (
    <>
      <h1>{t("admin.users.editTitle", { login: user.login })}</h1>
      {org.error && <ErrorState error={org.error} />}
      <form className="stack-form" onSubmit={submit} noValidate aria-label={t("admin.users.editTitle", { login: user.login })}>
        <Field label={t("admin.fullName")} name="full_name" error={update.error}>
          <input size={40} value={form.full_name} onChange={(e) => setForm({ ...form, full_name: e.target.value })} />
        </Field>
        <RolePicker
          orgKind={org.data?.kind ?? null}
          value={form.roles}
          onChange={(roles) => setForm({ ...form, roles })}
          error={update.error}
        />
        <Field label={t("admin.users.newPassword")} name="password" error={update.error}>
          <input
            type="password"
            autoComplete="new-password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
          />
        </Field>
        <div className="check-row">
          <input
            id={`active-${user.id}`}
            type="checkbox"
            checked={form.active}
            disabled={self}
            aria-describedby={self ? `active-${user.id}-self` : undefined}
            onChange={(e) => setForm({ ...form, active: e.target.checked })}
          />
          <label htmlFor={`active-${user.id}`}>{t("admin.users.activeAccount")}</label>
          {/* Nobody blocks their own account from here. */}
          {self && (
            <span id={`active-${user.id}-self`} className="muted">
              {t("admin.users.self")}
            </span>
          )}
        </div>
        {unchanged && (
          <p className="notice" role="status">
            {t("admin.users.nothingChanged")}
          </p>
        )}
        <FormError error={update.error} />
        <div className="form-actions">
          <button type="submit" className="primary" disabled={update.isPending}>
            {t("admin.save")}
          </button>
          <Link to={`/admin/users/${user.id}`} className="cancel-link">
            {t("admin.cancel")}
          </Link>
        </div>
      </form>
    </>
  );
}
