// console: the languages the console speaks, which one a session starts in, and `t(key, vars)`, which fills {name}
// placeholders. Each language's words are a module of their own (strings-en.ts, strings-zh.ts), imported dynamically:
// esbuild makes each a chunk, and a session fetches only its language's.
import type { en } from './strings-en.js';

/** a message with a count: one form per plural category of the language (Intl.PluralRules), `other` always */
export type PluralMessage = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
export type Message = string | PluralMessage;

export type StringKey = keyof typeof en;
export type Strings = Record<StringKey, Message>;

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Language = keyof typeof LANGUAGES;
/** the console's language when neither a saved choice nor the browser names another */
export const DEFAULT_LANGUAGE: Language = 'en';
/** each language's words, a chunk of its own (esbuild code splitting, web-console/build.ts) fetched only by a session in it */
const TABLES: Record<Language, () => Promise<Strings>> = {
  en: () => import('./strings-en.js').then((m) => m.en),
  'zh-CN': () => import('./strings-zh.js').then((m) => m.zhCN),
};

/** the language to start in: a saved choice, else the browser's (any Chinese → zh-CN), else English */
export function pickLanguage(saved: string | null, browser: readonly string[]): Language {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return browser.some((tag) => tag.toLowerCase().startsWith('zh')) ? 'zh-CN' : DEFAULT_LANGUAGE;
}

export type Translate = (key: StringKey, vars?: Record<string, string | number>) => string;

/**
 * `t(key, vars)` in `language`, once its words are loaded (rejects when they cannot be fetched): `t` itself is
 * synchronous, so a view renders with it as it is given
 */
export async function loadTranslator(language: Language): Promise<Translate> {
  return translator(language, await TABLES[language]());
}

/** `t(key, vars)`: the message in `table`, its plural form chosen by `vars.n` in `language`, with {name} placeholders filled */
function translator(language: Language, table: Strings): Translate {
  const plural = new Intl.PluralRules(language);
  return (key, vars) => {
    const message = table[key];
    const text = typeof message === 'string' ? message : (message[plural.select(Number(vars?.n ?? 0))] ?? message.other);
    return text.replace(/\{(\w+)\}/g, (match, name: string) => (vars && name in vars ? String(vars[name]) : match));
  };
}
