// domain: errors as values with a status and a message that is safe to show to clients.
import type * as z from './validation.js';

export interface ErrorDetail {
  /** dotted path of the offending field, e.g. "answers.nps"; "" for the request as a whole */
  path: string;
  reason: string;
}

export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 429;

/** a client error: its message and details are shown to the caller as `{ error, details }` */
export class ApiError extends Error {
  constructor(
    readonly status: ApiErrorStatus,
    message: string,
    readonly details: ErrorDetail[] = [],
    /** more of the answer's body beside `error` and `details`, e.g. the current state of what a 409 refused */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const invalidRequest = (details: ErrorDetail[]) => new ApiError(400, 'invalid request', details);

/**
 * a form post that is not the page's form (too many fields, a name or a value past any the form has): a page says so,
 * rather than blaming the link it was sent to
 */
export class UnreadableForm extends ApiError {
  constructor(reason: string) {
    super(400, 'invalid request', [{ path: '', reason }]);
  }
}
export const notFound = (what: string) => new ApiError(404, `${what} not found`);

/**
 * zod issues → one detail per offending field; an unknown key is reported at its own path, and a record key refused
 * with the reason its own check gave (zod's own message, "Invalid key in record", says none)
 */
export function detailsFromZod(error: z.core.$ZodError): ErrorDetail[] {
  return error.issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key].join('.'), reason: 'unknown field' }));
    }
    if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      return [{ path: path.join('.'), reason: `invalid key: ${issue.issues.map((inner) => inner.message).join('; ')}` }];
    }
    return [{ path: path.join('.'), reason: issue.message }];
  });
}

/** `value` as `schema` parses it, or 400 naming each offending field */
export function parsedOr400<T>(schema: z.ZodMiniType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidRequest(detailsFromZod(parsed.error));
  return parsed.data;
}
