// domain: the one way runtime code reaches zod. zod/mini, zod's functional API: a bundle keeps only the schemas and
// checks a function uses, where classic zod's method-laden classes come whole. Mini loads no locale of its own, so this
// module gives it zod's English messages, which the API's 4xx details and the environment errors quote.
//
// Import it as a namespace (`import * as z from '…/validation.js'`): esbuild then keeps only the members used. A named
// `z` object, or mini's `z.locales`, would hold on to every locale.
import { _coercedNumber, _isoDateTime, type $ZodISODateTimeParams, type $ZodNumberParams } from 'zod/v4/core';
import { en } from 'zod/locales';
import { config, ZodMiniISODateTime, ZodMiniNumber } from 'zod/mini';

config(en());
// a field left out is "required", not zod's "Invalid input: expected number, received undefined": the 4xx details name
// the field, and the reason should say what to do (a schema's own message, where it has one, still wins)
config({ customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined) });

export * from 'zod/mini';

// mini's `coerce` and `iso` are namespaces within its namespace, and esbuild keeps such a namespace whole once one of
// its members is used (z.coerce.number would bring coerce.bigint and coerce.date, z.iso.datetime iso.date, time and
// duration). These two stand in for them with the members runtime code uses, built as mini builds them.
export const coerce = {
  number: (params?: string | $ZodNumberParams): ZodMiniNumber<unknown> => _coercedNumber(ZodMiniNumber, params),
};
export const iso = {
  datetime: (params?: string | $ZodISODateTimeParams): ZodMiniISODateTime => _isoDateTime(ZodMiniISODateTime, params),
};
