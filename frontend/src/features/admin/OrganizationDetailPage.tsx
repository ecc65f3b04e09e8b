import { Link, useParams } from "react-router-dom";
import { PagedTable, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { QueryState } from "../../components/states";
import { useHasPermission } from "../../app/auth";
import { formatDate, formatDateTime } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { organizationKindLabels, roleLabels } from "../../app/messages";
import { useOrganization, useUsers, type OrganizationRead, type UserRead } from "./hooks";

/** One organization: its registration fields and, for who may read users, its users. */
export default function OrganizationDetailPage() {
  const { orgId = "" } = useParams();
  const { t } = useI18n();
  const query = useOrganization(orgId);
  const can = useHasPermission();

  return (
    <section>
      <Link to="/admin/organizations" className="back-link">
        ← {t("admin.back")}
      </Link>
      <QueryState query={query}>
        {(org) => (
          <>
            <h1>{org.name}</h1>
            <OrganizationFacts org={org} />
            {can("gateway.user:read") && <OrganizationUsers orgId={org.id} />}
          </>
        )}
      </QueryState>
    </section>
  );
}

function OrganizationFacts({ org }: { org: OrganizationRead }) {
  const { t, lang } = useI18n();
  return (
    <dl className="detail" data-testid="organization-detail">
      <dt>{t("admin.kind")}</dt>
      <dd>{label(lang, organizationKindLabels, org.kind)}</dd>
      <dt>{t("admin.code")}</dt>
      <dd>{org.code ?? "—"}</dd>
      <dt>{t("admin.inn")}</dt>
      <dd>{org.inn ?? "—"}</dd>
      <dt>{t("admin.ogrn")}</dt>
      <dd>{org.ogrn ?? "—"}</dd>
      <dt>{t("admin.createdAt")}</dt>
      <dd>{formatDateTime(org.created_at)}</dd>
    </dl>
  );
}

function OrganizationUsers({ orgId }: { orgId: string }) {
  const { t, lang } = useI18n();
  const { params, update } = useListParams({ sort: "login" });
  const query = useUsers({ org_id: orgId, limit: params.limit, offset: params.offset, sort: params.sort });
  const columns: Column<UserRead>[] = [
    {
      key: "login",
      header: t("admin.login"),
      sortField: "login",
      cell: (u) => (
        <Link to={`/admin/users/${u.id}`}>
          <code>{u.login}</code>
        </Link>
      ),
    },
    { key: "name", header: t("admin.fullName"), sortField: "full_name", cell: (u) => u.full_name },
    { key: "roles", header: t("admin.roles"), cell: (u) => u.roles.map((r) => label(lang, roleLabels, r)).join(", ") },
    { key: "active", header: t("admin.active"), cell: (u) => (u.active ? t("admin.yes") : t("admin.no")) },
    { key: "created", header: t("admin.createdAt"), sortField: "created_at", cell: (u) => formatDate(u.created_at) },
  ];
  return (
    <>
      <h2>{t("admin.organizations.users")}</h2>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(u) => u.id}
        params={params}
        update={update}
        label={t("admin.organizations.users")}
        empty={t("admin.organizations.noUsers")}
      />
    </>
  );
}
