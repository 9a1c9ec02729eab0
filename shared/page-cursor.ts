// domain support: the cursor a page hands out to go on from: its position as JSON in base64url, opaque to clients.
// Each listing checks the position it reads back and refuses, with a 400 naming `cursor`, one it did not give.
import { invalidRequest } from './errors.js';

export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** the position a cursor holds, or undefined when it is no base64url JSON at all */
export function positionOf(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** the 400 for a cursor no page of the listing gave */
export const notACursor = (reason: string) => invalidRequest([{ path: 'cursor', reason }]);
