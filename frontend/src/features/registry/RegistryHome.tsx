/** /registry: the register's sections the user's permissions open, each with what it is for. */
import { Link } from "react-router-dom";
import { useMe } from "../../app/auth";
import { REGISTRY_SECTIONS } from "./sections";
import { useRegistryText, type RegistryKey } from "./texts";
import "./registry.css";

const ITEMS: { key: keyof typeof REGISTRY_SECTIONS; label: RegistryKey; hint: RegistryKey }[] = [
  { key: "persons", label: "reg.persons", hint: "reg.persons.hint" },
  { key: "duplicates", label: "reg.duplicates", hint: "reg.duplicates.hint" },
  { key: "mos", label: "reg.mos", hint: "reg.mos.hint" },
  { key: "need", label: "reg.need", hint: "reg.need.hint" },
];

export default function RegistryHome() {
  const t = useRegistryText();
  const me = useMe();
  const items = ITEMS.filter((i) => REGISTRY_SECTIONS[i.key].anyOf.some((p) => me.permissions.includes(p)));
  return (
    <section>
      <h1>{t("reg.home.title")}</h1>
      {items.length === 0 ? (
        <p className="muted">{t("reg.home.none")}</p>
      ) : (
        <>
          <p className="muted">{t("reg.home.intro")}</p>
          <ul className="tiles registry-tiles">
            {items.map((i) => (
              <li key={i.key}>
                <Link to={REGISTRY_SECTIONS[i.key].to} className="tile">
                  <strong>{t(i.label)}</strong>
                  <span className="muted">{t(i.hint)}</span>
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
