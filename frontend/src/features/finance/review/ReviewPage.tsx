/**
 * /finance/payments/review — payments the rules and the model are not sure of: the list
 * (least sure or largest first, per MO), confirm or correct one (a dialog with the КОСГУ of
 * the payment's section from /classifiers and the model's alternatives), confirm the selected
 * ones at once, and the model's card with its training.
 */
import { useState } from "react";
import { Link } from "react-router-dom";
import { ApiProblem } from "../../../api/problem";
import { useHasPermission } from "../../../app/auth";
import { formatMoney, formatNumber } from "../../../app/format";
import { KpiTile } from "../../../components/charts/charts";
import { Pager } from "../../../components/DataTable";
import { ConfirmDialog } from "../../../components/Dialog";
import { FormError } from "../../../components/Form";
import { ErrorState, Loading } from "../../../components/states";
import { useClassifiers, useMos } from "../budget/hooks";
import { DecisionForm, type Choice } from "./DecisionForm";
import { useBulkConfirm, useDecide, useDecisions, useReview, type ReviewItem } from "./hooks";
import { ModelCard } from "./ModelCard";
import { ReviewTable } from "./ReviewTable";
import { useReviewText } from "./texts";
import "../budget/budget.css";
import "./review.css";

export default function ReviewPage() {
  const t = useReviewText();
  const can = useHasPermission();
  const canWrite = can("finance.payment_order:write");
  const [mo, setMo] = useState("");
  const [order, setOrder] = useState<"confidence" | "amount">("confidence");
  const [page, setPage] = useState({ limit: 50, offset: 0 });
  const list = useReview({ mo_id: mo || undefined, order, limit: page.limit, offset: page.offset });
  const mos = useMos();
  const classifiers = useClassifiers();
  const decide = useDecide();
  const bulk = useBulkConfirm();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkOpen, setBulkOpen] = useState(false);
  const [editing, setEditing] = useState<ReviewItem | null>(null);
  const [choice, setChoice] = useState<Choice>({ kvfo: "", kosgu: "" });
  const [notice, setNotice] = useState<string | null>(null);
  const history = useDecisions(editing?.id ?? null);

  if (list.error instanceof ApiProblem && list.error.status === 403) {
    return (
      <section>
        <h1>{t("fr.title")}</h1>
        <p className="muted">{t("fr.consolidatedOnly")}</p>
      </section>
    );
  }

  const version = (item: ReviewItem) => item.classified_at ?? null;
  const conflict = (error: unknown) => error instanceof ApiProblem && error.status === 409;
  const confirmOne = (item: ReviewItem) =>
    decide.mutate(
      { id: item.id, body: { action: "confirm", expected_classified_at: version(item) } },
      { onError: (e) => conflict(e) && setNotice(t("fr.dialog.conflict")) },
    );
  const openCorrection = (item: ReviewItem, pick?: { kvfo: number; kosgu: string }) => {
    decide.reset();
    setEditing(item);
    setChoice({ kvfo: String(pick?.kvfo ?? item.kvfo ?? ""), kosgu: pick?.kosgu ?? item.kosgu ?? "" });
  };
  const saveCorrection = () => {
    if (!editing || !choice.kvfo || !choice.kosgu) return;
    decide.mutate(
      {
        id: editing.id,
        body: { action: "correct", kvfo: Number(choice.kvfo), kosgu: choice.kosgu, expected_classified_at: version(editing) },
      },
      {
        onSuccess: () => setEditing(null),
        onError: (e) => {
          if (conflict(e)) {
            setEditing(null);
            setNotice(t("fr.dialog.conflict"));
          }
        },
      },
    );
  };
  const toggle = (id: string) =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const toggleAll = (ids: string[], on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      for (const id of ids) {
        if (on) next.add(id);
        else next.delete(id);
      }
      return next;
    });

  return (
    <section className="review-page">
      <p><Link to="/finance/payments">{t("fr.payments")}</Link></p>
      <h1>{t("fr.title")}</h1>
      <p className="muted">{t("fr.intro", { threshold: Math.round((list.data?.threshold ?? 0.75) * 100) })}</p>
      {list.data && (
        <div className="kpis">
          <KpiTile label={t("fr.total")} value={formatNumber(list.data.total)} />
          <KpiTile label={t("fr.totalAmount")} value={formatMoney(list.data.total_amount)} />
        </div>
      )}
      <div className="budget-toolbar" role="group" aria-label={t("fr.title")}>
        {mos.data && mos.data.length > 1 && (
          <label>
            {t("fr.mo")}{" "}
            <select value={mo} onChange={(e) => { setMo(e.target.value); setPage((p) => ({ ...p, offset: 0 })); }}>
              <option value="">{t("fr.allMos")}</option>
              {mos.data.map((m) => (
                <option key={m.id} value={m.id}>{m.code ? `${m.code} ${m.name}` : m.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("fr.order")}{" "}
          <select value={order} onChange={(e) => setOrder(e.target.value as "confidence" | "amount")}>
            <option value="confidence">{t("fr.order.confidence")}</option>
            <option value="amount">{t("fr.order.amount")}</option>
          </select>
        </label>
        {canWrite && (
          <button type="button" className="primary" disabled={selected.size === 0 || bulk.isPending} onClick={() => setBulkOpen(true)}>
            {t("fr.bulk", { count: selected.size })}
          </button>
        )}
      </div>
      {notice && <p role="status" className="notice">{notice}</p>}
      {decide.error && !editing && !conflict(decide.error) && <FormError error={decide.error} />}
      {bulk.error && <FormError error={bulk.error} />}
      {list.isPending ? (
        <Loading />
      ) : list.error || !list.data ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t("fr.none")}</p>
      ) : (
        <>
          <ReviewTable
            items={list.data.items}
            threshold={list.data.threshold}
            selected={selected}
            canWrite={canWrite}
            busy={list.isFetching || decide.isPending}
            onToggle={toggle}
            onToggleAll={toggleAll}
            onConfirm={confirmOne}
            onCorrect={openCorrection}
          />
          <Pager total={list.data.total} limit={list.data.limit} offset={list.data.offset} onChange={(offset, limit) => setPage({ offset, limit })} />
        </>
      )}
      <ConfirmDialog
        open={editing !== null}
        title={editing ? t("fr.dialog.title", { number: editing.doc_number, date: editing.doc_date }) : ""}
        confirmLabel={t("fr.dialog.save")}
        busy={decide.isPending || !choice.kvfo || !choice.kosgu}
        onCancel={() => setEditing(null)}
        onConfirm={saveCorrection}
      >
        {editing && classifiers.data && (
          <DecisionForm item={editing} kosgu={classifiers.data.kosgu} kvfo={classifiers.data.kvfo} value={choice} onChange={setChoice}
            history={history.data ?? []} />
        )}
        {decide.error && editing && <FormError error={decide.error} />}
      </ConfirmDialog>
      <ConfirmDialog
        open={bulkOpen}
        title={t("fr.bulk.title", { count: selected.size })}
        confirmLabel={t("fr.confirm")}
        busy={bulk.isPending}
        onCancel={() => setBulkOpen(false)}
        onConfirm={() =>
          bulk.mutate([...selected], {
            onSuccess: (r) => {
              setBulkOpen(false);
              setSelected(new Set());
              setNotice(t("fr.bulk.done", { count: r.confirmed }));
            },
            onError: () => setBulkOpen(false),
          })
        }
      >
        <p>{t("fr.bulk.body")}</p>
      </ConfirmDialog>
      <ModelCard canTrain={can("finance.classifier:train")} onTrained={() => void list.refetch()} />
    </section>
  );
}
