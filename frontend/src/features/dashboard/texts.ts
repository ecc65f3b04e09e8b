/**
 * The dashboards' own texts (ru is the source, en must have each). They live with the
 * feature rather than in app/messages.ts so that the dashboard chunk carries them; the
 * shared ones (titles, «Количество») stay in app/messages.ts.
 */
import { useCallback } from "react";
import { useI18n, type Lang } from "../../app/i18n";

const TEXTS = {
  "signIns.title": { ru: "Входы в систему за {days} дн.", en: "Sign-ins, last {days} days" },
  "signIns.successful": { ru: "Успешные", en: "Successful" },
  "signIns.failed": { ru: "Отказы", en: "Refused" },
  "signIns.summary": {
    ru: "{title}: успешных {successful}, отказов {failed}; больше всего — {peak} ({peakDate})",
    en: "{title}: {successful} successful, {failed} refused; most on {peakDate} ({peak})",
  },
  "signIns.heatTitle": { ru: "Успешные входы по дням недели и часам", en: "Successful sign-ins by weekday and hour" },
  "signIns.heatSummary": {
    ru: "{title}: чаще всего — {weekday}, {hour}:00 ({count})",
    en: "{title}: busiest — {weekday}, {hour}:00 ({count})",
  },
  "signIns.none": { ru: "За период входов не было.", en: "No sign-ins in the period." },
  "kpi.signIns": { ru: "Входов за {days} дн.", en: "Sign-ins, {days} days" },
  "kpi.failedHint": { ru: "отказов: {failed}", en: "refused: {failed}" },
  "region.title": { ru: "Регион: организации и справочники", en: "Region: organizations and reference data" },
  "region.subtitle": {
    ru: "Организации региона в шлюзе и в справочниках сервисов, справочники НСИ",
    en: "The region's organizations in the gateway and in the services' directories, NSI dictionaries",
  },
  "region.mo": { ru: "Медицинские организации", en: "Medical organizations" },
  "region.pharmacies": { ru: "Аптеки", en: "Pharmacies" },
  "region.insurers": { ru: "Страховые медицинские организации", en: "Insurers" },
  "region.organizations": { ru: "Организаций всего", en: "Organizations in all" },
  "region.nsi": { ru: "Справочников НСИ", en: "NSI dictionaries" },
  "region.icd10": { ru: "МКБ-10: действующая версия", en: "ICD-10: version in force" },
  "region.icd10Since": { ru: "действует с {date}", en: "in force since {date}" },
  "region.icd10None": { ru: "не загружена", en: "not loaded" },
  "region.directories": { ru: "Организации в справочниках сервисов", en: "Organizations in the services' directories" },
  "region.service.gateway": { ru: "Шлюз (реестр организаций)", en: "Gateway (the register)" },
  "region.service.registry": { ru: "Регистр и профиль", en: "Registry and profile" },
  "region.service.finance": { ru: "Финансовый мониторинг", en: "Finance monitoring" },
  "region.service.pharmacy": { ru: "Лекарственное обеспечение", en: "Drug supply" },
  "region.service.verification": { ru: "Верификация неработающих", en: "Non-working verification" },
  "region.directoriesHint": {
    ru: "Сервисы получают организации событиями шлюза; одинаковые столбцы — копии совпадают.",
    en: "The services get organizations from the gateway's events; equal bars mean the copies agree.",
  },
  "weekdays": { ru: "Пн,Вт,Ср,Чт,Пт,Сб,Вс", en: "Mon,Tue,Wed,Thu,Fri,Sat,Sun" },
} satisfies Record<string, { ru: string; en: string }>;

export type DashboardTextKey = keyof typeof TEXTS;
export const DASHBOARD_TEXTS: Record<DashboardTextKey, { ru: string; en: string }> = TEXTS;

export function dashboardText(lang: Lang, key: DashboardTextKey, params?: Record<string, string | number>): string {
  const text = TEXTS[key][lang] ?? TEXTS[key].ru;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Monday first, as the API's weekday × hour matrix. */
export function weekdayNames(lang: Lang): string[] {
  return dashboardText(lang, "weekdays").split(",");
}

export function useDashboardText() {
  const { lang } = useI18n();
  return useCallback(
    (key: DashboardTextKey, params?: Record<string, string | number>) => dashboardText(lang, key, params),
    [lang],
  );
}
