/**
 * /verification/tariffs: the contribution tariff per year (354-FZ: base tariff × appreciation
 * coefficient × the region's differentiation coefficient, per capita and monthly computed by
 * the server); those who run verifications set a year's coefficients.
 */
import { useState, type FormEvent } from "react";
import { useMe } from "../../app/auth";
import { formatDateTime, formatMoney, formatNumber } from "../../app/format";
import { DataTable, type Column } from "../../components/DataTable";
import { ErrorState, QueryState } from "../../components/states";
import { usePutTariff, useTariffs, type TariffOut } from "./hooks";
import { TARIFF_WRITE } from "./sections";
import { useVerText } from "./texts";
import "./verification.css";

interface Draft {
  year: string;
  appreciation: string;
  differentiation: string;
  basis: string;
}

const draftOf = (t: TariffOut): Draft => ({
  year: String(t.year),
  appreciation: String(t.appreciation_coefficient),
  differentiation: String(t.differentiation_coefficient),
  basis: t.legal_basis,
});

export default function TariffsPage() {
  const t = useVerText();
  const me = useMe();
  const tariffs = useTariffs();
  const canEdit = TARIFF_WRITE.some((p) => me.permissions.includes(p));
  const [draft, setDraft] = useState<Draft | null>(null);
  const [saved, setSaved] = useState<TariffOut | null>(null);

  const columns: Column<TariffOut>[] = [
    { key: "year", header: t("ver.col.year"), cell: (x) => x.year },
    { key: "base", header: t("ver.col.base"), align: "right", cell: (x) => formatNumber(x.base_tariff, 2) },
    { key: "appreciation", header: t("ver.col.appreciation"), align: "right", cell: (x) => formatNumber(x.appreciation_coefficient, 4) },
    { key: "differentiation", header: t("ver.col.differentiation"), align: "right", cell: (x) => formatNumber(x.differentiation_coefficient, 4) },
    { key: "perCapita", header: t("ver.col.perCapita"), align: "right", cell: (x) => formatMoney(x.per_capita) },
    { key: "monthly", header: t("ver.col.monthly"), align: "right", cell: (x) => formatMoney(x.monthly) },
    { key: "basis", header: t("ver.col.basis"), cell: (x) => <small>{x.legal_basis}</small> },
    { key: "updated", header: t("ver.col.updated"), cell: (x) => `${formatDateTime(x.updated_at)}, ${x.updated_by}` },
    ...(canEdit
      ? [
          {
            key: "edit",
            header: t("ver.tariffs.edit"),
            cell: (x: TariffOut) => (
              <button type="button" onClick={() => setDraft(draftOf(x))}>
                {t("ver.tariffs.edit")}
              </button>
            ),
          },
        ]
      : []),
  ];

  return (
    <section>
      <h1>{t("ver.tariffs.title")}</h1>
      {saved && (
        <p role="status" data-testid="tariff-saved">
          {t("ver.tariffs.saved", { year: saved.year, perCapita: formatMoney(saved.per_capita) })}
        </p>
      )}
      <QueryState query={tariffs} isEmpty={(list) => list.length === 0} empty={t("ver.tariffs.empty")}>
        {(list) => <DataTable columns={columns} rows={list} rowKey={(x) => String(x.year)} label={t("ver.tariffs.title")} />}
      </QueryState>
      {canEdit &&
        (draft ? (
          <TariffForm
            draft={draft}
            onCancel={() => setDraft(null)}
            onSaved={(x) => {
              setSaved(x);
              setDraft(null);
            }}
          />
        ) : (
          <button type="button" onClick={() => setDraft({ year: String(new Date().getFullYear() + 1), appreciation: "", differentiation: "1", basis: "" })}>
            {t("ver.tariffs.new")}
          </button>
        ))}
    </section>
  );
}

function TariffForm({ draft, onCancel, onSaved }: { draft: Draft; onCancel: () => void; onSaved: (t: TariffOut) => void }) {
  const t = useVerText();
  const put = usePutTariff();
  const [d, setD] = useState(draft);
  const year = Number(d.year);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    put.mutate(
      {
        year,
        body: {
          appreciation_coefficient: d.appreciation.replace(",", "."),
          differentiation_coefficient: d.differentiation.replace(",", "."),
          ...(d.basis.trim() ? { legal_basis: d.basis.trim() } : {}),
        },
      },
      { onSuccess: onSaved },
    );
  };
  return (
    <form className="ver-evidence" onSubmit={submit} aria-label={t("ver.tariffs.formTitle", { year: d.year })}>
      <h2>{t("ver.tariffs.formTitle", { year: d.year })}</h2>
      <div className="ver-form">
        <label>
          {t("ver.col.year")}
          <input type="number" min={2012} max={2100} value={d.year} onChange={(e) => setD({ ...d, year: e.target.value })} required />
        </label>
        <label>
          {t("ver.col.appreciation")}
          <input inputMode="decimal" value={d.appreciation} onChange={(e) => setD({ ...d, appreciation: e.target.value })} required pattern="[0-9]+([.,][0-9]{1,4})?" />
        </label>
        <label>
          {t("ver.col.differentiation")}
          <input inputMode="decimal" value={d.differentiation} onChange={(e) => setD({ ...d, differentiation: e.target.value })} required pattern="[0-9]+([.,][0-9]{1,4})?" />
        </label>
      </div>
      <label className="ver-form">
        {t("ver.col.basis")}
        <textarea rows={3} cols={80} value={d.basis} onChange={(e) => setD({ ...d, basis: e.target.value })} maxLength={2000} />
      </label>
      {put.error && <ErrorState error={put.error} />}
      <button type="submit" disabled={put.isPending}>
        {t("ver.tariffs.save")}
      </button>{" "}
      <button type="button" onClick={onCancel}>
        {t("ver.tariffs.cancel")}
      </button>
    </form>
  );
}
