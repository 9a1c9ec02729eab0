// integration: the CLI's assignment commands against a running local runtime, over HTTP as a user would run them:
// a lead who may assign (cx-leads create --can-assign) lists the survey's leads, assigns a task, and closes tasks in
// bulk with one line per task and exit code 1 when one of them could not be done; a lead who may not assign is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { eventually, request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const cli = (args: string[], token?: string) => runCli(env.runtime.url, args, token);
const tokenOf = (stdout: string) => /token \(shown once\): (\S+)/.exec(stdout)?.[1] ?? '';
const idOf = (stdout: string) => /lead (cx:[0-9a-f]{16}) created/.exec(stdout)?.[1] ?? '';

describe('the CLI for assignment', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('lists the leads, assigns a task, closes tasks in bulk with a line per task, and refuses a lead who may not assign', async () => {
    // Prepare: two leads and two tasks, opened through the pipeline
    const mia = await cli(['cx-leads', 'create', 'Mia', 'demo', '--can-assign']);
    const ben = await cli(['cx-leads', 'create', 'Ben', 'demo']);
    for (const nps of [1, 3]) {
      expect((await request(env.runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'web', answers: { nps } } })).status).toBe(202);
    }
    const taskIds = await eventually(
      async () => {
        await env.runtime.triggerSchedule('route-detractors');
        const items = (await request(env.runtime, 'GET', '/v1/followups?surveyId=demo', { admin: true })).body.items as { id: string }[] | undefined;
        return items?.length === 2 ? items.map((task) => task.id) : undefined;
      },
      120_000,
      'two tasks',
    );
    const [first, second] = taskIds as [string, string];

    // Act
    const leads = await cli(['cx-leads', 'list', 'demo'], tokenOf(mia.stdout));
    const assigned = await cli(['followups', 'assign', first, idOf(ben.stdout)], tokenOf(mia.stdout));
    const refused = await cli(['followups', 'assign', second, idOf(ben.stdout)], tokenOf(ben.stdout));
    const bulk = await cli(['followups', 'bulk', 'no-action', '--ids', `${first},${second},t_unknown`, '--reason', 'staff test orders'], tokenOf(mia.stdout));

    // Assess
    expect(leads.stdout.split('\n').filter(Boolean).map((line) => line.split(/\s{2,}/)[1]).sort()).toEqual(['Ben', 'Mia']);
    expect(assigned).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^${first}  open .* Ben\\n`)) });
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('403') });
    expect(bulk.code).toBe(1);
    expect(bulk.stdout.split('\n').filter(Boolean)).toEqual([`${first}  ok  no_action  Mia`, `${second}  ok  no_action  Mia`, 't_unknown  FAILED 404  task not found', '2 of 3 done']);
  });
});
