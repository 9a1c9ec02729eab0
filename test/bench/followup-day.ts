// bench: one scripted working day of follow-up against real dynalite, with the domain use cases and a virtual clock.
// `npx tsx test/bench/followup-day.ts` (or BENCH_CASES=followup-day npm run bench) prints the day's follow-up metrics.
//   - one survey, round-robin auto-assignment among three leads, the default root causes, first contact within 4 h
//   - 100 detractors routed between 08:00 and 18:00 UTC, each opened by the real task-opening use case (makeOpenTask)
//     from a routed-detractor message: seeded scores, comments (in five themes), touchpoints and customers
//   - the leads work differently: Ana fast and thorough, Bo slower (his late tasks are still open at the end of the
//     day), Cy leaves a share untouched and closes some with no action; each claims, notes, marks contacted and
//     resolves through the CX use cases (makeWorkTasks), with a root cause drawn from the comment's theme
//   - some customers answer the re-survey (makeResurvey): 4–5 counts as recovered
//   - at 19:00 the metrics report's follow-up block (makeReportFollowUps) is read and printed as plain tables
// Every draw comes from seeded generators and every event from a virtual clock, so the output is the same on each run.
import { fileURLToPath } from 'node:url';
import { principalOfToken, tokenHashOf, type Principal } from '../../shared/access/principal.js';
import { createDynamoCxLeadStore } from '../../shared/access/dynamo-cx-lead-store.js';
import type { AccessToken } from '../../shared/access/tokens.js';
import type { Clock } from '../../shared/clock.js';
import { createDynamoAssignmentTurns } from '../../shared/followups/dynamo-assignment-turns.js';
import { createDynamoNotificationStore } from '../../shared/followups/dynamo-notification-store.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import type { FollowUpBreakdown, GroupFigures } from '../../shared/followups/followup-breakdown.js';
import type { FollowUpMetrics } from '../../shared/followups/followup-metrics.js';
import { makeOpenTask } from '../../shared/followups/open-tasks.js';
import { makeReportFollowUps } from '../../shared/followups/report-followups.js';
import { makeResurvey } from '../../shared/followups/resurvey.js';
import type { FollowUpTask } from '../../shared/followups/task.js';
import { makeWorkTasks, resurveyTokenOf } from '../../shared/followups/work-tasks.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { startTestDynamo } from '../support/dynamo.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { surveyIdsOf } from '../../shared/survey/survey-catalog.js';

const SURVEY_ID = 'shop';
const DAY = '2026-12-07';
const at = (hhmm: string) => Date.parse(`${DAY}T${hhmm}:00.000Z`);
const FIRST_DETRACTOR = at('08:00');
const LAST_DETRACTOR = at('18:00');
/** the leads stop working at 18:30; the report is read at 19:00 */
const END_OF_WORK = at('18:30');
const REPORT_AT = at('19:00');
const MINUTE = 60_000;
const DETRACTORS = 100;
const LINK_KEYS = [{ kid: 'day', secret: 'followup-day-link-secret-0123456789abcdef' }];

/** mulberry32: a small seeded generator, so every run draws the same numbers */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const between = (rng: () => number, low: number, high: number) => low + Math.floor(rng() * (high - low + 1));
function pick<T>(rng: () => number, weighted: readonly (readonly [T, number])[]): T {
  let r = rng() * weighted.reduce((sum, [, w]) => sum + w, 0);
  for (const [value, weight] of weighted) if ((r -= weight) < 0) return value;
  return weighted.at(-1)![0];
}

type Theme = 'delivery' | 'product' | 'billing' | 'support' | 'price';
/** what the detractors write about, how often, where, and the root causes such a comment is closed with */
const THEMES: Record<Theme, { weight: number; touchpoint: string; comments: string[]; rootCauses: [string, number][] }> = {
  delivery: { weight: 30, touchpoint: 'delivery', comments: ['The parcel arrived four days late', 'The courier left the box in the rain', 'Still waiting for my order'], rootCauses: [['delivery', 80], ['support', 10], ['other', 10]] },
  product: { weight: 25, touchpoint: 'product', comments: ['The blender broke after two days', 'The colour is nothing like the photo', 'Parts were missing from the box'], rootCauses: [['product defect', 75], ['delivery', 10], ['other', 15]] },
  billing: { weight: 15, touchpoint: 'checkout', comments: ['I was charged twice', 'The refund never arrived', 'The invoice has the wrong address'], rootCauses: [['billing', 80], ['support', 10], ['other', 10]] },
  support: { weight: 15, touchpoint: 'support', comments: ['Nobody answered my emails', 'The chat agent was rude', 'I waited 40 minutes on the phone'], rootCauses: [['support', 80], ['other', 20]] },
  price: { weight: 15, touchpoint: 'checkout', comments: ['Too expensive for what it is', 'Cheaper elsewhere', 'The shipping costs are a rip-off'], rootCauses: [['price', 75], ['billing', 10], ['other', 15]] },
};
const ACTIONS: Record<string, string> = {
  delivery: 'Resent by express',
  'product defect': 'Sent a replacement',
  billing: 'Refunded the difference',
  support: 'Apologised and escalated to the support lead',
  price: 'Offered a loyalty discount',
  other: 'Called back and explained',
};

/** how a lead works a task: minutes to pick it up, to reach the customer, to resolve; shares; recovery odds */
interface Style {
  pickup: [number, number];
  contact: [number, number];
  resolve: [number, number];
  /** share of tasks never touched today */
  untouched: number;
  /** share of touched tasks closed with no action right after claiming */
  noAction: number;
  /** share of worked tasks with a note */
  notes: number;
  /** of the answered re-surveys, the share answering 4–5 */
  recovers: number;
}
const LEADS: { id: string; name: string; style: Style }[] = [
  { id: 'a0000000000000a1', name: 'Ana', style: { pickup: [5, 25], contact: [10, 30], resolve: [15, 45], untouched: 0, noAction: 0, notes: 1, recovers: 0.8 } },
  { id: 'b0000000000000b2', name: 'Bo', style: { pickup: [30, 150], contact: [30, 120], resolve: [60, 180], untouched: 0, noAction: 0.05, notes: 0.5, recovers: 0.6 } },
  { id: 'c0000000000000c3', name: 'Cy', style: { pickup: [15, 60], contact: [15, 60], resolve: [20, 60], untouched: 0.2, noAction: 0.25, notes: 0, recovers: 0.5 } },
];
/** share of resolved tasks whose customer answers the re-survey before the report */
const RESURVEY_ANSWERED = 0.5;

export interface FollowUpDay {
  tasks: FollowUpTask[];
  report: FollowUpMetrics & FollowUpBreakdown;
  /** tasks per lead, as round-robin opened them */
  split: { name: string; tasks: number }[];
}

/** the day, simulated: a queue of timed events on a virtual clock, run in time order */
export async function runFollowUpDay(): Promise<FollowUpDay> {
  const dynamo = await startTestDynamo('followup-day', { legacyIndexes: false });
  try {
    let now = FIRST_DETRACTOR;
    const clock: Clock = { now: () => new Date(now) };
    const tasks = createDynamoTaskStore(dynamo.db, 'followups', clock);
    const notifications = createDynamoNotificationStore(dynamo.db, 'notifications');
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    const leads = createDynamoCxLeadStore(dynamo.db, 'cxLeads');
    const responses = createDynamoResponseStore(dynamo.db, 'responses', clock, { legacyIndex: false });
    const turns = createDynamoAssignmentTurns(dynamo.db, 'notifications');

    await surveys.put(
      surveySchema.parse({
        id: SURVEY_ID,
        title: 'Shop',
        channels: ['web', 'email'],
        questions: [{ id: 'nps', type: 'nps' }],
        texts: { en: { title: 'Shop', questions: {} } },
        followUp: { firstContactHours: 4, assignment: { mode: 'round-robin' } },
      }),
    );
    // fixed token ids, so that round-robin's order (by token id) is the same on every run
    const principals = new Map<string, Principal>();
    for (const lead of LEADS) {
      const token: AccessToken = { id: lead.id, name: lead.name, role: 'cx', surveys: [SURVEY_ID], createdAt: new Date(now).toISOString(), createdBy: 'admin' };
      await leads.put(tokenHashOf(`day-token-${lead.id}`), token);
      principals.set(`cx:${lead.id}`, principalOfToken(token));
    }

    const open = makeOpenTask({ tasks, notifications, surveys, clock, autoAssign: { leads, turns } });
    const work = makeWorkTasks({ tasks, notifications, surveys, surveyIds: surveyIdsOf(createDynamoSurveyCatalog(dynamo.db, 'surveys')), linkKeys: async () => LINK_KEYS, clock });
    const resurvey = makeResurvey({ tasks, linkKeys: async () => LINK_KEYS, clock });

    // the event queue: [time, order of scheduling, what happens]
    const events: { at: number; seq: number; run: () => Promise<void> }[] = [];
    let seq = 0;
    const schedule = (when: number, run: () => Promise<void>) => events.push({ at: when, seq: seq++, run });

    const arrivals = seeded(20261207);
    const times = Array.from({ length: DETRACTORS }, () => FIRST_DETRACTOR + Math.floor(arrivals() * (LAST_DETRACTOR - FIRST_DETRACTOR))).sort((a, b) => a - b);
    for (const [i, receivedAt] of times.entries()) {
      const theme = pick(arrivals, Object.entries(THEMES).map(([name, t]) => [name as Theme, t.weight] as const));
      const { comments, touchpoint } = THEMES[theme];
      const score = between(arrivals, 0, 6);
      const response = {
        responseId: `day-${String(i + 1).padStart(3, '0')}`,
        surveyId: SURVEY_ID,
        receivedAt: new Date(receivedAt).toISOString(),
        answers: { nps: score },
        comment: comments[between(arrivals, 0, comments.length - 1)]!,
        sentiment: null,
        channel: arrivals() < 0.7 ? 'web' : 'email',
        touchpoint,
        customerRef: `crm-${between(arrivals, 1000, 1079)}`,
      };
      // routed a minute after it was stored, as the route-detractors schedule does
      schedule(receivedAt + MINUTE, async () => {
        const { task } = await open(JSON.stringify({ response, reasons: [{ rule: 'nps', question: 'nps', score, atMost: 6 }] }));
        workOn(task, theme, seeded(1000 + i));
      });
    }

    /** the assignee's way of working this task, as timed events from its opening */
    function workOn(task: FollowUpTask, theme: Theme, rng: () => number) {
      const lead = LEADS.find((l) => `cx:${l.id}` === task.assignee?.id);
      if (!lead) return;
      const { style } = lead;
      const by = principals.get(task.assignee!.id)!;
      if (rng() < style.untouched) return;
      const claimAt = now + between(rng, ...style.pickup) * MINUTE;
      const rootCause = pick(rng, THEMES[theme].rootCauses);
      if (rng() < style.noAction) {
        const withCause = rng() < 0.5;
        return later(claimAt, async () => {
          await work.act(by, task.id, 'claim', {});
          await work.act(by, task.id, 'resolve', { outcome: 'no_action', reason: 'The customer did not want a call back', ...(withCause ? { rootCause } : {}) });
        });
      }
      const contactAt = claimAt + between(rng, ...style.contact) * MINUTE;
      const resolveAt = contactAt + between(rng, ...style.resolve) * MINUTE;
      const noted = rng() < style.notes;
      const answers = rng() < RESURVEY_ANSWERED;
      const answerAt = resolveAt + between(rng, 20, 120) * MINUTE;
      const answer = rng() < style.recovers ? between(rng, 4, 5) : between(rng, 1, 3);
      later(claimAt, () => work.act(by, task.id, 'claim', {}).then(() => undefined));
      later(contactAt, async () => {
        if (noted) await work.act(by, task.id, 'notes', { text: `Called the customer about: ${task.response.comment}` });
        await work.act(by, task.id, 'contacted', {});
      });
      later(resolveAt, async () => {
        const resolved = await work.act(by, task.id, 'resolve', { rootCause, action: ACTIONS[rootCause] });
        // the customer answers the re-survey link the resolution sent
        const token = resurveyTokenOf(LINK_KEYS, { ...resolved, version: 0 });
        if (answers && token && answerAt <= REPORT_AT) schedule(answerAt, async () => void (await resurvey.answer(token, answer)));
      });
    }
    /** a lead's action, done only within their working day */
    function later(when: number, run: () => Promise<void>) {
      if (when <= END_OF_WORK) schedule(when, run);
    }

    while (events.length) {
      events.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = events.shift()!;
      now = next.at;
      await next.run();
    }

    now = REPORT_AT;
    const report = await makeReportFollowUps({ tasks, responses, surveys, clock })(SURVEY_ID, `${DAY}T00:00:00.000Z`, `${DAY}T23:59:59.999Z`);
    const all = await tasks.listOpenedBetween(SURVEY_ID, `${DAY}T00:00:00.000Z`, `${DAY}T23:59:59.999Z`);
    const split = LEADS.map((lead) => ({ name: lead.name, tasks: all.filter((t) => t.assignee?.id === `cx:${lead.id}` && t.history.some((e) => e.action === 'assign' && e.by.id === 'system' && e.assignee?.id === `cx:${lead.id}`)).length }));
    return { tasks: all, report, split };
  } finally {
    await dynamo.close();
  }
}

const percent = (value: number | null) => (value === null ? '—' : `${value.toFixed(1)}%`);
const hours = (value: number | null | undefined) => (value === null || value === undefined ? '—' : `${value.toFixed(2)} h`);

/** a plain text table: the first column left-aligned, the others right-aligned */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

const GROUP_HEADER = ['opened', 'contacted', 'closed', 'closure %', 'recovery %', 'first contact (median)'];
const groupCells = (g: GroupFigures) => [String(g.opened), String(g.contacted), String(g.closed), percent(g.closureRatePct), percent(g.recoveryRatePct), hours(g.timeToFirstContactHours?.median)];

/** the day's figures as printed: the whole block, by root cause, by assignee, and the round-robin split */
export function dayReport({ report, split }: Pick<FollowUpDay, 'report' | 'split'>): string {
  const r = report.recovery;
  const whole = table(
    ['follow-up metrics, survey shop, 2026-12-07 (read at 19:00 UTC)', 'value'],
    [
      ['tasks opened', String(report.opened)],
      ['contacted', String(report.contacted)],
      ['closed (resolved or no action)', String(report.closed)],
      ['closure rate', percent(report.closureRatePct)],
      ['time to first contact, median', hours(report.timeToFirstContactHours?.median)],
      ['time to first contact, p90', hours(report.timeToFirstContactHours?.p90)],
      ['SLA compliance (first contact within 4 h)', percent(report.slaCompliancePct)],
      ['resolved', String(r.resolved)],
      ['re-surveys answered', String(r.answered)],
      ['recovered (re-survey 4–5)', String(r.recovered)],
      ['recovery rate', percent(r.ratePct)],
    ],
  );
  const byRootCause = table(['root cause', ...GROUP_HEADER], report.byRootCause.map((g) => [g.rootCause, ...groupCells(g)]));
  const byAssignee = table(['assignee', ...GROUP_HEADER], report.byAssignee.map((g) => [g.assignee?.name ?? 'unassigned', ...groupCells(g)]));
  const rr = table(['round-robin split', 'tasks'], split.map((s) => [s.name, String(s.tasks)]));
  return [whole, byRootCause, byAssignee, rr].join('\n\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const day = await runFollowUpDay();
  console.log(dayReport(day));
  console.error(`\n(simulated in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
