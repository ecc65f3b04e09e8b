import { useState } from "react";
import { Link } from "react-router-dom";
import { PagedTable, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { useHasPermission } from "../../app/auth";
import { formatDate } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import { useOrganizationDirectory, useUsers, type UserRead } from "./hooks";
import { UserForm } from "./UserForm";

export default function UsersPage() {
  const { t, lang } = useI18n();
  const { params, search, update } = useListParams({ sort: "login" });
  const orgId = search.get("org_id");
  const query = useUsers({ limit: params.limit, offset: params.offset, sort: params.sort, org_id: orgId });
  const directory = useOrganizationDirectory();
  const orgName = (id: string) => directory.data?.find((o) => o.id === id)?.name ?? "…";
  const can = useHasPermission();
  const [adding, setAdding] = useState(false);

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
    {
      key: "org",
      header: t("admin.organization"),
      cell: (u) => (can("gateway.organization:read") ? <Link to={`/admin/organizations/${u.org_id}`}>{orgName(u.org_id)}</Link> : orgName(u.org_id)),
    },
    { key: "active", header: t("admin.active"), cell: (u) => (u.active ? t("admin.yes") : t("admin.no")) },
    { key: "created", header: t("admin.createdAt"), sortField: "created_at", cell: (u) => formatDate(u.created_at) },
  ];

  return (
    <section>
      <h1>{t("admin.users.title")}</h1>
      {adding && <UserForm onDone={() => setAdding(false)} />}
      <div className="toolbar">
        {can("gateway.user:write") && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            {t("admin.users.create")}
          </button>
        )}
        <label>
          {t("admin.organization")}{" "}
          <select value={orgId ?? ""} onChange={(e) => update({ org_id: e.target.value || null, offset: null })}>
            <option value="">—</option>
            {directory.data?.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTable query={query} columns={columns} rowKey={(u) => u.id} params={params} update={update} label={t("admin.users.title")} />
    </section>
  );
}
