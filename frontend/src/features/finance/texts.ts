/**
 * Texts of the finance home. Each area keeps its own texts beside its pages
 * (budget/, payments/, reports/, analytics/); Russian is the source of the keys.
 */
import { useCallback } from "react";
import { useI18n, type Lang } from "../../app/i18n";

export const ru = {
  "fin.home.title": "Финансовый мониторинг МО",
  "fin.home.intro": "Доходы и расходы медицинских организаций по КВФО и КОСГУ, платёжные поручения из бухгалтерии, регламентированные формы 14-Ф и 62, аналитика и отклонения.",
  "fin.home.none": "Разделов финансового мониторинга для ваших прав нет.",
  "fin.budget": "Доходы и расходы",
  "fin.budget.hint": "Ввод поступлений, выплат и кредиторской задолженности по месяцам",
  "fin.payments": "Платёжные поручения",
  "fin.payments.hint": "Загрузка выписок и платёжек из 1С, поиск, выгрузка",
  "fin.review": "Проверка классификации",
  "fin.review.hint": "Платежи, которые система отнесла к статье расходов неуверенно",
  "fin.reports": "Отчётные формы",
  "fin.reports.hint": "Формы 14-Ф и 62: заполнение, контрольные соотношения, сдача и приёмка",
  "fin.analytics": "Аналитика",
  "fin.analytics.hint": "Структура и динамика доходов и расходов, план и факт, сравнение МО",
  "fin.deviations": "Отклонения",
  "fin.deviations.hint": "Выбросы и нарушения правил расходования средств ОМС",
};

export type FinanceKey = keyof typeof ru;

const en: Record<FinanceKey, string> = {
  "fin.home.title": "MO finance monitoring",
  "fin.home.intro": "Income and expenses of medical organizations by KVFO and KOSGU, payment orders from accounting, forms 14-F and 62, analytics and deviations.",
  "fin.home.none": "No finance sections for your permissions.",
  "fin.budget": "Income and expenses",
  "fin.budget.hint": "Monthly receipts, payments and accounts payable",
  "fin.payments": "Payment orders",
  "fin.payments.hint": "Import 1C statements and payment orders, search, export",
  "fin.review": "Classification review",
  "fin.review.hint": "Payments classified with low confidence",
  "fin.reports": "Report forms",
  "fin.reports.hint": "Forms 14-F and 62: filling, control ratios, submission and acceptance",
  "fin.analytics": "Analytics",
  "fin.analytics.hint": "Structure and dynamics of income and expenses, plan vs actual, MO comparison",
  "fin.deviations": "Deviations",
  "fin.deviations.hint": "Outliers and breaches of CMI spending rules",
};

const TEXTS: Record<Lang, Record<FinanceKey, string>> = { ru, en };

export function useFinText() {
  const { lang } = useI18n();
  return useCallback((key: FinanceKey) => TEXTS[lang][key], [lang]);
}
