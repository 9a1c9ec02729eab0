// unit: the one rule for names and notes the CX console shows back (shared/display-text.ts), and how the console words
// its refusal (web-console/src/refusals.ts).
import { describe, expect, it } from 'vitest';
import { displayName, displayNote } from '../../shared/display-text.js';
import { detailsFromZod } from '../../shared/errors.js';
import { refusalWording } from '../../web-console/src/refusals.js';
import { translator } from '../support/console-words.js';

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

describe('a refused character, as the CX console says it', () => {
  const t = translator('en');

  it('names no code point and points at where the character is, for the reason the API gives a note or a name', () => {
    // Prepare: the API's own refusals
    const typed = 'Called.\nCall back\u202e tomorrow';
    const [noteRefusal] = detailsFromZod(note.safeParse(typed).error!);
    const [nameRefusal] = detailsFromZod(name.safeParse('\u0007Ann').error!);

    // Act
    const said = [refusalWording(noteRefusal!.reason, typed, t), refusalWording(nameRefusal!.reason, '\u0007Ann', t)];

    // Assess
    expect(said).toEqual([
      'This text holds an invisible formatting or control character (such as a text-direction override) right after “Call back”; remove it and try again.',
      'This text holds an invisible formatting or control character (such as a text-direction override); remove it and try again.',
    ]);
    expect(refusalWording(noteRefusal!.reason, typed, translator('zh-CN'))).toBe('此文本在“Call back”之后包含不可见的格式或控制字符（例如文字方向覆盖符）；请删除后重试。');
  });

  it('has no words for a reason it does not know, which is then shown as the API gave it', () => {
    expect(refusalWording('must not name a colleague', 'Ask Bo', t)).toBeUndefined();
  });
});
