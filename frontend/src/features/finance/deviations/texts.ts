/** Texts of the deviation list. Russian is the source of the keys; English has them all. */
import { useCallback } from "react";
import { useI18n, type Lang } from "../../../app/i18n";

export const ru = {
  "fd.title": "Отклонения",
  "fd.intro": "Выбросы месяц к месяцу (статья МО против её собственных предыдущих месяцев), выбросы среди сопоставимых МО (на койку, на прикреплённого) и нарушения правил: расходы средств ОМС на недопустимые статьи, основные средства дороже 100 тыс. ₽, доля оплаты труда выше порога, рост кредиторской задолженности.",
  "fd.mo": "МО",
  "fd.allMos": "Все доступные МО",
  "fd.month": "Месяц",
  "fd.kind": "Вид",
  "fd.status": "Состояние",
  "fd.any": "Все",
  "fd.kind.month_on_month": "Месяц к месяцу",
  "fd.kind.peer_group": "Среди сопоставимых МО",
  "fd.kind.rule": "Нарушение правила",
  "fd.status.new": "Новое",
  "fd.status.acknowledged": "Рассмотрено",
  "fd.col.month": "Месяц",
  "fd.col.mo": "МО",
  "fd.col.kind": "Вид",
  "fd.col.metric": "Показатель",
  "fd.col.value": "Значение",
  "fd.col.expected": "Ожидалось",
  "fd.col.score": "z",
  "fd.col.explanation": "Пояснение",
  "fd.col.status": "Состояние",
  "fd.ack": "Рассмотрено",
  "fd.ack.title": "Отметить отклонение рассмотренным",
  "fd.ack.comment": "Комментарий (что выяснено, что сделано)",
  "fd.ack.save": "Отметить",
  "fd.ack.cancel": "Отмена",
  "fd.ack.by": "{by}, {at}",
  "fd.search": "Запустить поиск отклонений",
  "fd.search.hint": "Поиск идёт по всем МО региона; повторный поиск не создаёт дублей.",
  "fd.new": "Новых отклонений",
  "fd.none": "Отклонений не найдено.",
  "fd.consolidatedOnly": "Отклонения по отдельным МО вам недоступны: только сводные данные по региону.",
  "fd.analytics": "← Аналитика",
};

export type DeviationKey = keyof typeof ru;

const en: Record<DeviationKey, string> = {
  "fd.title": "Deviations",
  "fd.intro": "Month-on-month outliers (an MO's item against its own previous months), outliers among comparable MOs (per bed, per attached person) and broken rules: CMI funds on items not allowed, fixed assets over 100k ₽, wages share above the threshold, growing payables.",
  "fd.mo": "MO",
  "fd.allMos": "All MOs available",
  "fd.month": "Month",
  "fd.kind": "Kind",
  "fd.status": "Status",
  "fd.any": "All",
  "fd.kind.month_on_month": "Month on month",
  "fd.kind.peer_group": "Among comparable MOs",
  "fd.kind.rule": "Broken rule",
  "fd.status.new": "New",
  "fd.status.acknowledged": "Acknowledged",
  "fd.col.month": "Month",
  "fd.col.mo": "MO",
  "fd.col.kind": "Kind",
  "fd.col.metric": "Metric",
  "fd.col.value": "Value",
  "fd.col.expected": "Expected",
  "fd.col.score": "z",
  "fd.col.explanation": "Explanation",
  "fd.col.status": "Status",
  "fd.ack": "Acknowledge",
  "fd.ack.title": "Acknowledge the deviation",
  "fd.ack.comment": "Comment (what was found, what was done)",
  "fd.ack.save": "Acknowledge",
  "fd.ack.cancel": "Cancel",
  "fd.ack.by": "{by}, {at}",
  "fd.search": "Run the deviation search",
  "fd.search.hint": "The search covers every MO of the region; running it again creates no duplicates.",
  "fd.new": "New deviations",
  "fd.none": "No deviations found.",
  "fd.consolidatedOnly": "Deviations of single MOs are not available to you: only the region's consolidated figures.",
  "fd.analytics": "← Analytics",
};

const TEXTS: Record<Lang, Record<DeviationKey, string>> = { ru, en };

export function deviationText(lang: Lang, key: DeviationKey, params?: Record<string, string | number>): string {
  const text = TEXTS[lang][key] ?? ru[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type DeviationText = (key: DeviationKey, params?: Record<string, string | number>) => string;

export function useDeviationText(): DeviationText {
  const { lang } = useI18n();
  return useCallback((key: DeviationKey, params?: Record<string, string | number>) => deviationText(lang, key, params), [lang]);
}
