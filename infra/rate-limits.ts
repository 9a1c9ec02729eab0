// infra: the in-function rate limits (functions/commons/rate-limit.ts) as deploy-time context values
// (`-c rateLimitPerMinute=300`), checked at synth and set only on the functions that apply the limits each governs (the
// topology's `rateLimits`). One not given sets nothing, so the functions keep the code's defaults; locally the
// process environment carries the same variables.
import { contextWholeNumber } from './context-number.js';
import type { FunctionDeclaration, RateLimit } from './topology.js';

interface RateLimitSettingDeclaration {
  context: string;
  /** the limits the variable changes: it is set on every function that applies one of them */
  governs: readonly RateLimit[];
  /** what the number counts, for the message of a refused value */
  counts: string;
}

export const RATE_LIMIT_SETTINGS = {
  // per client IP; the per-survey default is 50 × it, and 0 turns every limit off, failed authentications included
  RATE_LIMIT_PER_MINUTE: { context: 'rateLimitPerMinute', governs: ['client', 'survey', 'authFailures'], counts: 'requests per client IP a minute; 0 turns every in-function limit off' },
  RATE_LIMIT_SURVEY_PER_MINUTE: { context: 'rateLimitSurveyPerMinute', governs: ['survey'], counts: 'requests per survey a minute; 0 turns this limit off' },
  RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: {
    context: 'rateLimitAuthFailuresPerMinute',
    governs: ['authFailures'],
    counts: 'failed authentications per client IP a minute; 0 turns this limit off',
  },
} as const satisfies Record<string, RateLimitSettingDeclaration>;

export type RateLimitSetting = keyof typeof RATE_LIMIT_SETTINGS;
/** the settings a deployment was given; an absent one keeps the functions' default */
export type RateLimitSettings = Partial<Record<RateLimitSetting, number>>;

const entries = Object.entries(RATE_LIMIT_SETTINGS) as [RateLimitSetting, RateLimitSettingDeclaration][];

/**
 * The settings from context values keyed by their context names (numbers from cdk.json, strings from `-c name=value`;
 * absent or '' sets nothing). Throws an Error naming the context value and the reason on the first that is not a whole
 * number, 0 or more.
 */
export function rateLimitSettingsOf(context: Record<string, unknown>): RateLimitSettings {
  const settings: RateLimitSettings = {};
  for (const [setting, { context: name, counts }] of entries) {
    const value = context[name];
    const number = contextWholeNumber(value);
    if (number === undefined) continue;
    if (!Number.isSafeInteger(number) || number < 0) throw new Error(`context ${name}: expected a whole number, 0 or more (${counts}), got ${JSON.stringify(value)}`);
    settings[setting] = number;
  }
  return settings;
}

/** the variables a function gets: each given setting that governs a limit the function applies */
export function rateLimitEnvironmentOf(declaration: FunctionDeclaration, settings: RateLimitSettings): Record<string, string> {
  // a function that takes bearer tokens throttles their failures (functions/commons/principal.ts)
  const applied: readonly RateLimit[] = [...(declaration.rateLimits ?? []), ...(declaration.adminToken ? (['authFailures'] as const) : [])];
  const environment: Record<string, string> = {};
  for (const [setting, { governs }] of entries) {
    const value = settings[setting];
    if (value !== undefined && governs.some((limit) => applied.includes(limit))) environment[setting] = String(value);
  }
  return environment;
}
