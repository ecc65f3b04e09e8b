/**
 * The MO passport: its card (address, head, counts) and, by section (`?tab=`), the
 * structure tree, licenses, service areas with their attached population, and equipment.
 */
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { formatDate, formatNumber } from "../../../app/format";
import { BarChart } from "../../../components/charts/charts";
import { DataTable, PagedTable, type Column } from "../../../components/DataTable";
import { useListParams } from "../../../components/listParams";
import { QueryState } from "../../../components/states";
import { Crumbs } from "../Crumbs";
import { isoDate } from "../persons/format";
import { useNsiNames } from "../persons/hooks";
import { useRegistryText, type RegistryKey } from "../texts";
import {
  useAreas,
  useEquipment,
  useLicenses,
  useMoCard,
  useMoPopulation,
  useMoTree,
  useStandards,
  type AreaRead,
  type EquipmentQuery,
  type EquipmentRead,
  type EquipmentState,
  type LicenseRead,
  type MoCard,
} from "./hooks";
import { MoTree } from "./MoTree";
import { placeNames, sumGroups } from "./tree";
import "../registry.css";

const TABS = [
  ["structure", "reg.mo.structure"],
  ["licenses", "reg.mo.licenses"],
  ["areas", "reg.mo.areas"],
  ["equipment", "reg.mo.equipment"],
] as const satisfies readonly (readonly [string, RegistryKey])[];
type Tab = (typeof TABS)[number][0];

export default function MoPage() {
  const { moId = "" } = useParams();
  const t = useRegistryText();
  const { search } = useListParams();
  const asked = search.get("tab");
  const tab: Tab = TABS.some(([k]) => k === asked) ? (asked as Tab) : "structure";
  const card = useMoCard(moId);
  return (
    <section>
      <Crumbs>
        <Link to="/registry/mo">{t("reg.mo.back")}</Link>
        <span>{card.data?.name ?? "…"}</span>
      </Crumbs>
      <QueryState query={card}>
        {(mo) => (
          <>
            <div className="page-head">
              <h1 data-testid="mo-name">{mo.name}</h1>
              <Link to={`/registry/equipment-need?mo=${mo.id}`}>{t("reg.mo.needLink")}</Link>
            </div>
            <Passport mo={mo} />
            <nav className="tabs" aria-label={t("reg.mo.sections")}>
              {TABS.map(([k, label]) => (
                <Link key={k} to={`?tab=${k}`} aria-current={tab === k ? "page" : undefined} replace>
                  {t(label)}
                </Link>
              ))}
            </nav>
            {tab === "structure" && <Structure moId={mo.id} />}
            {tab === "licenses" && <Licenses moId={mo.id} />}
            {tab === "areas" && <Areas moId={mo.id} />}
            {tab === "equipment" && <Equipment moId={mo.id} />}
          </>
        )}
      </QueryState>
    </section>
  );
}

function Passport({ mo }: { mo: MoCard }) {
  const t = useRegistryText();
  const c = mo.counts;
  return (
    <div className="card-grid">
      <dl className="detail panel" data-testid="mo-passport">
        <dt>{t("reg.mo.code")}</dt>
        <dd>{mo.code ?? "—"}</dd>
        <dt>{t("reg.mo.territory")}</dt>
        <dd>{mo.territory?.name ?? "—"}</dd>
        <dt>{t("reg.mo.address")}</dt>
        <dd>{mo.address ?? "—"}</dd>
        <dt>{t("reg.mo.head")}</dt>
        <dd>{mo.head_name ?? "—"}</dd>
        <dt>{t("reg.mo.phone")}</dt>
        <dd>{mo.phone ?? "—"}</dd>
      </dl>
      <dl className="detail panel" aria-label={t("reg.mo.counts")} data-testid="mo-counts">
        <dt>{t("reg.mo.count.branches")}</dt>
        <dd>{formatNumber(c.branches)}</dd>
        <dt>{t("reg.mo.count.departments")}</dt>
        <dd>{formatNumber(c.departments)}</dd>
        <dt>{t("reg.mo.count.rooms")}</dt>
        <dd>{formatNumber(c.rooms)}</dd>
        <dt>{t("reg.mo.count.areas")}</dt>
        <dd>{formatNumber(c.areas)}</dd>
        <dt>{t("reg.mo.count.licenses")}</dt>
        <dd>{formatNumber(c.licenses_in_force)}</dd>
        <dt>{t("reg.mo.count.equipment")}</dt>
        <dd>
          {formatNumber(c.equipment_working)} / {formatNumber(c.equipment)}
        </dd>
      </dl>
    </div>
  );
}

function useDepartmentTypes() {
  const standards = useStandards();
  return new Map((standards.data?.department_types ?? []).map((d) => [d.code, d.name]));
}

function Structure({ moId }: { moId: string }) {
  const t = useRegistryText();
  const tree = useMoTree(moId);
  const equipment = useEquipment(moId, { limit: 500 });
  const departmentTypes = useDepartmentTypes();
  return (
    <section aria-labelledby="tree-title">
      <h2 id="tree-title">{t("reg.tree.title")}</h2>
      <QueryState query={tree}>{(data) => <MoTree tree={data} equipment={equipment.data?.items ?? []} departmentTypes={departmentTypes} />}</QueryState>
    </section>
  );
}

function Licenses({ moId }: { moId: string }) {
  const t = useRegistryText();
  const licenses = useLicenses(moId);
  const profiles = useNsiNames("care_profile");
  const columns: Column<LicenseRead>[] = [
    { key: "number", header: t("reg.lic.number"), cell: (l) => <code>{l.number}</code> },
    { key: "issued", header: t("reg.lic.issued"), cell: (l) => formatDate(l.issued_on) },
    { key: "issuer", header: t("reg.lic.issuer"), cell: (l) => l.issuer ?? "—" },
    { key: "period", header: t("reg.lic.period"), cell: (l) => `${formatDate(l.valid_from)} – ${l.valid_to ? formatDate(l.valid_to) : t("reg.lic.unlimited")}` },
    {
      key: "profiles",
      header: t("reg.lic.profiles"),
      cell: (l) => (
        <ul className="chips">
          {l.care_profiles.map((p) => (
            <li key={p} className="chip" title={p}>
              {profiles.data?.get(p) ?? p}
            </li>
          ))}
        </ul>
      ),
    },
    {
      key: "inForce",
      header: t("reg.lic.inForce"),
      cell: (l) => <span className={l.in_force ? "badge badge-on" : "badge badge-off"}>{l.in_force ? t("reg.yes") : t("reg.no")}</span>,
    },
  ];
  return (
    <section aria-labelledby="licenses-title">
      <h2 id="licenses-title">{t("reg.mo.licenses")}</h2>
      <QueryState query={licenses} isEmpty={(p) => p.total === 0} empty={t("reg.lic.none")}>
        {(page) => <DataTable columns={columns} rows={page.items} rowKey={(l) => l.id} label={t("reg.mo.licenses")} />}
      </QueryState>
    </section>
  );
}

function firstOfMonth(d = new Date()): string {
  return isoDate(new Date(d.getFullYear(), d.getMonth(), 1));
}

function Areas({ moId }: { moId: string }) {
  const t = useRegistryText();
  const [on, setOn] = useState(firstOfMonth());
  const [only, setOnly] = useState<string | null>(null);
  const areas = useAreas(moId);
  const population = useMoPopulation(moId, on);
  const tree = useMoTree(moId);
  const departments = tree.data ? placeNames(tree.data).departments : new Map<string, string>();
  const totals = new Map((population.data?.areas ?? []).map((a) => [a.area_code ?? "", a.total]));
  const kindKey = (k: string) => `reg.area.kind.${k}` as RegistryKey;
  const columns: Column<AreaRead>[] = [
    { key: "code", header: t("reg.area.code"), cell: (a) => <code>{a.code}</code> },
    { key: "kind", header: t("reg.area.kind"), cell: (a) => t(kindKey(a.kind)) },
    { key: "department", header: t("reg.area.department"), cell: (a) => (a.department_id ? (departments.get(a.department_id) ?? "—") : "—") },
    { key: "population", header: t("reg.area.population"), align: "right", cell: (a) => formatNumber(totals.get(a.code) ?? 0) },
    {
      key: "groups",
      header: <span className="visually-hidden">{t("reg.area.groups")}</span>,
      cell: (a) => (
        <button type="button" aria-pressed={only === a.code} onClick={() => setOnly(only === a.code ? null : a.code)}>
          {t("reg.area.showGroups")}
          <span className="visually-hidden">: {t("reg.area.code").toLowerCase()} {a.code}</span>
        </button>
      ),
    },
  ];
  const groups = population.data ? sumGroups(population.data.areas, only) : [];
  return (
    <section aria-labelledby="areas-title">
      <h2 id="areas-title">{t("reg.mo.areas")}</h2>
      <div className="toolbar">
        <label>
          {t("reg.area.onDate")} <input type="date" value={on} onChange={(e) => setOn(e.target.value)} />
        </label>
        {population.data && <span data-testid="population-total">{t("reg.area.total", { n: formatNumber(population.data.total) })}</span>}
      </div>
      <QueryState query={areas} isEmpty={(p) => p.total === 0} empty={t("reg.area.none")}>
        {(page) => <DataTable columns={columns} rows={page.items} rowKey={(a) => a.id} label={t("reg.mo.areas")} busy={population.isFetching} />}
      </QueryState>
      {population.data && population.data.areas.length > 0 && (
        <div className="dashboard-grid">
          <BarChart
            testId="chart-area-population"
            title={t("reg.area.chart")}
            valueLabel={t("reg.area.population")}
            data={population.data.areas.map((a) => ({ label: a.area_code ?? t("reg.area.withoutArea"), value: a.total }))}
          />
          <div className="table-wrap">
            <table className="data-table age-sex" aria-label={t("reg.area.groups")} data-testid="age-sex">
              <caption>
                {t("reg.area.groups")}
                {only !== null ? ` — ${t("reg.area.code").toLowerCase()} ${only}` : ""}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t("reg.area.age")}</th>
                  <th scope="col" className="num">
                    {t("reg.area.male")}
                  </th>
                  <th scope="col" className="num">
                    {t("reg.area.female")}
                  </th>
                  <th scope="col" className="num">
                    {t("reg.area.all")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr key={g.label}>
                    <th scope="row">{g.label}</th>
                    <td className="num">{formatNumber(g.male)}</td>
                    <td className="num">{formatNumber(g.female)}</td>
                    <td className="num">{formatNumber(g.total)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </section>
  );
}

const STATES: EquipmentState[] = ["working", "under_repair", "decommissioned"];

function Equipment({ moId }: { moId: string }) {
  const t = useRegistryText();
  const { params, search, update } = useListParams({ limit: 25 });
  const state = search.get("state");
  const q = search.get("q");
  const query: EquipmentQuery = { limit: params.limit, offset: params.offset };
  if (state && (STATES as string[]).includes(state)) query.state = state as EquipmentState;
  if (q) query.q = q;
  const equipment = useEquipment(moId, query);
  const types = useNsiNames("equipment_type");
  const tree = useMoTree(moId);
  const places = tree.data ? placeNames(tree.data) : null;
  const [typed, setTyped] = useState(q ?? "");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update({ q: typed.trim() || null, offset: null });
  };
  const columns: Column<EquipmentRead>[] = [
    {
      key: "type",
      header: t("reg.eq.type"),
      cell: (e) => <Link to={`/registry/mo/${moId}/equipment/${e.id}`}>{types.data?.get(e.type_code) ?? e.type_code}</Link>,
    },
    { key: "model", header: t("reg.eq.model"), cell: (e) => `${e.manufacturer} ${e.model}` },
    { key: "serial", header: t("reg.eq.serial"), cell: (e) => <code>{e.serial_number}</code> },
    { key: "inventory", header: t("reg.eq.inventory"), cell: (e) => e.inventory_number ?? "—" },
    { key: "year", header: t("reg.eq.year"), align: "right", cell: (e) => e.manufactured_year },
    {
      key: "location",
      header: t("reg.eq.location"),
      cell: (e) =>
        [places?.departments.get(e.department_id), e.room_id ? t("reg.tree.room", { number: places?.rooms.get(e.room_id) ?? "?" }) : null]
          .filter(Boolean)
          .join(", ") || "—",
    },
    {
      key: "state",
      header: t("reg.eq.state"),
      cell: (e) => (
        <>
          <span className={`chip eq-${e.state}`} data-testid="equipment-state">
            {t(`reg.eq.state.${e.state}`)}
          </span>{" "}
          <span className="muted">{t("reg.eq.since", { date: formatDate(e.state_since) })}</span>
        </>
      ),
    },
  ];
  return (
    <section aria-labelledby="equipment-title">
      <h2 id="equipment-title">{t("reg.mo.equipment")}</h2>
      <div className="toolbar">
        <label>
          {t("reg.eq.state")}{" "}
          <select value={state ?? ""} onChange={(e) => update({ state: e.target.value || null, offset: null })}>
            <option value="">{t("reg.eq.anyState")}</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {t(`reg.eq.state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <form role="search" className="toolbar" onSubmit={submit}>
          <label>
            {t("reg.eq.search")} <input type="search" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </label>
          <button type="submit">{t("reg.search.submit")}</button>
        </form>
      </div>
      <PagedTable query={equipment} columns={columns} rowKey={(e) => e.id} params={params} update={update} label={t("reg.mo.equipment")} empty={t("reg.eq.none")} />
    </section>
  );
}
