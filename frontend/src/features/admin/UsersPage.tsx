import { DataTable, Pager, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { ErrorState, QueryState } from "../../components/states";
import { useHasPermission, useMe } from "../../app/auth";
import { formatDate } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import { useState } from "react";
import { useOrganizationDirectory, useUpdateUser, useUsers, type UserRead } from "./hooks";
import { UserForm } from "./UserForm";

export default function UsersPage() {
  const { t, lang } = useI18n();
  const { params, search, update } = useListParams({ sort: "login" });
  const orgId = search.get("org_id");
  const query = useUsers({ limit: params.limit, offset: params.offset, sort: params.sort, org_id: orgId });
  const directory = useOrganizationDirectory();
  const orgName = (id: string) => directory.data?.find((o) => o.id === id)?.name ?? "…";
  const can = useHasPermission();
  const update_ = useUpdateUser();
  const writable = can("gateway.user:write");
  const me = useMe();
  const [adding, setAdding] = useState(false);

  const columns: Column<UserRead>[] = [
    { key: "login", header: t("admin.login"), sortField: "login", cell: (u) => <code>{u.login}</code> },
    { key: "name", header: t("admin.fullName"), sortField: "full_name", cell: (u) => u.full_name },
    { key: "roles", header: t("admin.roles"), cell: (u) => u.roles.map((r) => label(lang, roleLabels, r)).join(", ") },
    { key: "org", header: t("admin.organization"), cell: (u) => orgName(u.org_id) },
    { key: "active", header: t("admin.active"), cell: (u) => (u.active ? t("admin.yes") : t("admin.no")) },
    { key: "created", header: t("admin.createdAt"), sortField: "created_at", cell: (u) => formatDate(u.created_at) },
  ];
  if (writable) {
    columns.push({
      key: "actions",
      header: "",
      // Nobody blocks their own account from here.
      cell: (u) =>
        u.id === me.id ? null : (
        <button
          type="button"
          className={u.active ? "danger" : undefined}
          disabled={update_.isPending}
          onClick={() => {
            const question = u.active ? "admin.users.deactivateConfirm" : "admin.users.activateConfirm";
            if (window.confirm(t(question, { login: u.login }))) {
              update_.mutate({ userId: u.id, changes: { active: !u.active } });
            }
          }}
        >
          {u.active ? t("admin.users.deactivate") : t("admin.users.activate")}
        </button>
      ),
    });
  }

  return (
    <section>
      <h1>{t("admin.users.title")}</h1>
      {adding && <UserForm onDone={() => setAdding(false)} />}
      <div className="toolbar">
        {writable && !adding && (
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
      {update_.error && <ErrorState error={update_.error} />}
      <QueryState query={query} isEmpty={(p) => p.total === 0}>
        {(page) => (
          <>
            <DataTable
              columns={columns}
              rows={page.items}
              rowKey={(u) => u.id}
              sort={params.sort}
              onSort={(sort) => update({ sort, offset: null })}
              busy={query.isFetching}
            />
            <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
          </>
        )}
      </QueryState>
    </section>
  );
}
