// CLI (post-deploy check): the smoke check that `npm run smoke` runs against a deployed stack (or any running
// runtime). A fixed sequence of named steps over the public HTTP API, each request with a timeout; the first step that
// fails stops the run and names itself. It exercises the whole pipeline a user depends on:
//   1. survey           create or replace the check's own survey (PUT /v1/surveys/smoke); a survey of that id that
//                       the check did not create is refused, so it never overwrites a user's survey
//   2. public-survey    read it as a widget does (GET /v1/surveys/{id}/public)
//   3. submit           submit a response with a comment (POST /v1/responses, channel api, as a server does) → 202
//   4. response         read it back, stored with its sentiment scored (GET …/responses), within 60 s by default
//   5. metrics          wait for the scheduled rollup to count it (GET …/metrics): every minute in the cloud, so up
//                       to 3 minutes by default
//   6. followups        list the survey's CX tasks (GET /v1/followups?surveyId=…)
//   7. invitation       mint a personal email survey link (POST …/invitations)
//   8. invitation-page  open that link's page (GET /s/{token}) as the customer would
//   9. tokens           list access tokens (GET /v1/tokens)
// Its footprint is the survey `smoke`: one response per run (kept 1 day, its retention), one invitation (the same one
// every run: customerRef `smoke-check`, campaign `smoke`). Its detractor rules are off and its answers are promoters,
// so it never opens a follow-up task nor sends a webhook. Nothing personal or secret is printed (no token, no link).

export const STEP_NAMES = ['survey', 'public-survey', 'submit', 'response', 'metrics', 'followups', 'invitation', 'invitation-page', 'tokens'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export interface StepResult {
  name: StepName;
  ok: boolean;
  /** what the step saw (ok) or why it failed */
  detail: string;
  ms: number;
}

export interface SmokeResult {
  ok: boolean;
  steps: StepResult[];
  /** the step that failed, when one did */
  failed?: StepName;
}

export interface SmokeOptions {
  /** the API's base URL (the stack's ApiUrl output) */
  endpoint: string;
  adminToken: string;
  /** the check's own survey; it creates it, and refuses a survey of that id it did not create */
  surveyId?: string;
  /** each HTTP request */
  requestTimeoutMs?: number;
  /** step `response`: until the response is stored with its sentiment */
  responseTimeoutMs?: number;
  /** step `metrics`: until the rollup has counted it (the cloud's schedule runs every minute) */
  rollupTimeoutMs?: number;
  /** between two reads while waiting */
  pollEveryMs?: number;
  /** called as each step ends (the CLI prints a line) */
  onStep?: (step: StepResult) => void;
}

export const SMOKE_DEFAULTS = {
  surveyId: 'smoke',
  requestTimeoutMs: 15_000,
  responseTimeoutMs: 60_000,
  rollupTimeoutMs: 180_000,
  pollEveryMs: 2_000,
} as const;

/** how the check recognises its own survey: the title it gives it */
export const SMOKE_SURVEY_TITLE = 'Smoke check (npm run smoke)';
const SMOKE_COMMENT = 'Smoke check after a deploy: everything worked well, thank you.';
const SMOKE_CAMPAIGN = 'smoke';
const SMOKE_CUSTOMER = 'smoke-check';

/** the check's survey: one NPS question and a comment, api and email channels, no detractor rules, kept 1 day */
export function smokeSurvey(id: string) {
  return {
    id,
    title: SMOKE_SURVEY_TITLE,
    defaultLocale: 'en',
    channels: ['api', 'email'],
    questions: [
      { id: 'nps', type: 'nps', required: true },
      { id: 'comment', type: 'text', shown: true },
    ],
    texts: {
      en: {
        title: 'Smoke check',
        questions: { nps: { label: 'How likely are you to recommend us?' }, comment: { label: 'Anything to add?' } },
      },
    },
    // never a follow-up task (a CX lead's work, a webhook) for a check's answer
    detractorRules: { npsAtMost: null, csatAtMost: null, cesAtMost: null, negativeSentimentAtLeast: null, keywords: [] },
    retentionDays: 1,
  };
}

/** a step's failure: its message is the line the CLI prints */
class StepFailure extends Error {}

interface Reply {
  status: number;
  contentType: string;
  text: string;
  body: any;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** a path as it may be printed: an email link's token is a credential */
const printable = (path: string) => path.replace(/\/s\/[^/?]+/, '/s/<token>');

/** the hour a time falls in, as the rollup buckets it (UTC) */
export function hourOf(iso: string): { from: string; to: string } {
  const start = new Date(iso);
  start.setUTCMinutes(0, 0, 0);
  return { from: start.toISOString(), to: new Date(start.getTime() + 3_600_000).toISOString() };
}

export async function runSmoke(options: SmokeOptions): Promise<SmokeResult> {
  const settings = { ...SMOKE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as Required<SmokeOptions>;
  const endpoint = settings.endpoint.replace(/\/+$/, '');
  const surveyId = settings.surveyId;
  const survey = `/v1/surveys/${encodeURIComponent(surveyId)}`;

  async function call(method: string, pathOrUrl: string, init: { body?: unknown; admin?: boolean; expect: number[] }): Promise<Reply> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${endpoint}${pathOrUrl}`;
    const shown = `${method} ${printable(new URL(url).pathname)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: { 'content-type': 'application/json', ...(init.admin ? { authorization: `Bearer ${settings.adminToken}` } : {}) },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(settings.requestTimeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw new StepFailure(`${shown}: ${timedOut ? `no answer within ${seconds(settings.requestTimeoutMs)}` : `cannot reach ${endpoint} (${error instanceof Error ? (error.cause as Error | undefined)?.message ?? error.message : error})`}`);
    }
    const text = await response.text().catch(() => '');
    const contentType = response.headers.get('content-type') ?? '';
    let body: any;
    if (contentType.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        throw new StepFailure(`${shown}: answered ${response.status} with a body that is not JSON`);
      }
    }
    if (!init.expect.includes(response.status)) {
      const details = Array.isArray(body?.details) ? body.details.map((d: { path?: string; reason?: string }) => `${d.path || '(body)'}: ${d.reason}`).join('; ') : '';
      const hint = response.status === 401 ? ' (is the admin token right?)' : '';
      throw new StepFailure(`${shown}: answered ${response.status} ${body?.error ?? response.statusText}${details ? ` (${details})` : ''}${hint}`);
    }
    return { status: response.status, contentType, text, body };
  }

  /** polls `check` until it returns a value, or fails with `why()` once `timeoutMs` has passed */
  async function waitFor<T>(timeoutMs: number, check: () => Promise<T | undefined>, why: () => string): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (Date.now() >= deadline) throw new StepFailure(why());
      await sleep(Math.min(settings.pollEveryMs, Math.max(0, deadline - Date.now())));
    }
  }

  // what the steps hand on to each other
  let responseId = '';
  let receivedAt = '';
  let link = '';

  const steps: Record<StepName, () => Promise<string>> = {
    async survey() {
      const existing = await call('GET', survey, { admin: true, expect: [200, 404] });
      if (existing.status === 200 && existing.body?.title !== SMOKE_SURVEY_TITLE) {
        throw new StepFailure(`survey "${surveyId}" exists and is not the smoke check's own (its title is not "${SMOKE_SURVEY_TITLE}"): pass --survey with another id`);
      }
      await call('PUT', survey, { admin: true, body: smokeSurvey(surveyId), expect: [200] });
      return `${existing.status === 200 ? 'replaced' : 'created'} survey ${surveyId}`;
    },
    async 'public-survey'() {
      const reply = await call('GET', `${survey}/public`, { expect: [200] });
      const questions: { id?: string }[] = Array.isArray(reply.body?.questions) ? reply.body.questions : [];
      if (!questions.some((q) => q.id === 'nps')) throw new StepFailure(`GET ${survey}/public: the answer has no "nps" question`);
      return `${questions.length} questions`;
    },
    async submit() {
      const idempotencyKey = `smoke-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`;
      const reply = await call('POST', '/v1/responses', {
        body: { surveyId, idempotencyKey, channel: 'api', locale: 'en', answers: { nps: 10 }, comment: SMOKE_COMMENT },
        expect: [202],
      });
      if (typeof reply.body?.id !== 'string') throw new StepFailure('POST /v1/responses: the 202 answer carries no id');
      responseId = reply.body.id;
      return `202, response ${responseId}`;
    },
    async response() {
      let seen: { sentiment?: { status?: string; label?: string } | null } | undefined;
      const stored = await waitFor(
        settings.responseTimeoutMs,
        async () => {
          const page = await call('GET', `${survey}/responses?limit=25`, { admin: true, expect: [200] });
          seen = (page.body?.items ?? []).find((item: { id?: string }) => item.id === responseId);
          return seen?.sentiment?.status === 'scored' ? (seen as { receivedAt: string; sentiment: { label: string } }) : undefined;
        },
        () =>
          !seen
            ? `response ${responseId} not stored within ${seconds(settings.responseTimeoutMs)} (the process function and the responses queue: see the DLQ alarm)`
            : `response ${responseId} stored, but its sentiment is ${seen.sentiment ? `"${seen.sentiment.status}"` : 'missing'} after ${seconds(settings.responseTimeoutMs)} (the sentiment provider: see README, Sentiment)`,
      );
      receivedAt = stored.receivedAt;
      return `stored with sentiment ${stored.sentiment.label}`;
    },
    async metrics() {
      // every response stored in the response's hour must be counted: the rollup has then run over ours
      const hour = hourOf(receivedAt);
      let stored = 0;
      let cursor: string | null = null;
      do {
        const query = new URLSearchParams({ from: hour.from, to: new Date(Date.parse(hour.to) - 1).toISOString(), limit: '200', ...(cursor ? { cursor } : {}) });
        const page = await call('GET', `${survey}/responses?${query}`, { admin: true, expect: [200] });
        stored += (page.body?.items ?? []).length;
        cursor = page.body?.cursor ?? null;
      } while (cursor);
      let counted = 0;
      const totals = await waitFor(
        settings.rollupTimeoutMs,
        async () => {
          const query = new URLSearchParams({ from: hour.from, to: hour.to, interval: 'hour' });
          const report = await call('GET', `${survey}/metrics?${query}`, { admin: true, expect: [200] });
          const metrics = report.body?.totals?.metrics;
          counted = typeof metrics?.responses === 'number' ? metrics.responses : 0;
          return counted >= stored ? (metrics as { responses: number; nps?: { score: number } | null }) : undefined;
        },
        () => `the rollup counted ${counted} of the ${stored} responses stored in the hour from ${hour.from} after ${seconds(settings.rollupTimeoutMs)} (the roll-up-metrics schedule runs every minute: see the rollup function's errors alarm)`,
      );
      return `${totals.responses} response${totals.responses === 1 ? '' : 's'} counted in the hour from ${hour.from}, NPS ${totals.nps ? totals.nps.score : '–'}`;
    },
    async followups() {
      const reply = await call('GET', `/v1/followups?${new URLSearchParams({ surveyId, limit: '10' })}`, { admin: true, expect: [200] });
      if (!Array.isArray(reply.body?.items)) throw new StepFailure('GET /v1/followups: the answer has no items list');
      return `${reply.body.items.length} tasks listed`;
    },
    async invitation() {
      const reply = await call('POST', `${survey}/invitations`, {
        admin: true,
        body: { campaign: SMOKE_CAMPAIGN, recipients: [{ customerRef: SMOKE_CUSTOMER }], includeSnippet: false },
        expect: [201],
      });
      const minted = reply.body?.invitations?.[0];
      if (typeof minted?.link !== 'string') throw new StepFailure(`POST ${survey}/invitations: the answer carries no link`);
      link = new URL(minted.link, endpoint).toString();
      return `${minted.existing ? 'the same invitation as before' : 'a new invitation'}, link on ${new URL(link).origin}`;
    },
    async 'invitation-page'() {
      // a link on another origin (the edge's own domain, or a local run standing in for CloudFront) is opened at
      // the endpoint under test, by its path: the same route; the detail says so
      const linked = new URL(link);
      const elsewhere = linked.origin !== new URL(endpoint).origin;
      const page = await call('GET', elsewhere ? `${linked.pathname}${linked.search}` : link, { expect: [200] });
      if (!page.contentType.includes('text/html') || !page.text.includes('<form')) {
        throw new StepFailure(`GET /s/<token>: answered 200 but not the survey form (content-type ${page.contentType || 'none'})`);
      }
      return elsewhere ? `the survey form (HTML), opened here by the path of a link on ${linked.origin}` : 'the survey form (HTML)';
    },
    async tokens() {
      const reply = await call('GET', '/v1/tokens', { admin: true, expect: [200] });
      if (!Array.isArray(reply.body?.items)) throw new StepFailure('GET /v1/tokens: the answer has no items list');
      return `${reply.body.items.length} tokens listed`;
    },
  };

  const results: StepResult[] = [];
  for (const name of STEP_NAMES) {
    const started = Date.now();
    let result: StepResult;
    try {
      result = { name, ok: true, detail: await steps[name](), ms: Date.now() - started };
    } catch (error) {
      // anything but a StepFailure is a defect of the check itself: still reported against the step it broke
      const detail = error instanceof StepFailure ? error.message : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
      result = { name, ok: false, detail, ms: Date.now() - started };
    }
    results.push(result);
    settings.onStep?.(result);
    if (!result.ok) return { ok: false, steps: results, failed: name };
  }
  return { ok: true, steps: results };
}
