/** /verification: the sections the user's permissions open, each with what it is for. */
import { Link } from "react-router-dom";
import { useMe } from "../../app/auth";
import { VERIFICATION_SECTIONS } from "./sections";
import { useVerText, type VerificationKey } from "./texts";
import "./verification.css";

const ITEMS: { key: keyof typeof VERIFICATION_SECTIONS; label: VerificationKey; hint: VerificationKey }[] = [
  { key: "runs", label: "ver.runs", hint: "ver.runs.hint" },
  { key: "start", label: "ver.start", hint: "ver.start.hint" },
  { key: "sources", label: "ver.sources", hint: "ver.sources.hint" },
  { key: "tariffs", label: "ver.tariffs", hint: "ver.tariffs.hint" },
];

export default function VerificationHome() {
  const t = useVerText();
  const me = useMe();
  const items = ITEMS.filter((i) => VERIFICATION_SECTIONS[i.key].anyOf.some((p) => me.permissions.includes(p)));
  return (
    <section>
      <h1>{t("ver.home.title")}</h1>
      {items.length === 0 ? (
        <p className="muted">{t("ver.home.none")}</p>
      ) : (
        <>
          <p className="muted">{t("ver.home.intro")}</p>
          <ul className="tiles verification-tiles">
            {items.map((i) => (
              <li key={i.key}>
                <Link to={VERIFICATION_SECTIONS[i.key].to} className="tile">
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
