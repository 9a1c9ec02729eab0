// domain: the numbers a JSON text writes that its parsed value does not hold, checked on every JSON body the API
// accepts (functions/commons/http.ts), beside storable-value.ts. JSON.parse rounds a literal to the nearest double
// without a word: `1e-400` reads as 0 (an NPS of 0, a detractor) and `7.0000000000000001` as 7, so a body would be
// acknowledged and stored as something it did not say. A literal is refused when its decimal value differs from the
// double's; `7.0`, `7e0` and every number a JSON serializer writes (the shortest text that reads back as the same
// double) are the value they say, and pass. Pure.
import type { ErrorDetail } from './errors.js';
import { SMALLEST_STORABLE_MAGNITUDE } from './storable-value.js';

const MAX_DETAILS = 10;
const NUMBER = /-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?/y;

/** a decimal as its significant digits and the power of ten of the last one; zero is `{ digits: '' }` */
function decimalOf(text: string): { digits: string; exponent: number } {
  const match = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!match) return { digits: text, exponent: 0 };
  const [, whole = '', fraction = '', power = '0'] = match;
  let digits = `${whole}${fraction}`.replace(/^0+/, '');
  let exponent = Number(power) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  if (trailing > 0) {
    digits = digits.slice(0, -trailing);
    exponent += trailing;
  }
  return digits === '' ? { digits: '', exponent: 0 } : { digits, exponent };
}

/** whether the literal's decimal value is the value of the double it reads as (the sign of a zero aside) */
function readsExactly(literal: string, value: number): boolean {
  const written = decimalOf(literal);
  const read = decimalOf(String(Math.abs(value)).replace(/e\+/, 'e'));
  return written.digits === read.digits && written.exponent === read.exponent;
}

function reasonFor(literal: string, value: number): string | undefined {
  // out of range altogether: storable-value.ts names the problem (too large, Infinity)
  if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER) return undefined;
  if (readsExactly(literal, value)) return undefined;
  if (value === 0) return `too small to store: 0 or at least ${SMALLEST_STORABLE_MAGNITUDE} in magnitude`;
  return `more digits than a number holds: it would be stored as ${value}`;
}

type Frame = { kind: 'object'; key: string | undefined; expectsKey: boolean } | { kind: 'array'; index: number };

/**
 * The paths of number literals in `text` (valid JSON: JSON.parse took it) whose parsed value is not the number written.
 * One pass over the text with a stack of the containers it is in; strings are skipped whole.
 */
export function inexactNumbers(text: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const stack: Frame[] = [];
  const pathOf = () => stack.map((frame) => (frame.kind === 'object' ? (frame.key ?? '') : String(frame.index))).join('.');
  for (let i = 0; i < text.length && details.length < MAX_DETAILS; ) {
    const c = text[i]!;
    if (c === '"') {
      let end = i + 1;
      while (text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack.at(-1);
      if (top?.kind === 'object' && top.expectsKey) {
        top.key = JSON.parse(text.slice(i, end + 1)) as string;
        top.expectsKey = false;
      }
      i = end + 1;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)![0];
      const reason = reasonFor(literal, Number(literal));
      if (reason) details.push({ path: pathOf(), reason });
      i += literal.length;
    } else {
      if (c === '{') stack.push({ kind: 'object', key: undefined, expectsKey: true });
      else if (c === '[') stack.push({ kind: 'array', index: 0 });
      else if (c === '}' || c === ']') stack.pop();
      else if (c === ',') {
        const top = stack.at(-1);
        if (top?.kind === 'object') top.expectsKey = true;
        else if (top) top.index += 1;
      }
      i += 1;
    }
  }
  return details;
}
