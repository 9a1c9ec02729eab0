// domain: the reasons the follow-up API gives when it refuses a change to a task, as plain data: a fixed reason's
// text, or a function that builds a reason and one that reads it back. Pure and free of zod, so the CX console bundles
// it: it knows a refusal by its reason and says it in the lead's language (web-console/src/refusals.ts), while the
// API's reasons stay in English for every other client. A reason built anywhere else has no words in the console and
// is shown as the API gives it.

/** a text a form asks for, given as spaces alone (the API trims it) or left out */
export const NOTE_NEEDS_TEXT = 'a note needs text';
export const ACTION_NEEDS_TEXT = 'the action taken needs text';
export const REASON_NEEDS_TEXT = 'a reason needs text';
export const ROOT_CAUSE_NEEDS_TEXT = 'a root cause needs text';
export const ROOT_CAUSE_REQUIRED = 'a root cause is required to resolve';
export const ACTION_REQUIRED = 'the action taken is required to resolve';
export const REASON_REQUIRED = 'a reason is required';
export const BULK_REASON_REQUIRED = 'bulk no_action needs a reason';

/** a task that is gone (never was, or expired) */
export const TASK_NOT_FOUND = 'task not found';
/** a task others kept changing while it was being changed (changeTask gave up) */
export const TASK_CHANGING_TOO_OFTEN = 'the task is changing too often; try again';

/** a root cause the task's survey does not list */
export const notARootCause = (rootCauses: readonly string[]) => `not one of this survey's root causes: ${rootCauses.join(', ')}`;
export function readNotARootCause(reason: string): { rootCauses: string } | undefined {
  const match = /^not one of this survey's root causes: (.*)$/s.exec(reason);
  return match ? { rootCauses: match[1]! } : undefined;
}

/** an action a task's status does not allow (a closed task is claimed, resolved or assigned) */
export const transitionRefused = (action: string, status: string, allowedFrom: readonly string[]) => `cannot ${action} a task that is ${status} (allowed from: ${allowedFrom.join(', ')})`;
export function readTransitionRefused(reason: string): { action: string; status: string } | undefined {
  const match = /^cannot (\w+) a task that is (\w+) \(allowed from: [\w, ]*\)$/.exec(reason);
  return match ? { action: match[1]!, status: match[2]! } : undefined;
}

/** a task of a survey the caller's token is not granted */
export const surveyNotGranted = (surveyId: string) => `your token is not granted survey "${surveyId}"`;
export function readSurveyNotGranted(reason: string): { survey: string } | undefined {
  const match = /^your token is not granted survey "(.*)"$/s.exec(reason);
  return match ? { survey: match[1]! } : undefined;
}

/** a task assigned to a lead who is not granted its survey */
export const leadNotGranted = (lead: string, surveyId: string) => `the CX lead "${lead}" is not granted survey "${surveyId}"`;
export function readLeadNotGranted(reason: string): { lead: string; survey: string } | undefined {
  const match = /^the CX lead "(.*)" is not granted survey "(.*)"$/s.exec(reason);
  return match ? { lead: match[1]!, survey: match[2]! } : undefined;
}
