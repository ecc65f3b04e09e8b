import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { en, ru, type MessageKey } from "./messages";

export type Lang = "ru" | "en";
const dictionaries: Record<Lang, Record<MessageKey, string>> = { ru, en };

/** `translate("ru", "admin.apiKeys.revokeConfirm", { name: "МИС" })` */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? ru[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** A label from a code → {ru, en} table, or the code itself when it is unknown. */
export function label(lang: Lang, table: Record<string, { ru: string; en: string }>, code: string): string {
  return table[code]?.[lang] ?? code;
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, initial = "ru" }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(initial);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    document.documentElement.lang = next;
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, params) => translate(lang, key, params) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error("useI18n outside I18nProvider");
  return value;
}
