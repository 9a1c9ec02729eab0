// domain: closing a task with learning. A survey lists the root causes its leads may close with
// (survey.followUp.rootCauses); resolving names one of them and the action taken, so the metrics can say why
// detractors leave and what recovers them. Pure: the list's schema, the resolve body's schema, and which listed root
// cause a value names.
import * as z from '../validation.js';
import { displayNote } from '../display-text.js';
import { ACTION_NEEDS_TEXT, ACTION_REQUIRED, notARootCause, REASON_NEEDS_TEXT, REASON_REQUIRED, ROOT_CAUSE_NEEDS_TEXT, ROOT_CAUSE_REQUIRED } from './task-refusals.js';

export const DEFAULT_ROOT_CAUSES = ['delivery', 'product defect', 'billing', 'support', 'price', 'other'];
export const MAX_ROOT_CAUSES = 50;
export const MAX_ROOT_CAUSE_LENGTH = 60;

// the schemas are built on first use, as the survey's (survey/schema.ts): most cold starts never use them
const rootCauseText = () => z.string().check(z.trim(), z.minLength(1, ROOT_CAUSE_NEEDS_TEXT), z.maxLength(MAX_ROOT_CAUSE_LENGTH));

/** the survey's list: 1..50 trimmed names, unique ignoring case (a duplicate is reported at its index) */
export const rootCausesSchema = z.lazy(() =>
  z.array(rootCauseText()).check(
    z.minLength(1, 'at least one root cause'),
    z.maxLength(MAX_ROOT_CAUSES),
    z.superRefine((causes, ctx) => {
      const seen = new Map<string, number>();
      causes.forEach((cause, i) => {
        const key = cause.toLowerCase();
        const first = seen.get(key);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: [i], message: `duplicate root cause "${cause}" (as at index ${first})` });
        else seen.set(key, i);
      });
    }),
  ),
);


/**
 * POST /v1/followups/{id}/resolve:
 *   { outcome: "resolved" (default), rootCause, action, reason? }   the reason defaults to the action
 *   { outcome: "no_action", reason, rootCause? }
 * Whether rootCause is on the survey's list is checked against the survey (matchRootCause).
 */
export const resolveBodySchema = z.lazy(() =>
  z
    .strictObject({
      outcome: z._default(z.enum(['resolved', 'no_action']), 'resolved'),
      rootCause: z.optional(rootCauseText()),
      action: z.optional(displayNote(500, ACTION_NEEDS_TEXT)),
      reason: z.optional(displayNote(500, REASON_NEEDS_TEXT)),
    })
    .check(
      z.superRefine((body, ctx) => {
        if (body.outcome === 'resolved') {
          if (body.rootCause === undefined) ctx.addIssue({ code: 'custom', path: ['rootCause'], message: ROOT_CAUSE_REQUIRED });
          if (body.action === undefined) ctx.addIssue({ code: 'custom', path: ['action'], message: ACTION_REQUIRED });
        } else if (body.reason === undefined) {
          ctx.addIssue({ code: 'custom', path: ['reason'], message: REASON_REQUIRED });
        }
      }),
    ),
);

export type ResolveBody = z.infer<typeof resolveBodySchema>;

export type RootCauseMatch = { ok: true; rootCause: string } | { ok: false; reason: string };

/** the listed root cause `value` names, ignoring case (stored as the list spells it), or why it is not one */
export function matchRootCause(rootCauses: readonly string[], value: string): RootCauseMatch {
  const wanted = value.trim().toLowerCase();
  const found = rootCauses.find((cause) => cause.toLowerCase() === wanted);
  return found === undefined ? { ok: false, reason: notARootCause(rootCauses) } : { ok: true, rootCause: found };
}

/** what a resolve stores: the outcome and resolution { reason (the action taken unless given), rootCause?, action? } */
export function closingOf(body: ResolveBody): { outcome: 'resolved' | 'no_action'; reason: string; rootCause?: string; action?: string } {
  const { outcome, rootCause, action } = body;
  // the schema requires a reason for no_action and an action to resolve, so one of them is there
  const reason = body.reason ?? action ?? '';
  return { outcome, reason, ...(rootCause !== undefined ? { rootCause } : {}), ...(action !== undefined ? { action } : {}) };
}
