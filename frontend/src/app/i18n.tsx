import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
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

const LANG_KEY = "oms.lang"; // only the language is kept in storage, never a token

function storedLang(): Lang | null {
  try {
    const value = globalThis.localStorage?.getItem(LANG_KEY);
    return value === "ru" || value === "en" ? value : null;
  } catch {
    return null;
  }
}

export function I18nProvider({ children, initial }: { children: ReactNode; initial?: Lang }) {
  const [lang, setLangState] = useState<Lang>(() => initial ?? storedLang() ?? "ru");
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      // storage may be disabled; the choice then lasts until reload
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
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
