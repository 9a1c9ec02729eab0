// integration, on dynalite: stored comments redacted again under the local redactor's newer rules
// (shared/privacy/dynamo-redaction-backfill.ts), as the sweep schedule runs it after an upgrade: what the previous
// rules let through is redacted in the responses and in their follow-up tasks' copies; a survey that keeps comments,
// a comment stored before redaction existed and a clean comment are left as they are; the pass waits for the previous
// version's functions to stop, then runs once.
import { DeleteCommand, GetCommand, UpdateCommand } from '../../shared/aws/dynamodb.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { openTask, taskIdOf } from '../../shared/followups/task.js';
import { createRedactionBackfill, REDACTION_MARKER_ID, redactedAgain } from '../../shared/privacy/dynamo-redaction-backfill.js';
import { LOCAL_REDACTION_RULES } from '../../shared/privacy/local-redactor.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { storedResponse } from '../support/fixtures.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let now = Date.parse('2026-12-07T12:00:00.000Z');
const clock: Clock = { now: () => new Date(now) };
const MINUTE = 60_000;
const NPS_DETRACTOR = { rule: 'nps', question: 'nps', score: 2, atMost: 6 } as const;

beforeAll(async () => {
  dynamo = await startTestDynamo('redaction-backfill');
});
afterAll(async () => {
  await dynamo?.close();
});

const stored = async (id: string) => (await dynamo.db.send(new GetCommand({ TableName: 'responses', Key: { responseId: id } }))).Item;

describe('stored comments under newer redaction rules', () => {
  it('are redacted again once the previous version has stopped, in the responses and their tasks\' copies, and nothing else changes', async () => {
    // Prepare: comments as the previous rules stored them (these numbers are what the current rules find)
    const responses = createDynamoResponseStore(dynamo.db, 'responses', clock);
    const tasks = createDynamoTaskStore(dynamo.db, 'followups', clock);
    const comment = (id: string, text: string, fields: Partial<StoredResponse> = {}) =>
      storedResponse({ id, surveyId: 'shop', expiresAt: Math.floor(now / 1000) + 86_400, comment: text, redaction: { status: 'redacted' }, ...fields });
    const items = [
      comment('national', 'Appelez-moi au 0612345678, merci. [EMAIL]', { redaction: { status: 'redacted', found: { EMAIL: 1 } } }),
      comment('after-word', '我的电话号码是87654321', { redaction: { status: 'local-only', found: {}, reason: 'comprehend:InvalidRequestException' } }),
      comment('clean', 'Great service, order 12345678 arrived on time'),
      comment('kept', 'Call me at 0612345678', { redaction: { status: 'kept' } }),
      comment('before-redaction', 'Call me at 0612345678', { redaction: undefined }),
      comment('routed', 'Late again. My phone number is 612345678', { answers: { nps: 2 }, followUp: { reasons: [NPS_DETRACTOR], routedAt: new Date(now).toISOString() } }),
      // an earlier run stopped between the response and its task: the response is done, the task's copy is not
      comment('task-behind', 'Ring me on [PHONE] please', { answers: { nps: 1 }, followUp: { reasons: [NPS_DETRACTOR], routedAt: new Date(now).toISOString() } }),
    ];
    for (const item of items) await responses.putIfAbsent(item);
    const taskOf = (response: StoredResponse, text: string) =>
      openTask({ response: { ...response, responseId: response.id, comment: text }, reasons: [NPS_DETRACTOR], priority: { level: 'high', score: 40 }, firstContactHours: 24, now: new Date(now) });
    await tasks.putIfAbsent(taskOf(items[5]!, items[5]!.comment!));
    await tasks.putIfAbsent(taskOf(items[6]!, 'Ring me on 0612345678 please'));
    const backfill = createRedactionBackfill(dynamo.db, 'responses', tasks, clock);

    // Act: the first run after the upgrade, then one 15 minutes later, then the next
    const first = await backfill.run(() => true);
    const afterFirst = await stored('national');
    now += 15 * MINUTE;
    const second = await backfill.run(() => true);
    const third = await backfill.run(() => true);

    // Assess: nothing before the previous version can have stopped; then one pass
    expect(first).toEqual({ responses: 0, tasks: 0, done: false });
    expect(afterFirst?.comment).toBe('Appelez-moi au 0612345678, merci. [EMAIL]');
    expect(second).toEqual({ responses: 3, tasks: 2, done: true });
    expect(third).toEqual({ responses: 0, tasks: 0, done: true });
    expect(await stored('national')).toMatchObject({ comment: 'Appelez-moi au [PHONE], merci. [EMAIL]', redaction: { status: 'redacted', found: { EMAIL: 1, PHONE: 1 } } });
    expect(await stored('after-word')).toMatchObject({ comment: '我的电话号码是[PHONE]', redaction: { status: 'local-only', found: { PHONE: 1 }, reason: 'comprehend:InvalidRequestException' } });
    expect(await stored('routed')).toMatchObject({ comment: 'Late again. My phone number is [PHONE]', redaction: { found: { PHONE: 1 } } });
    expect((await stored('clean'))?.comment).toBe('Great service, order 12345678 arrived on time');
    expect((await stored('kept'))?.comment).toBe('Call me at 0612345678');
    expect((await stored('before-redaction'))?.comment).toBe('Call me at 0612345678');
    expect(await tasks.get(taskIdOf('routed'))).toMatchObject({ version: 2, response: { comment: 'Late again. My phone number is [PHONE]' } });
    expect(await tasks.get(taskIdOf('task-behind'))).toMatchObject({ version: 2, response: { comment: 'Ring me on [PHONE] please' } });
    expect(await stored(REDACTION_MARKER_ID)).toEqual({ responseId: REDACTION_MARKER_ID, done: LOCAL_REDACTION_RULES });
    // the marker is no response: no listing shows it
    expect((await responses.listBySurvey({ surveyId: 'shop', limit: 50, now: clock.now() })).items.map((r) => r.id).sort()).toEqual(items.map((r) => r.id).sort());
  });

  it('goes on from where a run stopped, yields to a write made meanwhile, leaves an erased response erased, and takes pending redactions too', async () => {
    // Prepare: a table of its own (a fresh marker), comments under the previous rules, one of them still pending
    const table = 'responses';
    const fresh = await startTestDynamo('redaction-backfill-pass');
    try {
      const responses = createDynamoResponseStore(fresh.db, table, clock);
      const ids = Array.from({ length: 7 }, (_, i) => `old-${i}`);
      for (const id of ids) await responses.putIfAbsent(storedResponse({ id, surveyId: 'shop', expiresAt: Math.floor(now / 1000) + 86_400, comment: `Tel. 0612345678 (${id})`, redaction: { status: id === 'old-6' ? 'pending' : 'redacted' } }));
      // between the backfill's scan and its write: old-2's comment changes, old-4 is erased
      const meanwhile: Record<string, () => Promise<unknown>> = {
        'old-2': () => fresh.db.send(new UpdateCommand({ TableName: table, Key: { responseId: 'old-2' }, UpdateExpression: 'SET #c = :c', ExpressionAttributeNames: { '#c': 'comment' }, ExpressionAttributeValues: { ':c': 'rewritten meanwhile' } })),
        'old-4': () => fresh.db.send(new DeleteCommand({ TableName: table, Key: { responseId: 'old-4' } })),
      };
      const racing = {
        send: async (command: unknown) => {
          const key = command instanceof UpdateCommand ? String(command.input.Key?.responseId) : undefined;
          if (key && meanwhile[key]) await meanwhile[key]!().finally(() => delete meanwhile[key]);
          return fresh.db.send(command as never);
        },
      } as unknown as typeof fresh.db;
      let pages = 0;
      const backfill = createRedactionBackfill(racing, table, createDynamoTaskStore(fresh.db, 'followups', clock), clock, { pageSize: 3 });
      await backfill.run(() => true); // the first run only records the new rules
      now += 15 * MINUTE;

      // Act: a run with time for one page, then the next run
      const first = await backfill.run(() => (pages += 1) <= 1);
      const second = await backfill.run(() => true);

      // Assess: 3 items read in the first run, the rest in the second; every comment under the current rules but the
      // one rewritten meanwhile (the write wins) and the erased one (not brought back)
      expect(first.done).toBe(false);
      expect(first.responses + second.responses).toBe(5);
      expect(second.done).toBe(true);
      const after = async (id: string) => (await fresh.db.send(new GetCommand({ TableName: table, Key: { responseId: id } }))).Item;
      for (const id of ['old-0', 'old-1', 'old-3', 'old-5']) expect((await after(id))?.comment, id).toBe(`Tel. [PHONE] (${id})`);
      expect(await after('old-6')).toMatchObject({ comment: 'Tel. [PHONE] (old-6)', redaction: { status: 'pending', found: { PHONE: 1 } } });
      expect((await after('old-2'))?.comment).toBe('rewritten meanwhile');
      expect(await after('old-4')).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });

  it('redacts a comment again only where the rules find more, and adds what they find to the counts', () => {
    expect(redactedAgain('Call me at [PHONE] or 0612345678', { PHONE: 1, NAME: 2 })).toEqual({ comment: 'Call me at [PHONE] or [PHONE]', found: { PHONE: 2, NAME: 2 } });
    expect(redactedAgain('Call me at [PHONE], [NAME]', { PHONE: 1 })).toBeUndefined();
  });
});
