/**
 * A confirmation that needs a reason (merge, unmerge, reject): the modal dialog of
 * components/Dialog with a labelled reason field, the API's message at it, and any other
 * error of the request below.
 */
import { useState, type ReactNode } from "react";
import { ConfirmDialog } from "../../components/Dialog";
import { Field, FormError } from "../../components/Form";
import { useRegistryText } from "./texts";

export const MIN_REASON = 3;

export function ReasonDialog({
  open,
  title,
  confirmLabel,
  danger,
  busy,
  error,
  children,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: ReactNode;
  confirmLabel: ReactNode;
  danger?: boolean;
  busy?: boolean;
  error: unknown;
  children?: ReactNode;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const t = useRegistryText();
  const [reason, setReason] = useState("");
  const ready = reason.trim().length >= MIN_REASON;
  return (
    <ConfirmDialog
      open={open}
      title={title}
      confirmLabel={confirmLabel}
      danger={danger}
      busy={busy || !ready}
      onConfirm={() => ready && onConfirm(reason.trim())}
      onCancel={() => {
        setReason("");
        onCancel();
      }}
    >
      <div className="reason-dialog">
        {children}
        <Field label={t("reg.dup.reason")} name="reason" error={error} hint={t("reg.dup.reasonHint")}>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} maxLength={500} />
        </Field>
        <FormError error={error} />
      </div>
    </ConfirmDialog>
  );
}
