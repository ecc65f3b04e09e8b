/** /registry: the register's sections the user's permissions (and audience) open, each with what it is for. */
import { SectionTiles } from "../../components/SectionTiles";
import { REGISTRY_SECTIONS } from "./sections";
import { useRegistryText, type RegistryKey } from "./texts";
import "./registry.css";

const ITEMS: { key: keyof typeof REGISTRY_SECTIONS; label: RegistryKey; hint: RegistryKey }[] = [
  { key: "persons", label: "reg.persons", hint: "reg.persons.hint" },
  { key: "myCard", label: "reg.myCard", hint: "reg.myCard.hint" },
  { key: "duplicates", label: "reg.duplicates", hint: "reg.duplicates.hint" },
  { key: "mos", label: "reg.mos", hint: "reg.mos.hint" },
  { key: "need", label: "reg.need", hint: "reg.need.hint" },
];

export default function RegistryHome() {
  const t = useRegistryText();
  return (
    <SectionTiles
      title={t("reg.home.title")}
      intro={t("reg.home.intro")}
      none={t("reg.home.none")}
      className="registry-tiles"
      tiles={ITEMS.map((i) => ({ ...REGISTRY_SECTIONS[i.key], label: t(i.label), hint: t(i.hint) }))}
    />
  );
}
