// unit: the browser's languages as the CX console hands them to Intl (web-console/src/locale.ts): a POSIX locale
// ("en-US@posix", "zh_CN.UTF-8") becomes the tag it names, what is still no BCP 47 tag is left out, and with nothing
// left the console's default language stands in. Every tag it gives is one Intl's constructors take.
import { describe, expect, it } from 'vitest';
import { canonicalLocale, canonicalLocales } from '../../web-console/src/locale.js';
import { DEFAULT_LANGUAGE, pickLanguage } from '../../web-console/src/strings.js';

describe("the browser's languages, canonical", () => {
  it.each([
    ['en-US@posix', 'en-US'],
    ['en_GB.UTF-8', 'en-GB'],
    ['zh_CN.GB18030@stroke', 'zh-CN'],
    ['sr_RS@latin', 'sr-RS'],
    [' de-de ', 'de-DE'],
    ['zh-hant-tw', 'zh-Hant-TW'],
    ['en', 'en'],
  ])('reads %j as %j', (said, canonical) => {
    expect(canonicalLocale(said)).toBe(canonical);
  });

  it.each(['C', 'C.UTF-8', '', '@posix', 'en--US', '*', 'x'])('leaves out %j, which names no language', (said) => {
    expect(canonicalLocale(said)).toBeUndefined();
  });

  it('keeps the browser\'s order without repeats, and falls back to the default language when nothing is left', () => {
    expect(canonicalLocales(['en-US@posix', 'C', 'en_US.UTF-8', 'zh_CN.UTF-8'], DEFAULT_LANGUAGE)).toEqual(['en-US', 'zh-CN']);
    expect(canonicalLocales(['C', 'C.UTF-8', ''], DEFAULT_LANGUAGE)).toEqual(['en']);
    expect(canonicalLocales([], DEFAULT_LANGUAGE)).toEqual(['en']);
  });

  it('gives only tags every Intl constructor the console and uPlot use takes', () => {
    // Prepare: what a browser may say, as-is a RangeError for Intl
    const said = ['en-US@posix', 'de_DE.UTF-8@euro', 'zh_CN.UTF-8', 'C'];
    expect(() => new Intl.NumberFormat(said[0])).toThrow(RangeError);

    // Act
    const locales = canonicalLocales(said, DEFAULT_LANGUAGE);

    // Assess
    for (const locale of locales) {
      expect(() => [new Intl.NumberFormat(locale), new Intl.PluralRules(locale), new Intl.DateTimeFormat(locale)]).not.toThrow();
    }
    expect(pickLanguage(null, locales)).toBe('zh-CN');
  });
});
