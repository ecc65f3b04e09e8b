/**
 * /pharmacy/dispensing — the pharmacist's screen, driven by a keyboard-wedge scanner: one focused
 * input; the prescription's series and number (typed or scanned) finds it, each marking code +
 * Enter adds a package line (checked by the server at once: an error shows at the line, in red
 * with a mark, no sound); «Отпустить» when the count is complete; «На отсроченное обслуживание»
 * when the pharmacy has no stock for it. An unmarked drug has no codes to scan: the batch picker
 * (``BatchPicker``) offers the pharmacy's batches for it, earliest expiry first.
 */
import { useEffect, useReducer, useRef, useState } from "react";
import { ApiProblem } from "../../../api/problem";
import { formatDate, formatMoney } from "../../../app/format";
import { ErrorState, Loading } from "../../../components/states";
import { BatchPicker } from "./BatchPicker";
import {
  useDefer,
  useDispense,
  usePrescriptionAtCounter,
  useScan,
  type DeferredKind,
  type DispenseRead,
  type PrescriptionAtCounter,
} from "./hooks";
import { useWedgeInput } from "../scanner/useWedgeInput";
import { visible } from "../scanner/wedge";
import { classify, codesToSend, DUPLICATE, emptyLines, linesReducer, progress } from "./scanInput";
import { useDispensingText, type DispensingKey, type DispensingText } from "./texts";
import "./dispensing.css";

const KINDS = ["preferential", "minimum_assortment", "medical_commission"] as const;
/** The check's code of a prescription dispensed already (pharmacy dispensing/checks.py). */
const ALREADY_DISPENSED = "already_dispensed";

function problemMessage(error: unknown): string {
  if (error instanceof ApiProblem) return error.fieldErrors.map((e) => e.message).join("; ") || error.detail || error.title;
  return String(error);
}

export default function DispensingPage() {
  const t = useDispensingText();
  const input = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [q, setQ] = useState<string | null>(null);
  const [lines, dispatch] = useReducer(linesReducer, emptyLines);
  const [done, setDone] = useState<DispenseRead | null>(null);
  const [deferredUntil, setDeferredUntil] = useState<string | null>(null);
  const [kind, setKind] = useState<NonNullable<DeferredKind>>("preferential");
  const prescription = usePrescriptionAtCounter(q);
  const scan = useScan();
  const dispense = useDispense();
  const defer = useDefer();
  const p = prescription.data;

  const focus = () => input.current?.focus();
  // the scanner types into this field: it has the focus from the start
  useEffect(() => input.current?.focus(), []);

  const startPrescription = (value: string) => {
    setQ(value.trim());
    dispatch({ type: "reset" });
    setDone(null);
    setDeferredUntil(null);
    dispense.reset();
    defer.reset();
  };

  const addPackage = (raw: string, at: PrescriptionAtCounter) => {
    const id = lines.next;
    dispatch({ type: "scanned", raw });
    scan.mutate(
      { code: raw, prescriptionId: at.id },
      {
        onSuccess: (r) => {
          if (r.usable) {
            dispatch({
              type: "checked",
              id,
              info: {
                sgtin: r.parsed.sgtin,
                drug: `${r.drug.trade_name} (${r.drug.inn}, ${r.drug.dosage_form}, ${r.drug.dosage})`,
                series: r.package?.series ?? null,
                expiry: r.package?.expiry_date ?? null,
                price: r.package?.unit_price ?? null,
              },
            });
          } else {
            dispatch({ type: "refused", id, message: r.problems.map((x) => x.message).join("; "), sgtin: r.parsed.sgtin });
          }
        },
        onError: (e) => dispatch({ type: "refused", id, message: problemMessage(e) }),
      },
    );
  };

  const submit = (value: string) => {
    setNotice(null);
    const kindOf = classify(value);
    if (kindOf === "prescription") startPrescription(value);
    else if (kindOf === "code") {
      if (!p || done) setNotice(t("pd.noPrescription"));
      else addPackage(value, p);
    } else if (value.trim()) setNotice(t("pd.unknownInput"));
  };

  const wedge = useWedgeInput(submit);

  const count = p ? progress(lines, p.quantity) : null;
  const blocked = !p || p.problems.length > 0 || p.dispense_id != null || done != null;
  const canDispense = !!count?.complete && !blocked && !dispense.isPending;
  const noStock = !!p && !blocked && p.reservations.length === 0 && p.free_here < p.quantity && !p.deferred;

  const doDispense = () => {
    if (!p) return;
    dispense.mutate(
      { prescriptionId: p.id, codes: codesToSend(lines) },
      {
        onSuccess: (d) => {
          setDone(d);
          focus();
        },
      },
    );
  };

  const doDispenseBatch = (batchId: string, quantity: number) => {
    if (!p) return;
    dispense.mutate(
      { prescriptionId: p.id, items: [{ batch_id: batchId, quantity }] },
      {
        onSuccess: (d) => {
          setDone(d);
          focus();
        },
      },
    );
  };

  const doDefer = () => {
    if (!p) return;
    defer.mutate({ prescriptionId: p.id, kind }, { onSuccess: (d) => setDeferredUntil(d.deadline) });
  };

  return (
    <section className="dispensing">
      <h1>{t("pd.title")}</h1>
      <p className="muted">{t("pd.intro")}</p>
      <form
        className="scan-form"
        onSubmit={(e) => {
          e.preventDefault();
          wedge.submit();
        }}
      >
        <label htmlFor="scan-input">{t("pd.input")}</label>
        <input
          id="scan-input"
          ref={input}
          className="scan-input"
          {...wedge.inputProps}
          placeholder={t("pd.input.placeholder")}
          aria-describedby="scan-hint"
        />
        <small id="scan-hint" className="muted">
          {t("pd.input.hint")}
        </small>
        {notice && (
          <p className="scan-notice" role="alert">
            ⚠ {notice}
          </p>
        )}
      </form>

      {prescription.isLoading && <Loading />}
      {prescription.error && <ErrorState error={prescription.error} />}
      {p && <PrescriptionCard p={p} t={t} justDispensed={done != null && done.id === p.dispense_id} />}

      {p && !p.marked && !blocked && (
        <BatchPicker
          key={p.id}
          batches={p.batches}
          prescribed={p.quantity}
          disabled={blocked}
          pending={dispense.isPending}
          onDispense={doDispenseBatch}
          t={t}
        />
      )}

      {p && (
        <>
          {p.marked && (
            <p className={`scan-count${count?.complete ? " complete" : ""}`} aria-live="polite">
              {t("pd.counts", { scanned: count?.scanned ?? 0, required: p.quantity })}
              {count?.over && <span className="line-error-text"> — {t("pd.over")}</span>}
            </p>
          )}
          {lines.lines.length > 0 && (
            <table className="data-table scan-lines">
              <thead>
                <tr>
                  <th>{t("pd.col.n")}</th>
                  <th>{t("pd.col.code")}</th>
                  <th>{t("pd.col.drug")}</th>
                  <th>{t("pd.col.series")}</th>
                  <th>{t("pd.col.expiry")}</th>
                  <th className="num">{t("pd.col.price")}</th>
                  <th>{t("pd.col.state")}</th>
                  <th>
                    <span className="visually-hidden">{t("pd.col.actions")}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {lines.lines.map((l, i) => (
                  <tr key={l.id} className={l.state === "error" ? "line-error" : l.state === "ok" ? "line-ok" : ""}>
                    <td>{i + 1}</td>
                    <td>
                      <code className="scan-code">{l.state === "ok" ? l.info.sgtin : visible(l.raw).slice(0, 40)}</code>
                    </td>
                    <td>{l.state === "ok" ? l.info.drug : ""}</td>
                    <td>{l.state === "ok" ? (l.info.series ?? "—") : ""}</td>
                    <td>{l.state === "ok" ? formatDate(l.info.expiry) : ""}</td>
                    <td className="num">{l.state === "ok" && l.info.price ? formatMoney(l.info.price) : ""}</td>
                    <td role={l.state === "error" ? "alert" : undefined}>
                      {l.state === "checking" && t("pd.checking")}
                      {l.state === "ok" && <span role="img" aria-label={t("pd.lineOk")}>✓</span>}
                      {l.state === "error" && (
                        <span className="line-error-text">⚠ {l.message === DUPLICATE ? t("pd.duplicate") : l.message}</span>
                      )}
                    </td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => {
                          dispatch({ type: "remove", id: l.id });
                          focus();
                        }}
                      >
                        {t("pd.remove")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <div className="actions">
            {p.marked && (
              <button type="button" className="primary" disabled={!canDispense} onClick={doDispense}>
                {t("pd.dispense")}
              </button>
            )}
            {noStock && !deferredUntil && (
              <span className="defer-box">
                <label>
                  {t("pd.deferKind")}{" "}
                  <select value={kind} onChange={(e) => setKind(e.target.value as NonNullable<DeferredKind>)}>
                    {KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`pd.kind.${k}` as DispensingKey)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" onClick={doDefer} disabled={defer.isPending}>
                  {t("pd.defer")}
                </button>
              </span>
            )}
            <button
              type="button"
              onClick={() => {
                setQ(null);
                dispatch({ type: "reset" });
                setDone(null);
                setDeferredUntil(null);
                focus();
              }}
            >
              {t("pd.clear")}
            </button>
          </div>
          {dispense.error && <ErrorState error={dispense.error} />}
          {defer.error && <ErrorState error={defer.error} />}
          {deferredUntil && (
            <p className="scan-success" role="status">
              {t("pd.deferred", { deadline: formatDate(deferredUntil) })}
            </p>
          )}
          {done && (
            <div className="scan-success" role="status">
              <strong>{t("pd.done", { n: done.quantity, amount: formatMoney(done.amount) })}</strong>
              <p>
                {done.designation} · {done.drug.trade_name} · {done.items.map((i) => i.sgtin ?? i.series).join(", ")}
              </p>
              {done.trace_report_id && <p className="muted">{t("pd.doneTrace")}</p>}
            </div>
          )}
        </>
      )}
    </section>
  );
}

/**
 * The presented prescription. `justDispensed`: the dispense this counter just made is the
 * prescription's (the card asked again after it) — its «уже отпущено» is not a refusal to show
 * beside the success, so only the other problems are listed.
 */
function PrescriptionCard({ p, t, justDispensed }: { p: PrescriptionAtCounter; t: DispensingText; justDispensed: boolean }) {
  const problems = justDispensed ? p.problems.filter((x) => x.code !== ALREADY_DISPENSED) : p.problems;
  return (
    <div className="prescription-card">
      <dl>
        <dt>{t("pd.prescription")}</dt>
        <dd>
          {p.designation} · {p.form}
        </dd>
        <dt>{t("pd.patient")}</dt>
        <dd>
          {p.patient.name ?? "—"}
          {p.patient.birth_year ? `, ${p.patient.birth_year}` : ""}
          {p.patient.snils ? ` · СНИЛС ${p.patient.snils}` : ""}
        </dd>
        <dt>{t("pd.drug")}</dt>
        <dd>
          {p.inn}, {p.dosage_form}, {p.dosage}
          {p.trade_name ? ` (${p.trade_name})` : ""} — {p.signa}
        </dd>
        <dt>{t("pd.quantity")}</dt>
        <dd>{p.quantity}</dd>
        <dt>{t("pd.validity")}</dt>
        <dd className={p.valid_today ? "" : "line-error-text"}>
          {t("pd.validUntil", { from: formatDate(p.issued_on), until: formatDate(p.valid_until) })}
          {!p.valid_today && ` — ${t("pd.validNo")}`}
        </dd>
        <dt>{t("pd.entitlement")}</dt>
        <dd className={p.entitlement.entitled ? "" : "line-error-text"}>
          {t(p.entitlement.entitled ? "pd.entitled" : "pd.notEntitled", { code: p.category_code })}
        </dd>
        <dt>{t("pd.funding")}</dt>
        <dd>{t(p.funding_source === "regional" ? "pd.funding.regional" : "pd.funding.federal")}</dd>
        <dt>{t("pd.free")}</dt>
        <dd>{p.free_here}</dd>
      </dl>
      {p.reservations.map((r, i) => (
        <p key={i} className="muted">
          {t("pd.reserved", { n: r.quantity, until: formatDate(r.expires_at) })}
        </p>
      ))}
      {p.deferred && (
        <p className="muted">
          {t("pd.deferredInfo", { from: formatDate(p.deferred.requested_on), deadline: formatDate(p.deferred.deadline) })}
        </p>
      )}
      {problems.length > 0 && (
        <div className="state state-error" role="alert">
          <strong>{p.dispense_id && !justDispensed ? t("pd.alreadyDispensed") : t("pd.problems")}</strong>
          <ul>
            {problems.map((x) => (
              <li key={x.code + x.message}>{x.message}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
