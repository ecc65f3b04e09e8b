/** Texts of the classification review. Russian is the source of the keys; English has them all. */
import { useCallback } from "react";
import { useI18n, type Lang } from "../../../app/i18n";

export const ru = {
  "fr.title": "Проверка классификации платежей",
  "fr.intro":
    "Платёжные поручения, которые правила и модель отнесли к КВФО и КОСГУ с уверенностью ниже порога ({threshold} %). Подтвердите предложение или исправьте его: исправления войдут в следующее обучение модели.",
  "fr.payments": "← Платёжные поручения",
  "fr.mo": "МО",
  "fr.allMos": "Все доступные МО",
  "fr.order": "Порядок",
  "fr.order.confidence": "Наименее уверенные первыми",
  "fr.order.amount": "Крупные первыми",
  "fr.total": "На проверке",
  "fr.totalAmount": "На сумму",
  "fr.none": "Платежей на проверке нет: все классифицированы уверенно или подтверждены.",
  "fr.col.select": "Выбрать",
  "fr.col.date": "Дата",
  "fr.col.payee": "Получатель / плательщик",
  "fr.col.purpose": "Назначение платежа",
  "fr.col.amount": "Сумма",
  "fr.col.suggested": "Предложено",
  "fr.col.confidence": "Уверенность",
  "fr.col.alternatives": "Другие варианты",
  "fr.col.action": "Решение",
  "fr.in": "поступление",
  "fr.by.rule": "правило",
  "fr.by.model": "модель",
  "fr.unknown": "не определено",
  "fr.selectAll": "Выбрать все на странице",
  "fr.confirm": "Подтвердить",
  "fr.correct": "Исправить",
  "fr.bulk": "Подтвердить выбранные ({count})",
  "fr.bulk.title": "Подтвердить предложенную классификацию {count} платежей?",
  "fr.bulk.body": "Будут подтверждены предложенные КВФО и КОСГУ выбранных платежей.",
  "fr.bulk.done": "Подтверждено платежей: {count}",
  "fr.dialog.title": "Классификация платежа № {number} от {date}",
  "fr.dialog.kvfo": "КВФО",
  "fr.dialog.kosgu": "КОСГУ",
  "fr.dialog.save": "Сохранить",
  "fr.dialog.suggested": "Предложено: {value}",
  "fr.dialog.pick": "Выберите вариант модели или укажите код вручную",
  "fr.dialog.conflict": "Платёж за это время решил другой пользователь — список обновлён.",
  "fr.history": "История решений",
  "fr.history.row": "{at}, {by}: {old} → {new}",
  "fr.history.confirm": "подтверждено",
  "fr.history.correct": "исправлено",
  "fr.model": "Модель классификации",
  "fr.model.none": "Модель ещё не обучена: платежи классифицируются только правилами.",
  "fr.model.trained": "Обучена {at} на {samples} платежах (отложено для оценки {held})",
  "fr.model.f1Pair": "Macro-F1 (КВФО + КОСГУ)",
  "fr.model.f1Kosgu": "Macro-F1 КОСГУ",
  "fr.model.f1Kvfo": "Macro-F1 КВФО",
  "fr.model.decisions": "Решений после обучения",
  "fr.model.perClass": "F1 по статьям КОСГУ на отложенной выборке",
  "fr.model.train": "Обучить заново",
  "fr.model.trainHint": "Обучение на подтверждённых платежах всех МО; затем неподтверждённые платежи будут переклассифицированы.",
  "fr.consolidatedOnly": "Платежи отдельных МО вам недоступны: только сводные данные по региону.",
};

export type ReviewKey = keyof typeof ru;

const en: Record<ReviewKey, string> = {
  "fr.title": "Payment classification review",
  "fr.intro":
    "Payment orders the rules and the model put to a КВФО and КОСГУ with a confidence below the threshold ({threshold} %). Confirm the suggestion or correct it: corrections go into the model's next training.",
  "fr.payments": "← Payment orders",
  "fr.mo": "MO",
  "fr.allMos": "All MOs available",
  "fr.order": "Order",
  "fr.order.confidence": "Least sure first",
  "fr.order.amount": "Largest first",
  "fr.total": "To review",
  "fr.totalAmount": "Amount",
  "fr.none": "Nothing to review: every payment is classified with confidence or confirmed.",
  "fr.col.select": "Select",
  "fr.col.date": "Date",
  "fr.col.payee": "Payee / payer",
  "fr.col.purpose": "Purpose",
  "fr.col.amount": "Amount",
  "fr.col.suggested": "Suggested",
  "fr.col.confidence": "Confidence",
  "fr.col.alternatives": "Alternatives",
  "fr.col.action": "Decision",
  "fr.in": "income",
  "fr.by.rule": "rule",
  "fr.by.model": "model",
  "fr.unknown": "unknown",
  "fr.selectAll": "Select all on the page",
  "fr.confirm": "Confirm",
  "fr.correct": "Correct",
  "fr.bulk": "Confirm selected ({count})",
  "fr.bulk.title": "Confirm the suggested classification of {count} payments?",
  "fr.bulk.body": "The suggested КВФО and КОСГУ of the selected payments will be confirmed.",
  "fr.bulk.done": "Payments confirmed: {count}",
  "fr.dialog.title": "Classification of payment No. {number} of {date}",
  "fr.dialog.kvfo": "КВФО",
  "fr.dialog.kosgu": "КОСГУ",
  "fr.dialog.save": "Save",
  "fr.dialog.suggested": "Suggested: {value}",
  "fr.dialog.pick": "Pick one of the model's alternatives or set the code yourself",
  "fr.dialog.conflict": "Someone else decided this payment meanwhile — the list is refreshed.",
  "fr.history": "Decisions",
  "fr.history.row": "{at}, {by}: {old} → {new}",
  "fr.history.confirm": "confirmed",
  "fr.history.correct": "corrected",
  "fr.model": "Classification model",
  "fr.model.none": "No model trained yet: payments are classified by the rules only.",
  "fr.model.trained": "Trained {at} on {samples} payments ({held} held out for evaluation)",
  "fr.model.f1Pair": "Macro-F1 (КВФО + КОСГУ)",
  "fr.model.f1Kosgu": "Macro-F1 КОСГУ",
  "fr.model.f1Kvfo": "Macro-F1 КВФО",
  "fr.model.decisions": "Decisions since training",
  "fr.model.perClass": "F1 per КОСГУ item on the held-out payments",
  "fr.model.train": "Train again",
  "fr.model.trainHint": "Trains on the confirmed payments of every MO; then the unconfirmed payments are reclassified.",
  "fr.consolidatedOnly": "Payments of single MOs are not available to you: only the region's consolidated figures.",
};

const TEXTS: Record<Lang, Record<ReviewKey, string>> = { ru, en };

export function reviewText(lang: Lang, key: ReviewKey, params?: Record<string, string | number>): string {
  const text = TEXTS[lang][key] ?? ru[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export type ReviewText = (key: ReviewKey, params?: Record<string, string | number>) => string;

export function useReviewText(): ReviewText {
  const { lang } = useI18n();
  return useCallback((key: ReviewKey, params?: Record<string, string | number>) => reviewText(lang, key, params), [lang]);
}
