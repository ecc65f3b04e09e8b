/** The administrator's figures on the home page: organizations, users, keys in force. */
import { KpiTile } from "../../components/KpiTile";
import { ErrorState } from "../../components/states";
import { formatNumber } from "../../app/format";
import { useI18n } from "../../app/i18n";
import { useApiKeys, useOrganizations, useUsers } from "./hooks";

export default function AdminSummary() {
  const { t } = useI18n();
  // limit=1: only `total` is needed.
  const organizations = useOrganizations({ limit: 1 });
  const users = useUsers({ limit: 1 });
  const keys = useApiKeys({ limit: 1, include_revoked: false });
  const error = organizations.error ?? users.error ?? keys.error;
  const total = (q: { data?: { total: number } | undefined }) => (q.data ? formatNumber(q.data.total) : null);
  return (
    <>
      <div className="kpis">
        <KpiTile label={t("nav.admin.organizations")} value={total(organizations)} to="/admin/organizations" />
        <KpiTile label={t("nav.admin.users")} value={total(users)} to="/admin/users" />
        <KpiTile label={t("home.activeKeys")} value={total(keys)} to="/admin/api-keys" />
      </div>
      {error && <ErrorState error={error} />}
    </>
  );
}
