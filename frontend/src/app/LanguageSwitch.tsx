import { useI18n, type Lang } from "./i18n";

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <select aria-label={t("app.language")} className="lang" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
      <option value="ru">RU</option>
      <option value="en">EN</option>
    </select>
  );
}
