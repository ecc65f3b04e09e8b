/** /finance: the sections the user's permissions open, each with what it is for. */
import { SectionTiles } from "../../components/SectionTiles";
import { FINANCE_SECTIONS } from "./sections";
import { useFinText, type FinanceKey } from "./texts";

const ITEMS: { key: keyof typeof FINANCE_SECTIONS; label: FinanceKey; hint: FinanceKey }[] = [
  { key: "budget", label: "fin.budget", hint: "fin.budget.hint" },
  { key: "payments", label: "fin.payments", hint: "fin.payments.hint" },
  { key: "review", label: "fin.review", hint: "fin.review.hint" },
  { key: "reports", label: "fin.reports", hint: "fin.reports.hint" },
  { key: "analytics", label: "fin.analytics", hint: "fin.analytics.hint" },
  { key: "deviations", label: "fin.deviations", hint: "fin.deviations.hint" },
];

export default function FinanceHome() {
  const t = useFinText();
  return (
    <SectionTiles
      title={t("fin.home.title")}
      intro={t("fin.home.intro")}
      none={t("fin.home.none")}
      className="finance-tiles"
      tiles={ITEMS.map((i) => ({ ...FINANCE_SECTIONS[i.key], label: t(i.label), hint: t(i.hint) }))}
    />
  );
}
