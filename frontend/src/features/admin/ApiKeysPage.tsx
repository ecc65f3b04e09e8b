import { useState, type FormEvent } from "react";
import { ApiProblem } from "../../api/problem";
import { DataTable, Pager, type Column } from "../../components/DataTable";
import { useListParams } from "../../components/listParams";
import { ErrorState, QueryState } from "../../components/states";
import { formatDate, formatDateTime, formatNumber } from "../../app/format";
import { useHasPermission } from "../../app/auth";
import { label, useI18n } from "../../app/i18n";
import { roleLabels } from "../../app/messages";
import {
  useApiKeys,
  useCreateApiKey,
  useOrganizationDirectory,
  useRevokeApiKey,
  type ApiKeyCreate,
  type ApiKeyCreated,
  type ApiKeyRead,
} from "./hooks";

const CLIENT_ROLES: ApiKeyCreate["client_role"][] = ["mis", "accounting", "tfoms_exchange", "foms_exchange"];

export default function ApiKeysPage() {
  const { t, lang } = useI18n();
  const can = useHasPermission();
  const { params, search, update } = useListParams();
  const includeRevoked = search.get("include_revoked") === "true";
  const orgId = search.get("org_id");
  const query = useApiKeys({ limit: params.limit, offset: params.offset, include_revoked: includeRevoked, org_id: orgId });
  const directory = useOrganizationDirectory();
  const revoke = useRevokeApiKey();
  // The full key exists only here, until the dialog is closed.
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const orgName = (id: string) => directory.data?.find((o) => o.id === id)?.name ?? "…";
  const writable = can("gateway.api_key:write");

  const columns: Column<ApiKeyRead>[] = [
    {
      key: "name",
      header: t("admin.apiKeys.name"),
      cell: (k) => (
        <>
          {k.name}
          <br />
          <code className="muted" title={t("admin.apiKeys.prefix")}>
            {k.prefix}…
          </code>
        </>
      ),
    },
    { key: "role", header: t("admin.apiKeys.clientRole"), cell: (k) => label(lang, roleLabels, k.client_role) },
    { key: "org", header: t("admin.organization"), cell: (k) => orgName(k.org_id) },
    { key: "rate", header: t("admin.apiKeys.rate"), align: "right", cell: (k) => formatNumber(k.rate_per_minute) },
    { key: "used", header: t("admin.apiKeys.lastUsed"), cell: (k) => formatDateTime(k.last_used_at) },
    {
      key: "status",
      header: t("admin.apiKeys.status"),
      cell: (k) =>
        k.revoked_at ? (
          <span className="badge badge-off">
            {t("admin.apiKeys.revoked")} {formatDate(k.revoked_at)}
          </span>
        ) : (
          <span className="badge badge-on">{t("admin.apiKeys.activeKey")}</span>
        ),
    },
    {
      key: "actions",
      header: "",
      cell: (k) =>
        writable && !k.revoked_at ? (
          <button
            type="button"
            className="danger"
            disabled={revoke.isPending}
            onClick={() => {
              if (window.confirm(t("admin.apiKeys.revokeConfirm", { name: k.name }))) revoke.mutate(k.id);
            }}
          >
            {t("admin.apiKeys.revoke")}
          </button>
        ) : null,
    },
  ];

  return (
    <section>
      <h1>{t("admin.apiKeys.title")}</h1>
      {created && <CreatedKey created={created} onClose={() => setCreated(null)} />}
      {writable && <CreateKeyForm onCreated={setCreated} />}
      <div className="toolbar">
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
        <label>
          <input
            type="checkbox"
            checked={includeRevoked}
            onChange={(e) => update({ include_revoked: e.target.checked ? "true" : null, offset: null })}
          />{" "}
          {t("admin.apiKeys.includeRevoked")}
        </label>
      </div>
      {revoke.error && <ErrorState error={revoke.error} />}
      <QueryState query={query} isEmpty={(p) => p.total === 0}>
        {(page) => (
          <>
            <DataTable columns={columns} rows={page.items} rowKey={(k) => k.id} busy={query.isFetching} />
            <Pager total={page.total} limit={page.limit} offset={page.offset} onChange={(offset, limit) => update({ offset, limit })} />
          </>
        )}
      </QueryState>
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const { t, lang } = useI18n();
  const directory = useOrganizationDirectory();
  const create = useCreateApiKey();
  const [form, setForm] = useState({ name: "", org_id: "", client_role: "mis" as ApiKeyCreate["client_role"], rate: 600 });
  const problem = create.error instanceof ApiProblem ? create.error : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name: form.name.trim(), org_id: form.org_id, client_role: form.client_role, rate_per_minute: form.rate },
      {
        onSuccess: (key) => {
          onCreated(key);
          setForm((f) => ({ ...f, name: "" }));
        },
      },
    );
  }

  const fieldError = (field: string) =>
    problem?.errorsFor(`body.${field}`).map((m) => (
      <span key={m} className="field-error">
        {m}
      </span>
    ));

  return (
    <form className="inline-form" onSubmit={submit}>
      <label>
        {t("admin.apiKeys.name")}
        <input required minLength={2} maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
        {fieldError("name")}
      </label>
      <label>
        {t("admin.organization")}
        <select required value={form.org_id} onChange={(e) => setForm({ ...form, org_id: e.target.value })}>
          <option value="">{t("admin.selectOrganization")}</option>
          {directory.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
        {fieldError("org_id")}
      </label>
      <label>
        {t("admin.apiKeys.clientRole")}
        <select
          value={form.client_role}
          onChange={(e) => setForm({ ...form, client_role: e.target.value as ApiKeyCreate["client_role"] })}
        >
          {CLIENT_ROLES.map((r) => (
            <option key={r} value={r}>
              {label(lang, roleLabels, r)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("admin.apiKeys.rate")}
        <input
          type="number"
          min={1}
          max={100000}
          value={form.rate}
          onChange={(e) => setForm({ ...form, rate: Number(e.target.value) })}
        />
        {fieldError("rate_per_minute")}
      </label>
      <button type="submit" className="primary" disabled={create.isPending || form.name.trim().length < 2 || !form.org_id}>
        {create.isPending ? t("admin.apiKeys.creating") : t("admin.apiKeys.create")}
      </button>
      {problem && problem.fieldErrors.length === 0 && <ErrorState error={problem} />}
    </form>
  );
}

function CreatedKey({ created, onClose }: { created: ApiKeyCreated; onClose: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="created-key" role="alert" data-testid="created-key">
      <p>{t("admin.apiKeys.created")}</p>
      <p>
        <strong>{created.name}</strong>
      </p>
      <code className="secret">{created.key}</code>
      <div className="actions">
        <button
          type="button"
          onClick={() => {
            void navigator.clipboard?.writeText(created.key).then(() => setCopied(true));
          }}
        >
          {copied ? t("admin.apiKeys.copied") : t("admin.apiKeys.copy")}
        </button>
        <button type="button" onClick={onClose}>
          {t("admin.apiKeys.close")}
        </button>
      </div>
    </div>
  );
}
