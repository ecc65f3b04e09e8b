import { Link, useLocation, useParams } from "react-router-dom";
import { QueryState } from "../../components/states";
import { useHasPermission } from "../../app/auth";
import { formatDateTime } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import { useOrganizationDirectory, useUser } from "./hooks";

/** One user: who, where, which roles; the edit page is one link away. */
export default function UserDetailPage() {
  const { userId = "" } = useParams();
  const { t, lang } = useI18n();
  const query = useUser(userId);
  const directory = useOrganizationDirectory();
  const can = useHasPermission();
  const saved = (useLocation().state as { saved?: boolean } | null)?.saved === true;

  return (
    <section>
      <Link to="/admin/users" className="back-link">
        ← {t("admin.back")}
      </Link>
      <QueryState query={query}>
        {(user) => (
          <>
            <div className="page-head">
              <h1>{user.full_name}</h1>
              {can("gateway.user:write") && (
                <Link to={`/admin/users/${user.id}/edit`} className="link-button">
                  {t("admin.edit")}
                </Link>
              )}
            </div>
            {saved && (
              <p className="notice" role="status">
                {t("admin.saved")}
              </p>
            )}
            <dl className="detail" data-testid="user-detail">
              <dt>{t("admin.login")}</dt>
              <dd>
                <code>{user.login}</code>
              </dd>
              <dt>{t("admin.organization")}</dt>
              <dd>
                <Link to={`/admin/organizations/${user.org_id}`}>
                  {directory.data?.find((o) => o.id === user.org_id)?.name ?? user.org_id}
                </Link>
              </dd>
              <dt>{t("admin.roles")}</dt>
              <dd>{user.roles.map((r) => label(lang, roleLabels, r)).join(", ")}</dd>
              <dt>{t("admin.active")}</dt>
              <dd>{user.active ? t("admin.yes") : t("admin.no")}</dd>
              <dt>{t("admin.createdAt")}</dt>
              <dd>{formatDateTime(user.created_at)}</dd>
              {user.person_id && (
                <>
                  <dt>{t("admin.personId")}</dt>
                  <dd>
                    <code>{user.person_id}</code>
                  </dd>
                </>
              )}
            </dl>
          </>
        )}
      </QueryState>
    </section>
  );
}
