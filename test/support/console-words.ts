// test support: the CX console's `t` in each of its languages, loaded once (the Chinese words are a module the console
// imports dynamically), so a unit test can say `translator('zh-CN')` as the views are given it.
import { LANGUAGES, loadTranslator, type Language, type Translate } from '../../web-console/src/strings.js';

const LOADED = Object.fromEntries(await Promise.all((Object.keys(LANGUAGES) as Language[]).map(async (language) => [language, await loadTranslator(language)] as const))) as Record<Language, Translate>;

/** `t` in `language`, as the console gives it to its views */
export const translator = (language: Language): Translate => LOADED[language];
