/**
 * The MO's structure as a tree of disclosure widgets (native <details>, keyboard and screen
 * reader friendly): MO → main site and branches → departments → rooms, with the equipment
 * placed in each room (or in the department without a room) and its state.
 */
import { useState } from "react";
import { Link } from "react-router-dom";
import { formatNumber } from "../../../app/format";
import { useRegistryText } from "../texts";
import { useNsiNames } from "../persons/hooks";
import { type DepartmentNode, type EquipmentRead, type MoTree as Tree } from "./hooks";
import { equipmentByPlace, treeCounts } from "./tree";

export function MoTree({
  tree,
  equipment,
  departmentTypes,
}: {
  tree: Tree;
  equipment: readonly EquipmentRead[];
  departmentTypes: Map<string, string>;
}) {
  const t = useRegistryText();
  const [generation, setGeneration] = useState(0);
  const [expanded, setExpanded] = useState(false);
  const types = useNsiNames("equipment_type");
  const placed = equipmentByPlace(equipment);
  const counts = treeCounts(tree);
  const toggleAll = (open: boolean) => {
    setExpanded(open);
    setGeneration((g) => g + 1);
  };

  const equipmentList = (items: readonly EquipmentRead[] | undefined) =>
    items && items.length > 0 ? (
      <ul className="tree-equipment">
        {items.map((e) => (
          <li key={e.id}>
            <Link to={`/registry/mo/${e.mo_id}/equipment/${e.id}`}>
              {types.data?.get(e.type_code) ?? e.type_code}: {e.model}
            </Link>{" "}
            <span className={`chip eq-${e.state}`}>{t(`reg.eq.state.${e.state}`)}</span>
          </li>
        ))}
      </ul>
    ) : null;

  const department = (d: DepartmentNode) => (
    <li key={d.id}>
      <details open={expanded} data-testid="tree-department">
        <summary>
          <span className="tree-name">{d.name}</span>{" "}
          <span className="muted">
            {departmentTypes.get(d.department_type) ?? d.department_type}
            {d.beds != null ? ` · ${t("reg.tree.beds", { beds: d.beds })}` : ""} · {t("reg.tree.rooms", { n: d.rooms.length })}
          </span>
        </summary>
        {equipmentList(placed.get(`dept:${d.id}`))}
        {d.rooms.length === 0 ? (
          <p className="muted tree-empty">{t("reg.tree.noRooms")}</p>
        ) : (
          <ul>
            {d.rooms.map((r) => (
              <li key={r.id} data-testid="tree-room">
                <span className="tree-name">{t("reg.tree.room", { number: r.number })}</span> — {r.name}
                <span className="muted">
                  {r.floor != null ? ` · ${t("reg.tree.floor", { floor: r.floor })}` : ""}
                  {r.area_m2 != null ? ` · ${formatNumber(r.area_m2, 1)} м²` : ""}
                </span>
                {equipmentList(placed.get(`room:${r.id}`))}
              </li>
            ))}
          </ul>
        )}
      </details>
    </li>
  );

  return (
    <div className="mo-tree" data-testid="mo-tree">
      <div className="toolbar">
        <button type="button" onClick={() => toggleAll(true)}>
          {t("reg.tree.expand")}
        </button>
        <button type="button" onClick={() => toggleAll(false)}>
          {t("reg.tree.collapse")}
        </button>
      </div>
      {counts.departments === 0 && counts.branches === 0 ? (
        <p className="state state-empty">{t("reg.tree.empty")}</p>
      ) : (
        <ul className="tree" key={generation}>
          <li>
            <details open>
              <summary>
                <strong className="tree-name">{tree.mo.name}</strong>{" "}
                <span className="muted">{t("reg.tree.departments", { n: counts.departments })}</span>
              </summary>
              <ul>
                {tree.departments.length > 0 && (
                  <li>
                    <details open={expanded || tree.branches.length === 0} data-testid="tree-branch">
                      <summary>
                        <span className="tree-name">{t("reg.tree.main")}</span>{" "}
                        <span className="muted">{t("reg.tree.departments", { n: tree.departments.length })}</span>
                      </summary>
                      <ul>{tree.departments.map(department)}</ul>
                    </details>
                  </li>
                )}
                {tree.branches.map((b) => (
                  <li key={b.id}>
                    <details open={expanded} data-testid="tree-branch">
                      <summary>
                        <span className="tree-name">
                          {t(`reg.branch.${b.kind}`)}: {b.name}
                        </span>{" "}
                        <span className="muted">
                          {b.address ? `${b.address} · ` : ""}
                          {t("reg.tree.departments", { n: b.departments.length })}
                        </span>
                      </summary>
                      {b.departments.length > 0 && <ul>{b.departments.map(department)}</ul>}
                    </details>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        </ul>
      )}
    </div>
  );
}
