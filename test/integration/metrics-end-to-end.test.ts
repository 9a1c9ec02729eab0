// integration, end to end on the local runtime: responses submitted over HTTP, consumed from the queue, rolled up by
// the every-minute schedule, and read back as metrics (JSON, CSV) and alerts through the admin API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

describe('the metrics of submitted responses', () => {
  it('follow each response exactly once after the rollup schedule runs, whatever the client retries', async () => {
    // Prepare: 5 answers (2 promoters, 1 passive, 2 detractors) over two channels; one is retried with its key
    const answers = [
      { channel: 'web', nps: 10, csat: 5 },
      { channel: 'web', nps: 9, csat: 4 },
      { channel: 'email', nps: 8 },
      { channel: 'email', nps: 3, csat: 1 },
      { channel: 'api', nps: 0, csat: 2 },
    ];
    const submissions = answers.map(({ channel, ...scores }, i) => ({ surveyId: 'demo', idempotencyKey: `end-to-end-${i}`, channel, answers: scores }));
    for (const submission of [...submissions, submissions[3]]) {
      const reply = await request(env.runtime, 'POST', '/v1/responses', { body: submission });
      expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    }
    await eventually(async () => ((await listAll(env.runtime, 'demo')).length === 5 ? true : undefined), 10_000, 'five stored responses');

    // Act
    await env.runtime.triggerSchedule('roll-up-metrics');
    const report = await request(env.runtime, 'GET', '/v1/surveys/demo/metrics?interval=day&groupBy=channel', { admin: true });
    const csv = await fetch(`${env.runtime.url}/v1/surveys/demo/metrics.csv?interval=day`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const alerts = await request(env.runtime, 'GET', '/v1/surveys/demo/alerts', { admin: true });
    await env.runtime.triggerSchedule('roll-up-metrics');
    const again = await request(env.runtime, 'GET', '/v1/surveys/demo/metrics?interval=day', { admin: true });

    // Assess: NPS (2 − 2) / 5 = 0; CSAT 2 of 4 answers satisfied (the passive skipped it) = 50 %
    expect(report.status).toBe(200);
    expect(report.body.totals.metrics).toMatchObject({ responses: 5, nps: { answers: 5, promoters: 2, passives: 1, detractors: 2, score: 0 } });
    expect(report.body.totals.metrics.csat).toMatchObject({ answers: 4, percentage: 50 });
    const groups = Object.fromEntries(report.body.groups.map((g: any) => [g.key, g.totals.metrics.responses]));
    expect(groups).toEqual({ web: 2, email: 2, api: 1 });
    expect(report.body.series.at(-1).metrics.responses).toBe(5);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await csv.text()).split('\r\n')[0]).toMatch(/^group,start,end,responses,nps,/);
    expect(alerts).toMatchObject({ status: 200, body: { items: [] } });
    expect(again.body.totals.metrics.responses).toBe(5);
  });
});
