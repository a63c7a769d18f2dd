import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { setDisplayLang } from '../lib/time.js';

// Interface language: simplified Chinese by default, English by switch (kept in localStorage).
// Each screen defines its own messages with defineMessages(zh, en): the English table must have
// exactly the Chinese table's keys, so a missing translation is a type error.

export type Lang = 'zh' | 'en';
export type Messages<K extends string> = { zh: Record<K, string>; en: Record<K, string> };
export type Params = Record<string, string | number>;
export type T<K extends string> = (key: K, params?: Params) => string;

export function defineMessages<K extends string>(zh: Record<K, string>, en: Record<K, string>): Messages<K> {
  return { zh, en };
}

/** Replaces {name} placeholders. */
export function format(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

const STORAGE_KEY = 'od.lang';
interface LangState {
  lang: Lang;
  setLang: (lang: Lang) => void;
}
const LangContext = createContext<LangState>({ lang: 'zh', setLang: () => {} });

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  setDisplayLang(lang); // dates shown by lib/time in this language when a caller names none
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* private mode: the choice lasts for this page only */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** The translate function for one screen's messages in the current language. */
export function useT<K extends string>(messages: Messages<K>): T<K> {
  const { lang } = useLang();
  return useCallback((key: K, params?: Params) => format(messages[lang][key] ?? key, params), [lang, messages]);
}
