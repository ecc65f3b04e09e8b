import { useState, type FormEvent } from "react";
import { ConfirmDialog } from "../../components/Dialog";
import { PagedTable, type Column } from "../../components/DataTable";
import { Field, FormError } from "../../components/Form";
import { useListParams } from "../../components/listParams";
import { ErrorState } from "../../components/states";
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
  const [revoking, setRevoking] = useState<ApiKeyRead | null>(null);
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
            onClick={() => setRevoking(k)}
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
      <ConfirmDialog
        open={revoking !== null}
        title={t("admin.apiKeys.revoke")}
        confirmLabel={t("admin.apiKeys.revoke")}
        danger
        busy={revoke.isPending}
        onCancel={() => setRevoking(null)}
        onConfirm={() => {
          if (revoking) revoke.mutate(revoking.id);
          setRevoking(null);
        }}
      >
        <p>{revoking && t("admin.apiKeys.revokeConfirm", { name: revoking.name })}</p>
      </ConfirmDialog>
      <PagedTable
        query={query}
        columns={columns}
        rowKey={(k) => k.id}
        params={params}
        update={update}
        label={t("admin.apiKeys.title")}
      />
    </section>
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (key: ApiKeyCreated) => void }) {
  const { t, lang } = useI18n();
  const directory = useOrganizationDirectory();
  const create = useCreateApiKey();
  const [form, setForm] = useState({ name: "", org_id: "", client_role: "mis" as ApiKeyCreate["client_role"], rate: 600 });

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

  return (
    <form className="inline-form" onSubmit={submit} noValidate aria-label={t("admin.apiKeys.create")}>
      <Field label={t("admin.apiKeys.name")} name="name" error={create.error}>
        <input required maxLength={200} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </Field>
      <Field label={t("admin.organization")} name="org_id" error={create.error}>
        <select required value={form.org_id} onChange={(e) => setForm({ ...form, org_id: e.target.value })}>
          <option value="">{t("admin.selectOrganization")}</option>
          {directory.data?.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t("admin.apiKeys.clientRole")} name="client_role" error={create.error}>
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
      </Field>
      <Field label={t("admin.apiKeys.rate")} name="rate_per_minute" error={create.error}>
        <input type="number" value={form.rate} onChange={(e) => setForm({ ...form, rate: Number(e.target.value) })} />
      </Field>
      <button type="submit" className="primary" disabled={create.isPending || !form.name.trim() || !form.org_id}>
        {create.isPending ? t("admin.apiKeys.creating") : t("admin.apiKeys.create")}
      </button>
      <div className="wide">
        <FormError error={create.error} />
      </div>
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
