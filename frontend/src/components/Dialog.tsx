/**
 * A confirmation as a native modal <dialog>: the browser traps focus inside, Escape
 * cancels, and focus returns to the button that opened it when it closes.
 */
import { useEffect, useId, useRef, type ReactNode } from "react";
import { useI18n } from "../app/i18n";

export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  danger,
  busy,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: ReactNode;
  children?: ReactNode;
  confirmLabel?: ReactNode;
  danger?: boolean;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={children ? `${id}-body` : undefined}
      // Escape: the browser closes the dialog; the state follows.
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      {children && <div id={`${id}-body`}>{children}</div>}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          {t("admin.cancel")}
        </button>
        <button type="button" className={danger ? "danger" : "primary"} disabled={busy} onClick={onConfirm}>
          {confirmLabel ?? t("dialog.confirm")}
        </button>
      </div>
    </dialog>
  );
}
