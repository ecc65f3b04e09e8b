/** Checkboxes of the roles a person may hold in an organization of the given kind. */
import { FieldSet } from "../../components/Form";
import { ErrorState } from "../../components/states";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import { useRoleCatalogue } from "./hooks";
import { rolesForOrganization } from "./roles";

export function RolePicker({
  orgKind,
  value,
  onChange,
  error,
}: {
  /** The chosen organization's kind; null while none is chosen. */
  orgKind: string | null;
  value: string[];
  onChange: (roles: string[]) => void;
  error: unknown;
}) {
  const { t, lang } = useI18n();
  const catalogue = useRoleCatalogue();
  const options = rolesForOrganization(catalogue.data ?? [], orgKind, value);
  const toggle = (role: string, on: boolean) =>
    onChange(on ? [...value, role] : value.filter((r) => r !== role));

  return (
    <FieldSet legend={t("admin.roles")} name="roles" error={error}>
      {orgKind === null ? (
        <p className="muted">{t("admin.roles.pickOrganization")}</p>
      ) : catalogue.error ? (
        <ErrorState error={catalogue.error} />
      ) : catalogue.isPending ? (
        <p className="muted">{t("app.loading")}</p>
      ) : options.length === 0 ? (
        <p className="muted">{t("admin.roles.none")}</p>
      ) : (
        <div className="checks">
          {options.map(({ role, misfit }) => (
            <label key={role}>
              <input
                type="checkbox"
                name="roles"
                value={role}
                checked={value.includes(role)}
                onChange={(e) => toggle(role, e.target.checked)}
              />
              {label(lang, roleLabels, role)}
              {misfit && <span className="field-error"> ({t("admin.roles.misfit")})</span>}
            </label>
          ))}
        </div>
      )}
    </FieldSet>
  );
}
