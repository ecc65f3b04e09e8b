/**
 * The current classifier: when and on how much it was trained, its macro-F1 on the held-out
 * payments, F1 per КОСГУ item as a chart, the decisions made since (they go into the next
 * training) and the train button with the job's progress.
 */
import { useState } from "react";
import { ApiProblem } from "../../../api/problem";
import { formatDateTime, formatNumber } from "../../../app/format";
import { BarChart, KpiTile } from "../../../components/charts/charts";
import { FormError } from "../../../components/Form";
import { JobProgress } from "../../../components/JobProgress";
import { ErrorState, Loading } from "../../../components/states";
import { useModelCard, useStartTraining, type ClassifierRead } from "./hooks";
import { useReviewText } from "./texts";

const f1 = (v: number | null | undefined) => (v == null ? "—" : formatNumber(v, 3));

export function ModelSummary({ model }: { model: ClassifierRead }) {
  const t = useReviewText();
  const decisions = Object.values(model.decisions_since).reduce((a, b) => a + b, 0);
  return (
    <>
      <p className="muted">
        {t("fr.model.trained", { at: formatDateTime(model.trained_at), samples: formatNumber(model.samples), held: formatNumber(model.held_out) })}
      </p>
      <div className="kpis">
        <KpiTile label={t("fr.model.f1Pair")} value={f1(model.macro_f1_pair)} />
        <KpiTile label={t("fr.model.f1Kosgu")} value={f1(model.macro_f1_kosgu)} />
        <KpiTile label={t("fr.model.f1Kvfo")} value={f1(model.macro_f1_kvfo)} />
        <KpiTile label={t("fr.model.decisions")} value={formatNumber(decisions)} />
      </div>
      {model.per_class_kosgu.length > 0 && (
        <BarChart
          title={t("fr.model.perClass")}
          testId="model-per-class"
          horizontal
          wide
          height={Math.max(220, model.per_class_kosgu.length * 22)}
          valueLabel="F1"
          format={(v) => formatNumber(v, 2)}
          data={model.per_class_kosgu.map((c) => ({ label: `${c.label} ${c.name}`, value: c.f1 }))}
        />
      )}
    </>
  );
}

export function ModelCard({ canTrain, onTrained }: { canTrain: boolean; onTrained: () => void }) {
  const t = useReviewText();
  const card = useModelCard();
  const train = useStartTraining();
  const [jobId, setJobId] = useState<string | null>(null);
  const none = card.error instanceof ApiProblem && card.error.status === 404;
  return (
    <section className="model-card" aria-labelledby="model-card-title">
      <h2 id="model-card-title">{t("fr.model")}</h2>
      {card.isPending ? (
        <Loading />
      ) : none ? (
        <p className="muted">{t("fr.model.none")}</p>
      ) : card.error || !card.data ? (
        <ErrorState error={card.error} onRetry={() => void card.refetch()} />
      ) : (
        <ModelSummary model={card.data} />
      )}
      {canTrain && (
        <p>
          <button type="button" disabled={train.isPending || jobId !== null} title={t("fr.model.trainHint")}
            onClick={() => train.mutate(undefined, { onSuccess: (job) => setJobId(job.id) })}>
            {t("fr.model.train")}
          </button>{" "}
          <small className="muted">{t("fr.model.trainHint")}</small>
        </p>
      )}
      {train.error && <FormError error={train.error} />}
      {jobId && (
        <JobProgress service="finance" jobId={jobId} onFinished={() => { setJobId(null); void card.refetch(); onTrained(); }} />
      )}
    </section>
  );
}
