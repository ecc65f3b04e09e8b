import { useState } from "react";
import { ConfirmDialog } from "../../components/Dialog";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorState, QueryState } from "../../components/states";
import { useHasPermission } from "../../app/auth";
import { formatDateTime } from "../../app/format";
import { useI18n } from "../../app/i18n";
import type { MessageKey } from "../../app/messages";
import { useRotateSigningKey, useSigningKeys, type SigningKeyRead } from "./hooks";
import { byNewest, signingKeyState, type SigningKeyState } from "./signingKeys";

const STATE_LABELS: Record<SigningKeyState, MessageKey> = {
  signing: "admin.signingKeys.state.signing",
  verifying: "admin.signingKeys.state.verifying",
  retired: "admin.signingKeys.state.retired",
  pending: "admin.signingKeys.state.pending",
};

/** The gateway's token signing keys (public facts only) and their rotation. */
export default function SigningKeysPage() {
  const { t } = useI18n();
  const can = useHasPermission();
  const query = useSigningKeys();
  const rotate = useRotateSigningKey();
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<string | null>(null);
  // States as of the list's fetch (it refetches after a rotation), never before the new key's start.
  const now = Math.max(query.dataUpdatedAt, rotatedAt(rotate.data));

  const columns = (all: SigningKeyRead[]): Column<SigningKeyRead>[] => [
    { key: "kid", header: t("admin.signingKeys.kid"), cell: (k) => <code>{k.kid}</code> },
    { key: "created", header: t("admin.signingKeys.createdAt"), cell: (k) => formatDateTime(k.created_at) },
    { key: "active", header: t("admin.signingKeys.activeFrom"), cell: (k) => formatDateTime(k.active_from) },
    { key: "retired", header: t("admin.signingKeys.retiredAt"), cell: (k) => (k.retired_at ? formatDateTime(k.retired_at) : "—") },
    {
      key: "state",
      header: t("admin.signingKeys.state"),
      cell: (k) => {
        const state = signingKeyState(k, all, now);
        return <span className={state === "signing" ? "badge badge-on" : "badge badge-off"}>{t(STATE_LABELS[state])}</span>;
      },
    },
  ];

  return (
    <section>
      <div className="page-head">
        <h1>{t("admin.signingKeys.title")}</h1>
        {can("gateway.signing_key:write") && (
          <button type="button" className="primary" disabled={rotate.isPending} onClick={() => setConfirming(true)}>
            {rotate.isPending ? t("admin.signingKeys.rotating") : t("admin.signingKeys.rotate")}
          </button>
        )}
      </div>
      <p className="muted">{t("admin.signingKeys.intro")}</p>
      {rotated && (
        <p className="notice" role="status">
          {t("admin.signingKeys.rotated", { kid: rotated })}
        </p>
      )}
      {rotate.error && <ErrorState error={rotate.error} />}
      <ConfirmDialog
        open={confirming}
        title={t("admin.signingKeys.rotate")}
        confirmLabel={t("admin.signingKeys.rotate")}
        busy={rotate.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          rotate.mutate(undefined, { onSuccess: (key) => setRotated(key.kid) });
        }}
      >
        <p>{t("admin.signingKeys.rotateConfirm")}</p>
      </ConfirmDialog>
      <QueryState query={query} isEmpty={(keys) => keys.length === 0}>
        {(keys) => (
          <DataTable
            columns={columns(keys)}
            rows={byNewest(keys)}
            rowKey={(k) => k.kid}
            busy={query.isFetching}
            label={t("admin.signingKeys.title")}
          />
        )}
      </QueryState>
    </section>
  );
}

/** After a rotation the new key is active from the server's "now": judge states from then on. */
function rotatedAt(key: SigningKeyRead | undefined): number {
  return key ? Date.parse(key.active_from) : 0;
}
