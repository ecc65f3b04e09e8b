/**
 * /pharmacy/prescriptions/:id — one prescription as written (patient, category, diagnosis,
 * Rp., term, doctor), its signature check, reservation, dispense and deferred service; «Печать»
 * (PDF); for the MO's doctor «Выписать копию» (new number, today's date, checked again) and
 * «Аннулировать» with a reason while it is open.
 */
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useHasPermission, useMe } from "../../../app/auth";
import { formatDate, formatDateTime, formatMoney } from "../../../app/format";
import { ConfirmDialog } from "../../../components/Dialog";
import { DownloadButton } from "../../../components/DownloadButton";
import { FormError } from "../../../components/Form";
import { ErrorState, Loading } from "../../../components/states";
import { useCancel, useCopy, usePrescription, type PrescriptionRead } from "./hooks";
import { isOpen } from "./shape";
import { useRxText, type RxKey } from "./texts";
import "./prescriptions.css";

function Card({ p }: { p: PrescriptionRead }) {
  const t = useRxText();
  const rows: [RxKey, string][] = [
    ["rx.one.form", p.form],
    ["rx.one.issued", formatDate(p.issued_on)],
    ["rx.one.valid", `${formatDate(p.valid_until)} (${t("rx.one.days", { n: p.validity_days })})`],
    ["rx.one.patient", p.patient_full_name ?? p.person_id],
    ["rx.one.birth", formatDate(p.patient_birth_date)],
    ["rx.one.snils", p.patient_snils_masked ?? "—"],
    ["rx.one.policy", p.patient_policy_masked ?? "—"],
    ["rx.one.record", p.medical_record_number ?? "—"],
    ["rx.one.category", p.category_name ? `${p.category_code} — ${p.category_name}` : p.category_code],
    ["rx.one.diagnosis", p.diagnosis_code],
    ["rx.one.funding", t(`rx.funding.${p.funding_source}` as RxKey)],
    ["rx.one.discount", p.discount_percent >= 100 ? t("rx.one.discount.free") : `${p.discount_percent} %`],
    ["rx.one.drug", `${p.inn}${p.trade_name ? ` (${p.trade_name})` : ""}, ${p.dosage_form}, ${p.dosage}`],
    ["rx.one.quantity", String(p.quantity)],
    ["rx.one.signa", p.signa],
    ["rx.one.mo", p.mo_name ?? p.mo_code],
    ["rx.one.doctor", p.doctor_name ?? p.doctor_subject],
  ];
  if (p.barcode) rows.push(["rx.one.barcode", p.barcode]);
  return (
    <dl className="rx-card">
      {rows.map(([key, value]) => (
        <div key={key} style={{ display: "contents" }}>
          <dt>{t(key)}</dt>
          <dd>{value}</dd>
        </div>
      ))}
      <dt>{t("rx.one.signature")}</dt>
      <dd>
        {p.signature.valid ? (
          t("rx.one.signature.valid")
        ) : !p.signature.signed_at ? (
          <span className="muted">{t("rx.one.signature.none")}</span>
        ) : (
          <strong className="field-error">{t("rx.one.signature.invalid")}</strong>
        )}
        {p.signature.signed_at && <span className="muted">{` · ${formatDateTime(p.signature.signed_at)} · ${p.signature.algorithm ?? ""}`}</span>}
        {!p.signature.valid && p.signature.signed_at && <span>{` · ${p.signature.message}`}</span>}
      </dd>
      {p.copied_from_id && (
        <>
          <dt>{t("rx.one.copiedFrom")}</dt>
          <dd>
            <Link to={`/pharmacy/prescriptions/${p.copied_from_id}`}>{p.copied_from_id}</Link>
          </dd>
        </>
      )}
      <dt>{t("rx.one.reservations")}</dt>
      <dd>
        {p.reservations.length === 0
          ? t("rx.one.none")
          : p.reservations.map((r) => (
              <div key={r.id}>
                {t("rx.one.reservation", {
                  pharmacy: r.pharmacy_name ?? r.pharmacy_id,
                  n: r.quantity,
                  status: t(`rx.one.reservation.${r.status}` as RxKey),
                  until: formatDateTime(r.expires_at),
                })}
              </div>
            ))}
      </dd>
      <dt>{t("rx.one.dispense")}</dt>
      <dd>
        {p.dispense
          ? t("rx.one.dispensed", {
              pharmacy: p.dispense.pharmacy_name ?? p.dispense.pharmacy_id,
              at: formatDateTime(p.dispense.dispensed_at),
              n: p.dispense.quantity,
              amount: formatMoney(p.dispense.amount),
            })
          : t("rx.one.none")}
      </dd>
      <dt>{t("rx.one.deferred")}</dt>
      <dd>
        {p.deferred ? (
          <>
            {t("rx.one.deferredLine", {
              pharmacy: p.deferred.pharmacy_name ?? p.deferred.pharmacy_id,
              from: formatDate(p.deferred.requested_on),
              deadline: formatDate(p.deferred.deadline),
            })}
            {p.deferred.overdue && <strong className="field-error">{` · ${t("rx.one.overdue")}`}</strong>}
          </>
        ) : (
          t("rx.one.none")
        )}
      </dd>
    </dl>
  );
}

export default function PrescriptionPage() {
  const t = useRxText();
  const { id = "" } = useParams();
  const me = useMe();
  const can = useHasPermission();
  const navigate = useNavigate();
  const one = usePrescription(id);
  const cancel = useCancel(id);
  const copy = useCopy(id);
  const [cancelling, setCancelling] = useState(false);
  const [reason, setReason] = useState("");

  if (one.isPending) return <Loading />;
  if (one.error || !one.data) return <ErrorState error={one.error} onRetry={() => void one.refetch()} />;
  const p = one.data;
  const ownMo = can("pharmacy.prescription:write") && me.organization.id === p.mo_id;

  return (
    <section className="rx-page">
      <p>
        <Link to="/pharmacy/prescriptions">{t("rx.back")}</Link>
      </p>
      <h1>{t("rx.one.title", { designation: p.designation })}</h1>
      <p>
        <span className={`rx-status rx-status-${p.status}`}>{t(`rx.status.${p.status}` as RxKey)}</span>
        {p.status === "cancelled" && p.cancelled_at && (
          <span>{` ${t("rx.one.cancelled", { at: formatDateTime(p.cancelled_at), reason: p.cancel_reason ?? "" })}`}</span>
        )}
      </p>
      <div className="rx-actions">
        <DownloadButton url={`/api/pharmacy/prescriptions/${p.id}/print.pdf`}>{t("rx.one.print")}</DownloadButton>
        {ownMo && (
          <button
            type="button"
            disabled={copy.isPending}
            onClick={() => copy.mutate({}, { onSuccess: (created) => void navigate(`/pharmacy/prescriptions/${created.id}`) })}
          >
            {t("rx.one.copy")}
          </button>
        )}
        {ownMo && isOpen(p.status) && (
          <button type="button" onClick={() => { setReason(""); cancel.reset(); setCancelling(true); }}>
            {t("rx.one.cancel")}
          </button>
        )}
      </div>
      {copy.error && <ErrorState error={copy.error} />}
      <Card p={p} />
      <ConfirmDialog
        open={cancelling}
        title={t("rx.one.cancel.title")}
        confirmLabel={t("rx.one.cancel.confirm")}
        busy={cancel.isPending}
        onCancel={() => setCancelling(false)}
        onConfirm={() => cancel.mutate(reason.trim(), { onSuccess: () => setCancelling(false) })}
      >
        <p>{p.designation}</p>
        <label className="field">
          {t("rx.one.cancel.reason")}
          <textarea value={reason} rows={3} maxLength={500} onChange={(e) => setReason(e.target.value)} />
        </label>
        <FormError error={cancel.error} />
      </ConfirmDialog>
    </section>
  );
}
