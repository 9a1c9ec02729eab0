// domain support: an item's size as DynamoDB counts it against its 400 KB limit (past it, PutItem fails with a
// ValidationException). The rules of the DynamoDB developer guide, "Item sizes and formats": an attribute counts its
// name's UTF-8 bytes plus its value's: a string its UTF-8 bytes, a binary its bytes, a number about one byte per two
// significant digits plus one (one more if negative; numberBytesOf), a boolean or null one byte, a list or map 3 bytes plus one per
// element plus the elements (a map's with their names), a set the sum of its elements.

/** DynamoDB's item limit: 400 KB, attribute names and values together */
export const MAX_ITEM_BYTES = 400 * 1024;

/** the bytes `item` takes of DynamoDB's item limit */
export function itemBytesOf(item: Readonly<Record<string, unknown>>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) if (value !== undefined) bytes += Buffer.byteLength(name) + valueBytesOf(value);
  return bytes;
}

function valueBytesOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number' || typeof value === 'bigint') return numberBytesOf(value);
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...(value as Set<unknown>)].reduce<number>((sum, element) => sum + valueBytesOf(element), 0);
  if (Array.isArray(value)) return value.reduce<number>((sum, element) => sum + 1 + valueBytesOf(element), 3);
  if (typeof value === 'object') {
    let bytes = 3;
    for (const [name, inner] of Object.entries(value)) if (inner !== undefined) bytes += 1 + Buffer.byteLength(name) + valueBytesOf(inner);
    return bytes;
  }
  return 0;
}

/**
 * Base-100 digits: the significant digits (no sign, point, exponent, leading or trailing zeros) in pairs aligned on
 * the decimal point, one byte per pair, plus one for the exponent and one for a minus sign (the rule dynalite
 * reproduces, a byte more than the guide's "digits / 2 + 1" when the pairs straddle the point)
 */
function numberBytesOf(n: number | bigint): number {
  const [mantissa = '', exponent = '0'] = (typeof n === 'bigint' ? n.toString() : n.toExponential()).replace('-', '').split('e');
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length;
  if (digits === 0) return 1;
  // a bigint's text has no exponent: its digits end at the point
  const power = typeof n === 'bigint' ? mantissa.length - 1 : Number(exponent);
  return 1 + Math.ceil(digits / 2) + (digits % 2 === 1 || power % 2 !== 0 ? 0 : 1) + ((typeof n === 'bigint' ? n < 0n : n < 0) ? 1 : 0);
}
