// unit: the one rule for names and notes the CX console shows back (shared/display-text.ts).
import { describe, expect, it } from 'vitest';
import { displayName, displayNote } from '../../shared/display-text.js';
import { detailsFromZod } from '../../shared/errors.js';

const name = displayName(100);
const note = displayNote(2000, 'a note needs text');

describe('a display name', () => {
  it('is trimmed and may be right-to-left text with bidi marks', () => {
    expect(name.parse('  Ann Lee ')).toBe('Ann Lee');
    expect(name.parse('\u05d3\u05e0\u05d4\u200f (CX)')).toBe('\u05d3\u05e0\u05d4\u200f (CX)');
  });

  it.each([
    ['a bidi override', 'Ann\u202enimda'],
    ['a bidi embedding', 'Ann\u202bx'],
    ['a bidi isolate', 'Ann\u2066x\u2069'],
    ['NUL', 'Ann\u0000'],
    ['a line break', 'Ann\nAdmin'],
    ['a C1 control', 'Ann\u009b'],
  ])('refuses %s', (_what, value) => {
    const result = name.safeParse(value);
    expect(detailsFromZod(result.error!)).toEqual([{ path: '', reason: expect.stringContaining('no control characters') }]);
  });
});

describe('a display note', () => {
  it('keeps its line breaks and tabs', () => {
    expect(note.parse('Called.\r\n\tNo answer.\n')).toBe('Called.\r\n\tNo answer.');
  });

  it('refuses other control characters and bidi controls, and blank text with its own reason', () => {
    expect(note.safeParse('Called \u202eerom').success).toBe(false);
    expect(note.safeParse('Called\u0007').success).toBe(false);
    expect(detailsFromZod(note.safeParse('   ').error!)).toEqual([{ path: '', reason: 'a note needs text' }]);
  });
});
