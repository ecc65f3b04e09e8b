/**
 * Texts of the pharmacy home. Each area keeps its own texts beside its pages
 * (prescriptions/, dispensing/, stock/, beneficiaries/, control/); Russian is the source of the keys.
 */
import { useCallback } from "react";
import { useI18n, type Lang } from "../../app/i18n";

export const ru = {
  "ph.home.title": "Льготное лекарственное обеспечение",
  "ph.home.intro": "Льготники и их право на лекарства, рецепты врачей, отпуск в аптеках с маркировкой, отсроченное обслуживание, остатки аптек и медико-экономический контроль.",
  "ph.home.none": "Разделов льготного лекарственного обеспечения для ваших прав нет.",
  "ph.prescriptions": "Рецепты",
  "ph.prescriptions.hint": "Выписка льготных рецептов 148-1/у-04(л) и 148-1/у-06(л), поиск, печать",
  "ph.dispensing": "Отпуск по рецепту",
  "ph.dispensing.hint": "Сканирование кодов маркировки и отпуск льготнику",
  "ph.deferred": "Отсроченное обслуживание",
  "ph.deferred.hint": "Рецепты на отсроченном обслуживании, сроки и просрочки",
  "ph.stock": "Остатки",
  "ph.stock.hint": "Остатки аптек по сериям и срокам годности, поступления, списания, инвентаризация, карточка товара",
  "ph.beneficiaries": "Льготники",
  "ph.beneficiaries.hint": "Регистр льготников, право на лекарственное обеспечение, история льгот",
  "ph.control": "Медико-экономический контроль",
  "ph.control.hint": "Реестры отпущенных рецептов, проверки и акты экспертизы",
  "ph.marking": "Маркировка",
  "ph.marking.hint": "Сведения о выбытии в систему мониторинга движения лекарственных препаратов",
};

export type PharmacyKey = keyof typeof ru;

const en: Record<PharmacyKey, string> = {
  "ph.home.title": "Preferential drug supply",
  "ph.home.intro": "Beneficiaries and their entitlement, doctors' prescriptions, dispensing with marking codes, deferred service, pharmacy stock and medico-economic control.",
  "ph.home.none": "No pharmacy sections for your permissions.",
  "ph.prescriptions": "Prescriptions",
  "ph.prescriptions.hint": "Issue benefit prescriptions 148-1/u-04(l) and 148-1/u-06(l), search, print",
  "ph.dispensing": "Dispensing",
  "ph.dispensing.hint": "Scan marking codes and dispense to the beneficiary",
  "ph.deferred": "Deferred service",
  "ph.deferred.hint": "Prescriptions on deferred service, deadlines and overdue ones",
  "ph.stock": "Stock",
  "ph.stock.hint": "Pharmacy stock by series and expiry, receipts, write-offs, inventory, stock card",
  "ph.beneficiaries": "Beneficiaries",
  "ph.beneficiaries.hint": "Register of beneficiaries, entitlement, benefit history",
  "ph.control": "Medico-economic control",
  "ph.control.hint": "Registers of dispensed prescriptions, checks and expertise acts",
  "ph.marking": "Marking",
  "ph.marking.hint": "Disposal reports to the national track-and-trace system",
};

const TEXTS: Record<Lang, Record<PharmacyKey, string>> = { ru, en };

export function usePhText() {
  const { lang } = useI18n();
  return useCallback((key: PharmacyKey) => TEXTS[lang][key], [lang]);
}
