// domain support: the values of a query string that are not plain text, parsed strictly by every listing and report.
// A whole number is decimal digits only: coercing with Number() read "", " " as 0 and "0x10" as 16, so `max=` filtered
// for a score of 0. An instant lies between 1970 and 9999: the stores' keys and the reports' intervals are ISO text
// ("2026-11-01T…"), which sorts as time only with four-digit years; past them a key range came out reversed (a 500)
// or matched everything, and Date.UTC reads the years 0–99 as 1900–1999.
import { invalidRequest } from './errors.js';
import * as z from './validation.js';

/** the first and the last instant a query may name (the last one whole intervals and trends can still widen from) */
export const EARLIEST_QUERY_INSTANT = Date.UTC(1970, 0, 1);
export const LATEST_QUERY_INSTANT = Date.UTC(9999, 0, 1);

export const QUERY_INSTANT_RANGE = 'between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z';

/** whether an instant (epoch ms) is one a query may name */
export const isQueryInstant = (instant: number) => instant >= EARLIEST_QUERY_INSTANT && instant <= LATEST_QUERY_INSTANT;

/** a whole number from `min` to `max`, written in decimal digits (a repeated parameter, "5,6", is not one) */
export const queryInteger = ({ min, max }: { min: number; max: number }) =>
  z.pipe(
    z.string().check(z.regex(/^-?\d+$/, 'an integer, in decimal digits')),
    z.pipe(z.transform(Number), z.number().check(z.gte(min, `at least ${min}`), z.lte(max, `at most ${max}`))),
  );

/** an ISO 8601 date-time with an offset (`example` shows one), within the instants a query may name */
export const queryDateTime = (example: string) =>
  z.iso.datetime({ offset: true, abort: true, message: `an ISO 8601 date-time, e.g. ${example}` }).check(z.refine((value) => isQueryInstant(Date.parse(value)), QUERY_INSTANT_RANGE));

/**
 * 400 naming each query parameter a route does not take (`names` are those it does), as the routes whose query is a
 * schema answer: a parameter sent by mistake (`?cursr=`, or a filter a route does not have) is never silently ignored
 */
export function onlyParameters(query: Readonly<Record<string, string | undefined>>, names: readonly string[]): void {
  const unknown = Object.keys(query).filter((name) => !names.includes(name));
  if (unknown.length > 0) throw invalidRequest(unknown.map((name) => ({ path: name, reason: 'unknown field' })));
}
