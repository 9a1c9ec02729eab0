// widget core: the display rules, pure. What the visitor's browser remembers (localStorage key "fbw", nothing else,
// no cookies) and whether the widget may open by itself now.

export const DAY_MS = 86_400_000;
export const STATE_KEY = 'fbw';

export interface SurveySeen {
  /** when the visitor last answered this survey (epoch ms) */
  r?: number;
  /** when the visitor last dismissed it */
  d?: number;
}

export interface VisitorState {
  /** the visitor's sampling roll in [0, 100): kept, so one visitor is in or out of a sample on every page */
  s?: number;
  /** when any survey was last shown, answered or dismissed: the global cooldown runs from here */
  l?: number;
  v: Record<string, SurveySeen>;
}

export interface DisplayRules {
  surveyId: string;
  trigger: 'auto' | 'manual';
  sample: number;
  recontactDays: number;
  dismissDays: number;
  cooldownDays: number;
}

export type Verdict = 'show' | 'manual' | 'sampled-out' | 'answered-recently' | 'dismissed-recently' | 'cooling-down';

const within = (at: number | undefined, days: number, now: number) => at !== undefined && now - at < days * DAY_MS;

/** may the widget open by itself now? `roll` is the visitor's sampling roll in [0, 100) */
export function autoDisplayVerdict(rules: DisplayRules, state: VisitorState, roll: number, now: number): Verdict {
  const seen = state.v[rules.surveyId] ?? {};
  if (rules.trigger === 'manual') return 'manual';
  if (within(seen.r, rules.recontactDays, now)) return 'answered-recently';
  if (within(seen.d, rules.dismissDays, now)) return 'dismissed-recently';
  if (within(state.l, rules.cooldownDays, now)) return 'cooling-down';
  return roll < rules.sample ? 'show' : 'sampled-out';
}

/** what happened, recorded in the state (a new object) */
export function recordEvent(state: VisitorState, surveyId: string, event: 'shown' | 'answered' | 'dismissed', now: number): VisitorState {
  const seen = { ...state.v[surveyId] };
  if (event === 'answered') seen.r = now;
  if (event === 'dismissed') seen.d = now;
  return { ...state, l: now, v: { ...state.v, [surveyId]: seen } };
}

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** localStorage, or undefined where it is missing or refused (private modes, sandboxed frames) */
export function browserStorage(): StorageLike | undefined {
  try {
    return localStorage;
  } catch {
    return undefined;
  }
}

/** the stored state; an unreadable or malformed one reads as a new visitor */
export function readState(storage: StorageLike | undefined): VisitorState {
  try {
    const state = JSON.parse(storage?.getItem(STATE_KEY) ?? 'null') as VisitorState | null;
    if (state && typeof state === 'object' && state.v && typeof state.v === 'object') return state;
  } catch {
    // a new visitor
  }
  return { v: {} };
}

export function writeState(storage: StorageLike | undefined, state: VisitorState): void {
  try {
    storage?.setItem(STATE_KEY, JSON.stringify(state));
  } catch {
    // quota or a refused storage: the rules fall back to this page's memory
  }
}
