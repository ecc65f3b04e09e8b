/** /finance/payments/:id — one payment order: both parties, the document, its classification. */
import { Link, useParams } from "react-router-dom";
import { formatDate, formatDateTime, formatMoney, formatNumber } from "../../../app/format";
import { ErrorState, Loading } from "../../../components/states";
import { useOrder, type PaymentOrderRead } from "./hooks";
import { classification } from "./PaymentsPage";
import { usePaymentsText, type PaymentsKey } from "./texts";
import "./payments.css";

export default function PaymentPage() {
  const t = usePaymentsText();
  const { id = "" } = useParams();
  const order = useOrder(id);
  if (order.isPending) return <Loading />;
  if (order.error || !order.data) return <ErrorState error={order.error} onRetry={() => void order.refetch()} />;
  const o = order.data;
  const party = (title: PaymentsKey, p: "payer" | "payee") => (
    <div className="payment-party">
      <h2>{t(title)}</h2>
      <dl className="payment-facts">
        <dt>{t("fp.name")}</dt>
        <dd>{o[`${p}_name`]}</dd>
        <dt>{t("fp.inn")}</dt>
        <dd>{o[`${p}_inn`] ?? "—"}</dd>
        <dt>{t("fp.kpp")}</dt>
        <dd>{o[`${p}_kpp`] ?? "—"}</dd>
        <dt>{t("fp.account")}</dt>
        <dd>{o[`${p}_account`] ?? "—"}</dd>
        <dt>{t("fp.bik")}</dt>
        <dd>{o[`${p}_bik`] ?? "—"}</dd>
      </dl>
    </div>
  );
  const by = (order: PaymentOrderRead) => (order.classified_by ? t(`fp.by.${order.classified_by}` as PaymentsKey) : "—");
  return (
    <section className="payments-page">
      <p>
        <Link to="/finance/payments">{t("fp.back")}</Link>
      </p>
      <h1>{t("fp.detail", { number: o.doc_number, date: formatDate(o.doc_date) })}</h1>
      <p className={o.direction === "in" ? "payment-amount amount-in" : "payment-amount"}>
        {o.direction === "out" ? t("fp.dir.out") : t("fp.dir.in")}: {formatMoney(o.amount)}
      </p>
      <p className="payment-purpose-full">{o.purpose}</p>
      <dl className="payment-facts">
        <dt>{t("fp.kind")}</dt>
        <dd>{o.doc_kind}</dd>
        <dt>{t("fp.moAccount")}</dt>
        <dd>{o.account}</dd>
        <dt>{t("fp.kbk")}</dt>
        <dd>{o.kbk ?? "—"}</dd>
        <dt>{t("fp.writtenOff")}</dt>
        <dd>{o.written_off ? formatDate(o.written_off) : "—"}</dd>
        <dt>{t("fp.received")}</dt>
        <dd>{o.received ? formatDate(o.received) : "—"}</dd>
        <dt>{t("fp.col.class")}</dt>
        <dd>
          {classification(o, t)}
          {o.needs_review && <span className="badge badge-warn"> {t("fp.review")}</span>}
        </dd>
        <dt>{t("fp.col.by")}</dt>
        <dd>{by(o)}</dd>
        <dt>{t("fp.confidence")}</dt>
        <dd>{o.confidence === null ? "—" : `${formatNumber(o.confidence * 100, 0)} %`}</dd>
        <dt>{t("fp.classifiedAt")}</dt>
        <dd>{o.classified_at ? formatDateTime(o.classified_at) : "—"}</dd>
      </dl>
      <div className="payment-parties">
        {party("fp.payer", "payer")}
        {party("fp.payee", "payee")}
      </div>
    </section>
  );
}
