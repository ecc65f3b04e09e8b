/** /verification: the sections the user's permissions open, each with what it is for. */
import { SectionTiles } from "../../components/SectionTiles";
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
  return (
    <SectionTiles
      title={t("ver.home.title")}
      intro={t("ver.home.intro")}
      none={t("ver.home.none")}
      className="verification-tiles"
      tiles={ITEMS.map((i) => ({ ...VERIFICATION_SECTIONS[i.key], label: t(i.label), hint: t(i.hint) }))}
    />
  );
}
