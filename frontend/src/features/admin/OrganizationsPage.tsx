import { Link } from "react-router-dom";
import { PagedTable, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { formatDate } from "../../app/format";
import { label, useI18n } from "../../app/i18n";
import { organizationKindLabels } from "../../app/messages";
import { useState } from "react";
import { useHasPermission } from "../../app/auth";
import { useOrganizations, type OrganizationKind, type OrganizationRead } from "./hooks";
import { OrganizationForm, ORGANIZATION_KINDS as KINDS } from "./OrganizationForm";

export default function OrganizationsPage() {
  const { t, lang } = useI18n();
  const { params, search, update } = useListParams({ sort: "name" });
  const kind = (search.get("kind") as OrganizationKind | null) ?? null;
  const query = useOrganizations({ limit: params.limit, offset: params.offset, sort: params.sort, kind });
  const can = useHasPermission();
  const [adding, setAdding] = useState(false);

  const columns: Column<OrganizationRead>[] = [
    {
      key: "name",
      header: t("admin.name"),
      sortField: "name",
      cell: (o) => <Link to={`/admin/organizations/${o.id}`}>{o.name}</Link>,
    },
    { key: "kind", header: t("admin.kind"), sortField: "kind", cell: (o) => label(lang, organizationKindLabels, o.kind) },
    { key: "code", header: t("admin.code"), sortField: "code", cell: (o) => o.code ?? "—" },
    { key: "inn", header: t("admin.inn"), cell: (o) => o.inn ?? "—" },
    { key: "ogrn", header: t("admin.ogrn"), cell: (o) => o.ogrn ?? "—" },
    { key: "created", header: t("admin.createdAt"), sortField: "created_at", cell: (o) => formatDate(o.created_at) },
  ];

  return (
    <section>
      <h1>{t("admin.organizations.title")}</h1>
      {adding && <OrganizationForm onDone={() => setAdding(false)} />}
      <div className="toolbar">
        {can("gateway.organization:write") && !adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            {t("admin.organizations.register")}
          </button>
        )}
        <label>
          {t("admin.kind")}{" "}
          <select value={kind ?? ""} onChange={(e) => update({ kind: e.target.value || null, offset: null })}>
            <option value="">{t("admin.kind.all")}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {label(lang, organizationKindLabels, k)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(o) => o.id}
        params={params}
        update={update}
        label={t("admin.organizations.title")}
      />
    </section>
  );
}
