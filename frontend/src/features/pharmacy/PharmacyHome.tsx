/** /pharmacy: the sections the user's permissions open, each with what it is for. */
import { SectionTiles } from "../../components/SectionTiles";
import { PHARMACY_SECTIONS } from "./sections";
import { usePhText, type PharmacyKey } from "./texts";

const ITEMS: { key: keyof typeof PHARMACY_SECTIONS; label: PharmacyKey; hint: PharmacyKey }[] = [
  { key: "prescriptions", label: "ph.prescriptions", hint: "ph.prescriptions.hint" },
  { key: "dispensing", label: "ph.dispensing", hint: "ph.dispensing.hint" },
  { key: "deferred", label: "ph.deferred", hint: "ph.deferred.hint" },
  { key: "stock", label: "ph.stock", hint: "ph.stock.hint" },
  { key: "beneficiaries", label: "ph.beneficiaries", hint: "ph.beneficiaries.hint" },
  { key: "control", label: "ph.control", hint: "ph.control.hint" },
  { key: "marking", label: "ph.marking", hint: "ph.marking.hint" },
];

export default function PharmacyHome() {
  const t = usePhText();
  return (
    <SectionTiles
      title={t("ph.home.title")}
      intro={t("ph.home.intro")}
      none={t("ph.home.none")}
      className="pharmacy-tiles"
      tiles={ITEMS.map((i) => ({ ...PHARMACY_SECTIONS[i.key], label: t(i.label), hint: t(i.hint) }))}
    />
  );
}
