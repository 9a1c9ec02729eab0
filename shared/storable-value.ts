// domain: what the database can store exactly, checked on every JSON body the API accepts (functions/commons/http.ts).
// Anything else would be acknowledged and then fail at the put (a 202 lost to the DLQ, or a 500), or come back changed.
import type { ErrorDetail } from './errors.js';

/** DynamoDB's smallest number magnitude; the document client refuses integers past Number.MAX_SAFE_INTEGER as imprecise */
export const SMALLEST_STORABLE_MAGNITUDE = 1e-130;
const MAX_DETAILS = 10;

/** a UTF-16 surrogate without its pair: not a Unicode character, and no UTF-8 (DynamoDB's encoding) for it */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

function reasonForNumber(n: number): string | undefined {
  if (Math.abs(n) > Number.MAX_SAFE_INTEGER) return `too large to store exactly: at most ${Number.MAX_SAFE_INTEGER} in magnitude`;
  if (n !== 0 && Math.abs(n) < SMALLEST_STORABLE_MAGNITUDE) return `too small to store: 0 or at least ${SMALLEST_STORABLE_MAGNITUDE} in magnitude`;
  return undefined;
}

/**
 * The parts of a parsed JSON value that cannot be stored as they are: a `__proto__` key (the SDK's serializers treat
 * it as the prototype and drop it), text with a lone surrogate, a number out of DynamoDB's range or past exact
 * integers. Walks with a stack, not recursion: a body may nest thousands deep.
 */
export function unstorableParts(value: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  // a path is a link to its parent, so that deep nesting costs one link per level, not a copied array
  const pending: [at: PathLink | undefined, value: unknown][] = [[undefined, value]];
  while (pending.length > 0 && details.length < MAX_DETAILS) {
    const [at, current] = pending.pop() as [PathLink | undefined, unknown];
    if (typeof current === 'string') {
      if (LONE_SURROGATE.test(current)) details.push({ path: dotted(at), reason: 'not well-formed Unicode text (a lone surrogate)' });
    } else if (typeof current === 'number') {
      const reason = reasonForNumber(current);
      if (reason) details.push({ path: dotted(at), reason });
    } else if (Array.isArray(current)) {
      current.forEach((item, i) => pending.push([{ parent: at, key: String(i) }, item]));
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, inner] of Object.entries(current)) {
        const keyAt = { parent: at, key };
        if (key === '__proto__') details.push({ path: dotted(keyAt), reason: 'a key that cannot be stored: __proto__' });
        else if (LONE_SURROGATE.test(key)) details.push({ path: dotted(keyAt), reason: 'a key that is not well-formed Unicode text (a lone surrogate)' });
        else pending.push([keyAt, inner]);
      }
    }
  }
  return details;
}

interface PathLink {
  parent: PathLink | undefined;
  key: string;
}

function dotted(at: PathLink | undefined): string {
  const keys: string[] = [];
  for (let link = at; link; link = link.parent) keys.push(link.key);
  return keys.reverse().join('.');
}
