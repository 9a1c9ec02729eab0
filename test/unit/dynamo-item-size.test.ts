// unit: an item's size as DynamoDB counts it against its 400 KB limit (shared/dynamo-item-size.ts). The engine agrees
// at the limit (test/integration/rollup-item-size.test.ts).
import { describe, expect, it } from 'vitest';
import { itemBytesOf } from '../../shared/dynamo-item-size.js';

describe('an item size', () => {
  it('counts each attribute name and its string value in UTF-8 bytes', () => {
    expect(itemBytesOf({ id: 'abc' })).toBe(2 + 3);
    // é is 2 bytes and 😀 4 in UTF-8 (3 UTF-16 units together)
    expect(itemBytesOf({ 'né': 'a😀' })).toBe(3 + 5);
  });

  it('counts a number by its significant digits in pairs aligned on the point, plus the exponent and the sign', () => {
    expect(itemBytesOf({ n: 0 })).toBe(1 + 1);
    // 1,785,000,000: digits 1785 (two pairs) + 1
    expect(itemBytesOf({ n: 1_785_000_000 })).toBe(1 + 3);
    // 12.5: digits 125 → pairs 12|5 + 1; -1.5: pairs 01|5 + 1 + sign
    expect(itemBytesOf({ n: 12.5 })).toBe(1 + 3);
    expect(itemBytesOf({ n: -1.5 })).toBe(1 + 4);
  });

  it('counts a boolean or null one byte, a list or map 3 bytes and one per element besides the elements', () => {
    expect(itemBytesOf({ t: true, z: null })).toBe(2 + 2);
    // [1, "ab"]: 3 + (1 + 2) + (1 + 2)
    expect(itemBytesOf({ l: [1, 'ab'] })).toBe(1 + 9);
    // {a: "xy", b: {}}: 3 + (1 + 1 + 2) + (1 + 1 + 3)
    expect(itemBytesOf({ m: { a: 'xy', b: {} } })).toBe(1 + 12);
  });

  it('leaves out attributes that are undefined, as the document client does', () => {
    expect(itemBytesOf({ id: 'a', gone: undefined })).toBe(3);
  });
});
