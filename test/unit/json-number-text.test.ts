// unit: number literals a JSON body writes that JSON.parse does not read as written (shared/json-number-text.ts).
import { describe, expect, it } from 'vitest';
import { inexactNumbers } from '../../shared/json-number-text.js';

describe('inexactNumbers', () => {
  it('names a literal read as 0, or as another number, by its dotted path', () => {
    const text = '{"answers":{"nps":1e-400},"list":[1,{"k\\"ey":7.0000000000000001}],"text":"1e-400"}';

    expect(inexactNumbers(text)).toEqual([
      { path: 'answers.nps', reason: 'too small to store: 0 or at least 1e-130 in magnitude' },
      { path: 'list.1.k"ey', reason: 'more digits than a number holds: it would be stored as 7' },
    ]);
  });

  it('passes every literal that is the value it says, however it is written', () => {
    const literals = ['0', '-0', '0.0', '-0.0e5', '7', '7.0', '70e-1', '1E+2', '0.1', '0.30000000000000004', '1e21', '-12.5', '5e-324', '1e400'];
    for (const literal of literals) expect(inexactNumbers(`{"n":${literal}}`), literal).toEqual([]);
    expect(inexactNumbers(JSON.stringify({ n: [Math.PI, 1 / 3, -(2 ** 52), Number.MIN_VALUE] }))).toEqual([]);
  });

  it('walks a body nested a hundred thousand deep', () => {
    const deep = `${'['.repeat(100_000)}1e-400${']'.repeat(100_000)}`;
    expect(inexactNumbers(deep)).toHaveLength(1);
  });
});
