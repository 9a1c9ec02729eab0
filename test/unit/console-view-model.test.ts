// unit: the console's pure view-model logic: the URL hash ↔ state, each view's links, the API queries a state asks for,
// time left on a task's SLA, the queue's order, the two languages and their plurals, how a trend from the API reads,
// and which periods the trend chart draws.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDuration, slaLeft } from '../../web-console/src/sla.js';
import { breakdownFits, DEFAULT_STATE, inQueue, linkState, mayOutgrowReport, MIN_UNGROUPED_INTERVALS, metricsParams, metricsRange, parseHash, QUEUES, queueRequest, rangeDates, responsesParams, sortOf, stillListed, toHash, viewParams, type ConsoleState } from '../../web-console/src/state.js';
import { queueQueryOf, queueQuerySchema } from '../../shared/followups/queue-query.js';
import { pickLanguage } from '../../web-console/src/strings.js';
import { translator } from '../support/console-words.js';
import { trendVerdict } from '../../web-console/src/trend.js';
import { MIN_PERIODS, trendWindow } from '../../web-console/src/trend-window.js';
import { compareNps, npsOf } from '../../shared/metrics/indices.js';
import { parseMetricsQuery } from '../../shared/metrics/metrics-query.js';
import { MAX_RANGE_DAYS, maxReportIntervals, reportIntervals } from '../../shared/metrics/range-limits.js';
import { reportSizeProblem } from '../../shared/metrics/report.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { MAX_DIMENSION_LENGTH, MAX_QUESTION_ID_LENGTH, MAX_QUESTIONS } from '../../shared/survey/limits.js';
import { surveySchema } from '../../shared/survey/schema.js';
import { fillWords, reasonWording, TASK_WORDS_EN } from '../../shared/followups/task-wording.js';
import { topology } from '../../infra/topology.js';

const NOW = new Date('2026-11-23T15:30:00Z');
const UNITS = { day: 'd', hour: 'h', minute: 'min' };
/** the largest survey the schema takes: every question a rating with the longest id and dimension */
const largestSurvey = () => ({
  ...demoSurvey(['http://127.0.0.1:3000']),
  questions: Array.from({ length: MAX_QUESTIONS }, (_, i) => ({ id: `q${i}`.padEnd(MAX_QUESTION_ID_LENGTH, 'x'), type: 'rating' as const, dimension: `d${i}`.padEnd(MAX_DIMENSION_LENGTH, 'y'), max: 10 as const, weight: 1 })),
  texts: { en: { title: 'Largest', questions: {} } },
});

describe('the URL hash', () => {
  it('round-trips every part of the state, leaving defaults out', () => {
    // Prepare
    const state: ConsoleState = {
      view: 'responses',
      survey: 'demo',
      range: 'custom',
      from: '2026-11-01',
      to: '2026-11-15',
      interval: 'week',
      queue: 'overdue',
      filters: { question: 'nps', min: '0', max: '6', sentiment: 'NEGATIVE', channel: 'web', touchpoint: 'checkout', q: 'late & slow' },
      queueFilters: {},
    };

    // Act
    const hash = toHash(state);

    // Assess
    expect(parseHash(hash)).toEqual(state);
    expect(toHash({ ...DEFAULT_STATE, survey: 'demo' })).toBe('#/overview?survey=demo');
    expect(parseHash('')).toEqual(DEFAULT_STATE);
  });

  it('falls back to defaults for unknown views, values and malformed or reversed custom dates', () => {
    expect(parseHash('#/admin?range=365&interval=hour&queue=lost')).toEqual(DEFAULT_STATE);
    expect(parseHash('#/overview?range=custom&from=2026-11-20&to=2026-11-01').range).toBe('30');
    expect(parseHash('#/overview?range=custom&from=2026-02-31x&to=2026-03-01').range).toBe('30');
    expect(parseHash('#/responses?q=%20%20&channel=email').filters).toEqual({ channel: 'email' });
  });

  it('takes a custom range only within the days the API takes (1970-01-01 to 9998-12-31), so no view asks for a time it refuses', () => {
    expect(parseHash('#/responses?range=custom&from=1969-12-31&to=2026-12-07').range).toBe('30');
    expect(parseHash('#/responses?range=custom&from=2026-12-01&to=9999-01-01').range).toBe('30');
    const widest = parseHash('#/responses?range=custom&from=1970-01-01&to=9998-12-31');
    expect(widest).toMatchObject({ range: 'custom', from: '1970-01-01', to: '9998-12-31' });
    const params = responsesParams(widest, new Date('2026-12-07T12:00:00Z'));
    expect([params.get('from'), params.get('to')]).toEqual(['1970-01-01T00:00:00.000Z', '9998-12-31T23:59:59.999Z']);
  });
});

describe('the queue in the URL hash', () => {
  it('round-trips the queue\'s filters and one task\'s deep link, dropping unknown values', () => {
    // Prepare
    const state: ConsoleState = {
      ...DEFAULT_STATE,
      view: 'followups',
      survey: 'demo',
      queue: 'resolved',
      queueFilters: { assignee: 'none', priority: 'urgent', sla: 'due-soon', touchpoint: 'checkout', q: 'late parcel', sort: 'newest' },
    };

    // Act / Assess
    expect(parseHash(toHash(state))).toEqual(state);
    expect(toHash({ ...DEFAULT_STATE, view: 'followups', survey: 'demo', task: 't_abc123' })).toBe('#/followups/t_abc123?survey=demo');
    expect(parseHash('#/followups/t_abc123?survey=demo')).toMatchObject({ view: 'followups', task: 't_abc123', survey: 'demo' });
    expect(parseHash('#/followups/%3Cx%3E?survey=demo').task).toBeUndefined();
    expect(parseHash('#/overview/t_abc123').task).toBeUndefined();
    expect(parseHash('#/followups?assignee=boss&priority=low&sla=late&sort=random&queue=all').queueFilters).toEqual({});
    expect(parseHash('#/followups?queue=all').queue).toBe('all');
  });

  it('keeps the queue\'s text and touchpoint in the queue\'s links only, and the Responses\' in theirs', () => {
    // Prepare: the queue filtered by text, opened on one task; the Responses view filtered before
    const queue = parseHash('#/followups/t_1?survey=demo&q=late&touchpoint=checkout&assignee=none');
    const remembered = { responses: viewParams(parseHash('#/responses?q=refund'), 'responses') };

    // Act
    const links = Object.fromEntries((['overview', 'followups', 'responses'] as const).map((view) => [view, toHash(linkState(queue, view, remembered))]));

    // Assess: the queue's link returns to the queue (not the one task), with its filters; the others carry none of them
    expect(links).toEqual({
      overview: '#/overview?survey=demo',
      followups: '#/followups?survey=demo&assignee=none&touchpoint=checkout&q=late',
      responses: '#/responses?survey=demo&q=refund',
    });
    expect(parseHash('#/responses?q=refund&assignee=me').queueFilters).toEqual({});
  });
});

describe('the links to each view', () => {
  it('keep a view\'s filters in that view\'s link only, and carry the survey and range to all', () => {
    // Prepare: the Responses view, filtered by text, on a custom range
    const state = parseHash('#/responses?survey=demo&range=custom&from=2026-11-01&to=2026-11-15&q=late&channel=web');

    // Act
    const links = Object.fromEntries((['overview', 'followups', 'responses'] as const).map((view) => [view, toHash(linkState(state, view))]));

    // Assess
    expect(links).toEqual({
      overview: '#/overview?survey=demo&range=custom&from=2026-11-01&to=2026-11-15',
      followups: '#/followups?survey=demo&range=custom&from=2026-11-01&to=2026-11-15',
      responses: '#/responses?survey=demo&range=custom&from=2026-11-01&to=2026-11-15&channel=web&q=late',
    });
  });

  it('return to what each view was last left with: filters, the queue shown, the interval', () => {
    // Prepare: the responses were filtered and the queue narrowed before, and the overview is shown by week now
    const remembered = {
      responses: viewParams(parseHash('#/responses?q=late'), 'responses'),
      followups: viewParams(parseHash('#/followups?queue=overdue'), 'followups'),
    };
    const overview = parseHash('#/overview?survey=demo&interval=week');

    // Act + Assess
    expect(toHash(linkState(overview, 'responses', remembered))).toBe('#/responses?survey=demo&q=late');
    expect(toHash(linkState(overview, 'followups', remembered))).toBe('#/followups?survey=demo&queue=overdue');
    expect(toHash(linkState(overview, 'overview', remembered))).toBe('#/overview?survey=demo&interval=week');
  });
});

describe('the API queries of a state', () => {
  it('cover the last N UTC days up to today, both inclusive, or the custom days', () => {
    expect(rangeDates({ range: '7' }, NOW)).toEqual({ from: '2026-11-17', to: '2026-11-23' });
    expect(rangeDates({ range: '30' }, new Date('2026-03-01T00:00:00Z'))).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(rangeDates({ range: 'custom', from: '2026-10-01', to: '2026-10-31' }, NOW)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('ask the metrics API for date-only ranges and the responses API for whole-day date-times with the filters', () => {
    const state = parseHash('#/responses?range=7&interval=month&min=3&sentiment=MIXED');
    expect(Object.fromEntries(metricsParams(state, metricsRange(state, NOW), 'channel'))).toEqual({ from: '2026-11-17', to: '2026-11-23', interval: 'month', groupBy: 'channel' });
    // a score range without its question is dropped rather than sent to be refused
    expect(Object.fromEntries(responsesParams(state, NOW))).toEqual({ from: '2026-11-17T00:00:00.000Z', to: '2026-11-23T23:59:59.999Z', sentiment: 'MIXED' });
    expect(Object.fromEntries(responsesParams({ ...state, filters: { question: 'nps', max: '6' } }, NOW))).toMatchObject({ question: 'nps', max: '6' });
  });

  it('ask for the breakdown by a dimension exactly when the API answers it, from the same limit on the survey\'s questions', () => {
    // Prepare: the demo survey, and custom ranges of every length up to two years by day, week and month
    const demo = surveySchema.parse(demoSurvey(['http://127.0.0.1:3000']));
    const to = '2026-11-23';
    const states = (['day', 'week', 'month'] as const).flatMap((interval) =>
      Array.from({ length: MAX_RANGE_DAYS }, (_, days): ConsoleState => ({ ...DEFAULT_STATE, range: 'custom', from: new Date(Date.parse(to) - days * 86_400_000).toISOString().slice(0, 10), to, interval })),
    );

    // Act: what the console decides, and what the API decides for the request the console would send
    const decisions = states.map((state) => {
      const query = parseMetricsQuery(Object.fromEntries(metricsParams(state, metricsRange(state, NOW), 'channel')), NOW);
      if (!query.success) throw new Error(JSON.stringify(query.details));
      return { console: breakdownFits(state, NOW, demo), api: reportSizeProblem(demo, query.data) === undefined };
    });

    // Assess: the same every time; by day past the limit, by week only near two years, by month never
    expect(decisions.filter((d) => d.console !== d.api)).toEqual([]);
    const refused = (interval: string) => decisions.filter((d, i) => states[i]!.interval === interval && !d.console).length;
    expect([refused('day'), refused('month')]).toEqual([MAX_RANGE_DAYS - maxReportIntervals(demo, true), 0]);
    expect(refused('week')).toBeGreaterThan(0);
    expect(breakdownFits({ ...DEFAULT_STATE, range: '90' }, NOW, demo)).toBe(true);
  });

  it('leave the breakdown to the API when the survey read is not as the console expects, rather than failing or refusing it', () => {
    // Prepare: two years by day, more than any survey's breakdown holds; survey bodies the console cannot size
    const state: ConsoleState = { ...DEFAULT_STATE, range: 'custom', from: '2024-11-24', to: '2026-11-23' };
    const rating = { id: 'speed', type: 'rating', dimension: 'speed', max: 5, weight: 1 };
    const unreadable = [undefined, null, {}, { questions: null }, { questions: 'nps' }, { questions: [null] }, { questions: [{ ...rating, id: 7 }] }, { questions: [{ ...rating, dimension: undefined }] }];

    // Act
    const decisions = unreadable.map((survey) => breakdownFits(state, NOW, survey));

    // Assess: no decision (the console asks and the API decides); a survey it can read still gets one
    expect(decisions).toEqual(unreadable.map(() => undefined));
    expect(breakdownFits(state, NOW, { questions: [rating] })).toBe(false);
  });

  it('ask the metrics API for the last 731 days of a longer custom range, which it takes, and the responses API for all of it', () => {
    // Prepare: six years, the longest range the metrics API takes (731 days, both ends included), and one day more
    const sixYears = parseHash('#/overview?range=custom&from=2020-01-01&to=2025-12-31&interval=week');
    const longest = parseHash('#/overview?range=custom&from=2024-01-01&to=2025-12-31');
    const dayMore = parseHash('#/overview?range=custom&from=2023-12-31&to=2025-12-31');

    // Act
    const asked = [sixYears, longest, dayMore].map((state) => Object.fromEntries(metricsParams(state, metricsRange(state, NOW))));

    // Assess: the range ends where it was chosen to and starts no earlier than the API takes; the API takes each
    expect(asked.map(({ from, to }) => [from, to])).toEqual([
      ['2024-01-01', '2025-12-31'],
      ['2024-01-01', '2025-12-31'],
      ['2024-01-01', '2025-12-31'],
    ]);
    for (const query of asked) expect(parseMetricsQuery(query, NOW)).toMatchObject({ success: true });
    expect((Date.parse('2025-12-31') - Date.parse('2024-01-01')) / 86_400_000 + 1).toBe(MAX_RANGE_DAYS);
    expect(metricsRange(sixYears, NOW)).toEqual({ from: '2024-01-01', to: '2025-12-31', clipped: true });
    expect(metricsRange(longest, NOW)).toEqual({ from: '2024-01-01', to: '2025-12-31', clipped: false });
    // the responses keep the whole range
    expect(Object.fromEntries(responsesParams(sixYears, NOW))).toMatchObject({ from: '2020-01-01T00:00:00.000Z', to: '2025-12-31T23:59:59.999Z' });
  });

  it("ask for the most recent intervals an ungrouped report of the survey's questions holds, exactly those the API answers, and say so", () => {
    // Prepare: the largest survey the schema takes (every question a rating with the longest id and dimension), and
    // custom ranges of every length up to two years by day, week and month
    const largest = surveySchema.parse(largestSurvey());
    const to = '2026-11-23';
    const states = (['day', 'week', 'month'] as const).flatMap((interval) =>
      Array.from({ length: MAX_RANGE_DAYS }, (_, days): ConsoleState => ({ ...DEFAULT_STATE, range: 'custom', from: new Date(Date.parse(to) - days * 86_400_000).toISOString().slice(0, 10), to, interval })),
    );

    // Act: the range the console asks for once the survey is read, and what the API makes of it and of the whole range
    const decisions = states.map((state) => {
      const range = metricsRange(state, NOW, largest);
      const asked = parseMetricsQuery(Object.fromEntries(metricsParams(state, range)), NOW);
      const whole = parseMetricsQuery(Object.fromEntries(metricsParams(state, metricsRange(state, NOW))), NOW);
      if (!asked.success || !whole.success) throw new Error('a range the API does not read');
      return { state, range, answered: reportSizeProblem(largest, asked.data) === undefined, wholeAnswered: reportSizeProblem(largest, whole.data) === undefined, intervals: reportIntervals(state.interval, asked.data.from, asked.data.to) };
    });

    // Assess: every range asked for is answered; the whole range whenever the API answers it, else its last `held`
    // intervals (no fewer), ending on the day chosen; by day past 404 days only, by week and month never
    const held = maxReportIntervals(largest, false);
    expect(held).toBe(404);
    expect(decisions.filter((d) => !d.answered)).toEqual([]);
    expect(decisions.filter((d) => d.wholeAnswered === (d.range.held !== undefined))).toEqual([]);
    for (const d of decisions.filter((d) => d.range.held !== undefined)) {
      expect({ held: d.range.held, intervals: d.intervals, to: d.range.to, later: d.range.from > d.state.from! }).toEqual({ held, intervals: held, to, later: true });
    }
    expect(decisions.filter((d) => d.range.held !== undefined).map((d) => d.state.interval)).toEqual(Array(MAX_RANGE_DAYS - held).fill('day'));
    expect(metricsRange({ ...DEFAULT_STATE, range: 'custom', from: '2024-11-24', to }, NOW, largest)).toEqual({ from: '2025-10-16', to, clipped: false, held });
    // a longer range is cut to 731 days first, then to the survey's days; by week its 731 days fit
    expect(metricsRange({ ...DEFAULT_STATE, range: 'custom', from: '2020-01-01', to }, NOW, largest)).toEqual({ from: '2025-10-16', to, clipped: true, held });
    expect(metricsRange({ ...DEFAULT_STATE, range: 'custom', from: '2020-01-01', to, interval: 'week' }, NOW, largest)).toEqual({ from: '2024-11-23', to, clipped: true });

    // Assess: the notice in both languages, naming what is shown
    expect(translator('en')('intervalsClipped', { n: held, interval: 'day', from: '2025-10-16', to })).toBe(
      "With this survey's questions one report holds at most 404 periods by day, so these figures are for the last 404 (2025-10-16 to 2026-11-23).",
    );
    expect(translator('zh-CN')('intervalsClipped', { n: held, interval: '日', from: '2025-10-16', to })).toBe('按此调查的题目，一份报告按日最多容纳 404 个周期，因此这里是最后 404 个周期（2025-10-16 至 2026-11-23）的指标。');
  });

  it('wait for the survey only for a range some survey the schema takes has too many intervals for, and leave an unreadable one to the API', () => {
    // Prepare: the smallest capacity is the largest survey's; the schema takes nothing larger
    const largest = largestSurvey();
    expect(MIN_UNGROUPED_INTERVALS).toBe(maxReportIntervals(surveySchema.parse(largest), false));
    const longer = (change: (q: Record<string, unknown>) => Record<string, unknown>) => ({ ...largest, questions: largest.questions.map((q, i) => (i === 0 ? change(q) : q)) });
    const tooLarge = [
      { ...largest, questions: [...largest.questions, { ...largest.questions[0]!, id: 'one-more' }] },
      longer((q) => ({ ...q, id: `${q.id}x` })),
      longer((q) => ({ ...q, dimension: `${q.dimension}x` })),
    ];
    expect(tooLarge.map((survey) => surveySchema.safeParse(survey).success)).toEqual([false, false, false]);
    const byDay = (days: number, interval: ConsoleState['interval'] = 'day'): ConsoleState => ({ ...DEFAULT_STATE, range: 'custom', from: new Date(Date.parse('2026-11-23') - (days - 1) * 86_400_000).toISOString().slice(0, 10), to: '2026-11-23', interval });

    // Act
    const waits = [byDay(MIN_UNGROUPED_INTERVALS), byDay(MIN_UNGROUPED_INTERVALS + 1), byDay(MAX_RANGE_DAYS, 'week'), byDay(MAX_RANGE_DAYS, 'month'), { ...DEFAULT_STATE, range: '90' as const }].map((state) => mayOutgrowReport(state, NOW));

    // Assess: only past the smallest capacity by day; 90 days and two years by week or month never wait
    expect(waits).toEqual([false, true, false, false, false]);
    expect(metricsRange(byDay(MIN_UNGROUPED_INTERVALS), NOW, surveySchema.parse(largest)).held).toBeUndefined();
    const rating = { id: 'speed', type: 'rating', dimension: 'speed', max: 5, weight: 1 };
    const unreadable = [undefined, null, {}, { questions: null }, { questions: 'nps' }, { questions: [null] }, { questions: [{ ...rating, id: 7 }] }, { questions: [{ ...rating, dimension: undefined }] }];
    expect(unreadable.map((survey) => metricsRange(byDay(MAX_RANGE_DAYS), NOW, survey))).toEqual(unreadable.map(() => metricsRange(byDay(MAX_RANGE_DAYS), NOW)));
  });

  it('send a score range as the decimal digits the API reads, however the number field wrote it', () => {
    // Prepare: a number field (type=number, step 1) submits "5.0" or "1e1" as typed, both valid to the browser
    const state = parseHash('#/responses?range=7&question=nps&min=5.0&max=1e1');

    // Act
    const asked = Object.fromEntries(responsesParams(state, NOW));

    // Assess: the API refuses anything but digits (shared/query-values.ts); what is no whole number is left for it to name
    expect(asked).toMatchObject({ question: 'nps', min: '5', max: '10' });
    expect(Object.fromEntries(responsesParams({ ...state, filters: { question: 'nps', min: '5.5' } }, NOW))).toMatchObject({ min: '5.5' });
  });

  it("show the sort the API applies when none is chosen, for every queue, with or without an SLA filter", () => {
    for (const queue of QUEUES) {
      for (const sla of [undefined, 'due-soon'] as const) {
        // Prepare
        const state = { queue, queueFilters: sla ? { sla } : {} };
        const asked = Object.fromEntries(queueRequest('demo', state, 'admin')) as Record<string, string>;

        // Act
        const applied = queueQueryOf(queueQuerySchema.parse(asked), 'admin').sort;

        // Assess
        expect({ queue, sla, sort: sortOf(queue, state.queueFilters) }).toEqual({ queue, sla, sort: applied });
      }
    }
    expect(sortOf('all', {})).toBe('newest');
    expect(sortOf('active', {})).toBe('due');
  });

  it('ask for the queue as filtered in one request: my tasks by default for a lead, everyone for an admin', () => {
    const ask = (hash: string, role: string, cursor?: string) => Object.fromEntries(queueRequest('demo', parseHash(hash), role, cursor));
    expect(ask('#/followups', 'cx')).toEqual({ surveyId: 'demo', limit: '200', status: 'open,claimed,contacted', assignee: 'me' });
    expect(ask('#/followups', 'admin')).toEqual({ surveyId: 'demo', limit: '200', status: 'open,claimed,contacted' });
    expect(ask('#/followups?queue=overdue&assignee=all', 'cx')).toEqual({ surveyId: 'demo', limit: '200', sla: 'breached' });
    expect(ask('#/followups?queue=all&assignee=none&priority=high&sla=due-soon&touchpoint=web&q=late&sort=priority', 'cx', 'c1')).toEqual({
      surveyId: 'demo',
      limit: '200',
      assignee: 'none',
      sla: 'due-soon',
      priority: 'high',
      touchpoint: 'web',
      q: 'late',
      sort: 'priority',
      cursor: 'c1',
    });
  });

  it('keep a task after an action only while the filtered queue still lists it', () => {
    const task = { status: 'claimed', dueAt: '2026-11-23T17:00:00Z', assignee: { id: 'cx:ana' }, priority: { level: 'high' } };
    const ana = { actorId: 'cx:ana', role: 'cx' };
    const keeps = (hash: string, patch = {}, caller = ana) => stillListed(parseHash(hash), { ...task, ...patch }, caller, NOW);
    expect(keeps('#/followups')).toBe(true);
    expect(keeps('#/followups', {}, { actorId: 'cx:bo', role: 'cx' })).toBe(false);
    expect(keeps('#/followups?assignee=none')).toBe(false);
    expect(keeps('#/followups?assignee=all&queue=open')).toBe(false);
    expect(keeps('#/followups?priority=urgent')).toBe(false);
    expect(keeps('#/followups?sla=due-soon')).toBe(true);
    expect(keeps('#/followups?sla=due-soon', { status: 'contacted' })).toBe(false);
    expect(keeps('#/followups?sla=breached')).toBe(false);
    expect(keeps('#/followups?queue=all', { status: 'resolved' })).toBe(true);
  });

  it('keep a task after an action only while its queue still lists it: never once closed', () => {
    expect(['open', 'claimed', 'contacted', 'resolved', 'no_action'].map((status) => inQueue('active', { status }))).toEqual([true, true, true, false, false]);
    expect(inQueue('open', { status: 'claimed' })).toBe(false);
    expect(inQueue('claimed', { status: 'claimed' })).toBe(true);
    expect(inQueue('overdue', { status: 'claimed', overdue: true })).toBe(true);
    expect(inQueue('overdue', { status: 'contacted', overdue: false })).toBe(false);
    expect(inQueue('overdue', { status: 'resolved', overdue: false })).toBe(false);
  });
});

describe('time left on the SLA', () => {
  const task = (fields: Partial<Parameters<typeof slaLeft>[0]>) => ({ status: 'open', dueAt: '2026-11-24T18:45:00Z', priority: { level: 'normal', score: 10 }, ...fields });

  it('counts down to the due time, then up past it, and stops once contacted or closed', () => {
    expect(slaLeft(task({}), NOW)).toEqual({ state: 'due', ms: (27 * 60 + 15) * 60_000 });
    expect(slaLeft(task({ dueAt: '2026-11-23T15:00:00Z', status: 'claimed' }), NOW)).toEqual({ state: 'overdue', ms: 30 * 60_000 });
    expect(slaLeft(task({ status: 'contacted', contactedAt: '2026-11-23T10:00:00Z' }), NOW).state).toBe('met');
    expect(slaLeft(task({ status: 'resolved', dueAt: '2026-11-23T09:00:00Z', contactedAt: '2026-11-23T10:00:00Z' }), NOW).state).toBe('missed');
    expect(slaLeft(task({ status: 'resolved' }), NOW).state).toBe('closed');
  });

  it('reads as its two largest units', () => {
    expect(formatDuration((27 * 60 + 15) * 60_000, UNITS)).toBe('1 d 3 h');
    expect(formatDuration(48 * 3_600_000, UNITS)).toBe('2 d');
    expect(formatDuration(200 * 60_000 + 59_999, UNITS)).toBe('3 h 20 min');
    expect(formatDuration(5 * 3_600_000, UNITS)).toBe('5 h');
    expect(formatDuration(59_000, UNITS)).toBe('0 min');
    expect(formatDuration(-5, UNITS)).toBe('0 min');
  });
});

describe('the console strings', () => {
  it('speak English and Simplified Chinese, filling placeholders', () => {
    expect(translator('en')('slaOverdue', { left: '2 h' })).toBe('Overdue by 2 h');
    expect(translator('zh-CN')('followups')).toBe('跟进队列');
    expect(translator('zh-CN')('answers', { n: 12 })).toBe('12 个回答');
  });

  it('word a task\'s reasons in both languages, the English exactly as the CLI prints them', () => {
    // Prepare
    const reasons = [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }, { rule: 'negative-comment', confidence: 0.953, atLeast: 0.8 }, { rule: 'keyword', keyword: '退款' }] as const;
    const worded = (language: 'en' | 'zh-CN') => reasons.map((reason) => {
      const { key, vars } = reasonWording(reason);
      return translator(language)(key, vars);
    });

    // Act + Assess
    expect(worded('en')).toEqual(reasons.map((reason) => fillWords(TASK_WORDS_EN[reasonWording(reason).key], reasonWording(reason).vars)));
    expect(worded('en')).toEqual(['NPS 2 (≤ 6)', 'negative comment (0.95 ≥ 0.80)', 'keyword “退款”']);
    expect(worded('zh-CN')).toEqual(['NPS 2（≤ 6）', '负面评论（0.95 ≥ 0.80）', '关键词“退款”']);
    expect(translator('zh-CN')('notScored', { language: 'zh' })).toBe('未评分（zh）');
  });

  it('choose each count\'s plural form by the language\'s rules (Intl.PluralRules)', () => {
    const en = translator('en');
    const zh = translator('zh-CN');
    expect([0, 1, 2].map((n) => en('responsesShown', { n }))).toEqual(['0 responses shown', '1 response shown', '2 responses shown']);
    expect(en('answers', { n: 1 })).toBe('1 answer');
    expect(en('tasksShown', { n: 1 })).toBe('1 task, soonest due first');
    expect(en('exported', { n: 1 })).toBe('Exported 1 row.');
    expect(en('notesCount', { n: 3 })).toBe('3 notes');
    expect(en('unscoredComments', { n: 1, detail: '1 waiting to be scored' })).toBe('1 comment is not in the mix: 1 waiting to be scored');
    // Chinese has one form
    expect([1, 2].map((n) => zh('responsesShown', { n }))).toEqual(['已显示 1 条回复', '已显示 2 条回复']);
  });

  it('say how soon a new answer shows with the figures the docs give, the rollup as often as it is scheduled', () => {
    // Prepare: the docs' figures for the console's line, and the rollup's schedule
    const read = (doc: string) => readFileSync(new URL(`../../docs/${doc}`, import.meta.url), 'utf8').replace(/\s+/g, ' ');
    const said = /how soon a new answer shows: in Responses (within \w+), in the metrics (within [\w ]+?) \(the rollup counts them (every [\w ]+?);/.exec(read('cx-console.md'));
    expect(said).not.toBeNull();
    const [, stored, counted, every] = said!;
    const rollup = topology.schedules.find((schedule) => schedule.name === 'roll-up-metrics')!;

    // Act
    const line = translator('en')('freshness');

    // Assess: the console says each of the docs' figures; the docs say the schedule's, and metrics.md the same delay
    for (const figure of [stored, counted, every]) expect(line).toContain(figure);
    expect(every).toBe(rollup.everyMinutes === 1 ? 'every minute' : `every ${rollup.everyMinutes} minutes`);
    expect(read('metrics.md')).toContain(`a response counts from the first rollup after it is stored (${counted!.replace(/^within /, '')})`);
    // the Chinese line says the same three: within seconds, within a minute or two, every minute
    expect(translator('zh-CN')('freshness')).toMatch(/几秒内.*一两分钟内.*每分钟/);
  });

  it('start in the saved language, else the browser\'s (any Chinese is zh-CN), else English', () => {
    expect(pickLanguage('en', ['zh-TW'])).toBe('en');
    expect(pickLanguage(null, ['zh-TW', 'en'])).toBe('zh-CN');
    expect(pickLanguage('fr', ['de-DE'])).toBe('en');
  });
});

describe('a trend from the metrics API', () => {
  /** NPS counts on 0…10 from promoters (10), passives (8) and detractors (0) */
  const nps = (promoters: number, passives: number, detractors: number) =>
    npsOf(Array.from({ length: 11 }, (_, score) => (score === 10 ? promoters : score === 8 ? passives : score === 0 ? detractors : 0)));

  it('reads as the API judged it: a significant fall or rise, too few answers, or within the margin', () => {
    // Prepare: trends as the API builds them (shared/metrics/indices.ts), so the console shows the same rule
    const fall = compareNps(nps(333, 417, 250), nps(500, 333, 167))!;
    const rise = compareNps(nps(500, 333, 167), nps(333, 417, 250))!;
    const oneAgainstOne = compareNps(nps(0, 0, 1), nps(1, 0, 0))!;
    const noise = compareNps(nps(40, 30, 30), nps(50, 30, 20))!;

    // Act + Assess
    expect([fall, rise, oneAgainstOne, noise].map((trend) => trend.significant)).toEqual([true, true, false, false]);
    expect(trendVerdict(fall)).toBe('down');
    expect(trendVerdict(rise)).toBe('up');
    expect(trendVerdict(oneAgainstOne)).toBe('tooFewAnswers');
    expect(trendVerdict(noise)).toBe('withinMargin');
  });

  it('reads an older server\'s trend without sample figures by its flag alone', () => {
    expect(trendVerdict({ change: -3, marginOfError: 0, significant: false })).toBe('withinMargin');
    expect(trendVerdict({ change: -3, marginOfError: 1, significant: true })).toBe('down');
  });

  it('names the minimum sample in both languages', () => {
    expect(translator('en')('tooFewAnswers', { n: 30 })).toBe('too few answers to judge (under 30 in a period)');
    expect(translator('zh-CN')('tooFewAnswers', { n: 30 })).toContain('30');
  });
});

describe('the periods the trend chart draws', () => {
  const days = (responses: number[]) => responses.map((n, i) => ({ start: `2026-11-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`, responses: n }));

  it('start at the first period with answers, keeping at least the minimum number of periods', () => {
    // Prepare: a fresh install's 30 days, answers on the last two
    const fresh = days([...new Array<number>(28).fill(0), 3, 4]);

    // Act
    const shown = trendWindow(fresh, MIN_PERIODS.day);

    // Assess: the last 7 days, and which
    expect(shown).toMatchObject({ from: '2026-11-24', first: '2026-11-29', trimmed: true });
    expect(shown?.points.map((p) => p.responses)).toEqual([0, 0, 0, 0, 0, 3, 4]);
  });

  it('draw the whole range when answers start on its first period or it is short, and nothing when there are none', () => {
    expect(trendWindow(days([5, 0, 0, 0, 0, 0, 0, 0, 1]), 7)).toMatchObject({ from: '2026-11-01', trimmed: false });
    expect(trendWindow(days([0, 0, 5, 0, 0, 0, 0, 0, 1]), 7)).toMatchObject({ from: '2026-11-03', first: '2026-11-03', trimmed: true });
    expect(trendWindow(days([0, 2, 0]), 7)).toMatchObject({ from: '2026-11-01', trimmed: false });
    expect(trendWindow(days([0, 0, 0]), 7)).toBeNull();
  });
});
