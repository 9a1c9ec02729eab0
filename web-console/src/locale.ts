// console: the browser's languages as Intl takes them. A browser may say a tag no Intl constructor accepts: some Linux
// set-ups give their POSIX locale ("en-US@posix", "en_GB.UTF-8"), and `new Intl.NumberFormat('en-US@posix')` throws a
// RangeError. The console reads the browser's languages here, once, and nothing else hands a browser's tag to Intl.

/** a tag as Intl takes it: a POSIX charset (".UTF-8") or modifier ("@posix") dropped, "_" as "-"; undefined: none */
export function canonicalLocale(tag: string): string | undefined {
  return asIntlTakes(tag.trim().replace(/[.@].*$/, '').replaceAll('_', '-'));
}

/** `tag` canonical, or undefined when Intl refuses it as it is ("C", "", "en-US@posix") */
function asIntlTakes(tag: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

/** `tags` as canonical tags, in the browser's order and without repeats; [`fallback`] when none is left */
export function canonicalLocales(tags: readonly string[], fallback: string): string[] {
  const canonical = [...new Set(tags.map(canonicalLocale).filter((tag) => tag !== undefined))];
  return canonical.length ? canonical : [fallback];
}

/**
 * The browser's languages, canonical. Where the browser's own first tag is one Intl refuses, the page's `navigator`
 * says the canonical ones from then on (own properties over the prototype's getters): uPlot, in the Overview's chunk,
 * builds `new Intl.NumberFormat(navigator.language)` as its module loads and takes no locale of its own, so a tag it
 * cannot pass to Intl would stop that chunk from loading. A tag Intl takes is left as the browser says it.
 */
export function browserLocales(fallback: string): string[] {
  const said = navigator.languages?.length ? navigator.languages : [navigator.language];
  const locales = canonicalLocales(said, fallback);
  if (asIntlTakes(navigator.language) === undefined) {
    Object.defineProperty(navigator, 'language', { value: locales[0], configurable: true });
    Object.defineProperty(navigator, 'languages', { value: Object.freeze([...locales]), configurable: true });
  }
  return locales;
}
