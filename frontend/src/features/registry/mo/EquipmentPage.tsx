/** One unit of equipment: its details, state history, monthly use against the norm, inventory counts. */
import { Link, useParams } from "react-router-dom";
import { formatDate, formatDateTime, formatNumber } from "../../../app/format";
import { BarChart } from "../../../components/charts/charts";
import { QueryState } from "../../../components/states";
import { Crumbs } from "../Crumbs";
import { useNsiNames } from "../persons/hooks";
import { useRegistryText } from "../texts";
import { useEquipmentCard, useMoCard } from "./hooks";
import "../registry.css";

export default function EquipmentPage() {
  const { moId = "", equipmentId = "" } = useParams();
  const t = useRegistryText();
  const card = useEquipmentCard(equipmentId);
  const mo = useMoCard(moId);
  const types = useNsiNames("equipment_type");
  return (
    <section>
      <Crumbs>
        <Link to="/registry/mo">{t("reg.mo.back")}</Link>
        <Link to={`/registry/mo/${moId}?tab=equipment`}>{mo.data?.name ?? "…"}</Link>
        <span>{card.data?.model ?? "…"}</span>
      </Crumbs>
      <QueryState query={card}>
        {(e) => {
          const name = e.type_name ?? types.data?.get(e.type_code) ?? e.type_code;
          return (
            <>
              <h1>{t("reg.eq.card", { name: `${name}, ${e.model}` })}</h1>
              <dl className="detail panel">
                <dt>{t("reg.eq.type")}</dt>
                <dd>
                  {name} <code>{e.type_code}</code>
                </dd>
                <dt>{t("reg.eq.manufacturer")}</dt>
                <dd>{e.manufacturer}</dd>
                <dt>{t("reg.eq.serial")}</dt>
                <dd>{e.serial_number}</dd>
                <dt>{t("reg.eq.inventory")}</dt>
                <dd>{e.inventory_number ?? "—"}</dd>
                <dt>{t("reg.eq.year")}</dt>
                <dd>{e.manufactured_year}</dd>
                <dt>{t("reg.eq.commissioned")}</dt>
                <dd>{formatDate(e.commissioned_on)}</dd>
                <dt>{t("reg.eq.norm")}</dt>
                <dd>{e.norm_hours_month ?? "—"}</dd>
                <dt>{t("reg.eq.state")}</dt>
                <dd>
                  <span className={`chip eq-${e.state}`}>{t(`reg.eq.state.${e.state}`)}</span> {t("reg.eq.since", { date: formatDate(e.state_since) })}
                </dd>
              </dl>
              <h2>{t("reg.eq.states")}</h2>
              <div className="table-wrap">
                <table className="data-table" aria-label={t("reg.eq.states")}>
                  <thead>
                    <tr>
                      <th scope="col">{t("reg.eq.state")}</th>
                      <th scope="col">{t("reg.eq.countedOn")}</th>
                      <th scope="col">{t("reg.history.reason")}</th>
                      <th scope="col">{t("reg.eq.recorded")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {e.states.map((s, i) => (
                      <tr key={i}>
                        <td>
                          <span className={`chip eq-${s.state}`}>{t(`reg.eq.state.${s.state}`)}</span>
                        </td>
                        <td>{formatDate(s.since)}</td>
                        <td>{s.reason ?? "—"}</td>
                        <td>
                          {formatDateTime(s.recorded_at)} ({s.recorded_by})
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h2>{t("reg.eq.usage")}</h2>
              {e.usage.length === 0 ? (
                <p className="muted">{t("reg.eq.noUsage")}</p>
              ) : (
                <div className="dashboard-grid">
                  <BarChart
                    testId="chart-equipment-usage"
                    title={t("reg.eq.usageChart")}
                    valueLabel={t("reg.eq.utilization")}
                    data={e.usage.map((u) => ({ label: formatDate(u.month).slice(3), value: u.utilization_percent ?? 0 }))}
                    format={(v) => `${formatNumber(v, 1)} %`}
                  />
                  <div className="table-wrap">
                    <table className="data-table" aria-label={t("reg.eq.usage")}>
                      <thead>
                        <tr>
                          <th scope="col">{t("reg.eq.month")}</th>
                          <th scope="col" className="num">
                            {t("reg.eq.hours")}
                          </th>
                          <th scope="col" className="num">
                            {t("reg.eq.utilization")}
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {e.usage.map((u) => (
                          <tr key={u.month}>
                            <td>{formatDate(u.month).slice(3)}</td>
                            <td className="num">{formatNumber(u.hours_used, 1)}</td>
                            <td className="num">{u.utilization_percent == null ? "—" : formatNumber(u.utilization_percent, 1)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </div>
              )}
              <h2>{t("reg.eq.inventories")}</h2>
              {e.inventory.length === 0 ? (
                <p className="muted">{t("reg.eq.noInventory")}</p>
              ) : (
                <div className="table-wrap">
                  <table className="data-table" aria-label={t("reg.eq.inventories")}>
                    <thead>
                      <tr>
                        <th scope="col">{t("reg.eq.countedOn")}</th>
                        <th scope="col">{t("reg.eq.inventory")}</th>
                        <th scope="col">{t("reg.eq.result")}</th>
                        <th scope="col">{t("reg.eq.note")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {e.inventory.map((r) => (
                        <tr key={r.id}>
                          <td>{formatDate(r.counted_on)}</td>
                          <td>{r.inventory_number}</td>
                          <td>{t(`reg.eq.result.${r.result}`)}</td>
                          <td>{r.note ?? "—"}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </>
          );
        }}
      </QueryState>
    </section>
  );
}
