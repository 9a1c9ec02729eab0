// integration: the local queue's write-ahead journal. What an engine accepted comes back in a new engine on the same
// journal (as after a SIGKILL); an empty queue empties the journal; a journal far larger than the backlog is
// rewritten as a snapshot of the backlog; a synced journal makes the store durable before it forgets anything.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startQueueEngine, type QueueEngine } from '../../infra/local/engines.js';
import { openQueueJournal, readJournal } from '../../infra/local/queue-journal.js';

const dir = mkdtempSync(join(tmpdir(), 'feedback-journal-'));
mkdirSync(join(dir, 'subfolder'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const clientFor = (engine: QueueEngine) =>
  new SQSClient({ endpoint: new URL(engine.queueUrls.responses).origin, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });

async function send(sqs: SQSClient, engine: QueueEngine, bodies: string[]) {
  for (let i = 0; i < bodies.length; i += 10) {
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: engine.queueUrls.responses, Entries: bodies.slice(i, i + 10).map((MessageBody, j) => ({ Id: String(j), MessageBody })) }));
  }
}

async function consume(sqs: SQSClient, engine: QueueEngine, count: number): Promise<string[]> {
  const bodies: string[] = [];
  while (bodies.length < count) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: engine.queueUrls.responses, MaxNumberOfMessages: Math.min(10, count - bodies.length), WaitTimeSeconds: 1 }));
    if (Messages.length === 0) break;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: engine.queueUrls.responses, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
  return bodies;
}

const eventually = async (check: () => boolean, timeoutMs = 10_000) => {
  for (const deadline = Date.now() + timeoutMs; !check() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 100));
  return check();
};

describe('the local queue journal', () => {
  it.each([
    ['written to the OS (write)', false],
    ['synced (fsync)', true],
  ])('replays what an engine accepted into the next engine, and is emptied once the queue is: %s', async (mode, journalSync) => {
    // Prepare
    const journalPath = join(dir, `replay-${journalSync}.ndjson`);
    // synced: the store to make durable before truncating is this test's folder (files and a subfolder)
    const storePath = journalSync ? dir : undefined;
    const first = await startQueueEngine({ journalPath, journalSync, storePath });
    const sqs = clientFor(first);
    await send(sqs, first, ['a', 'b', 'c']);
    sqs.destroy();

    // Act: the first engine is abandoned without a stop (its journal is what a SIGKILL leaves)
    const second = await startQueueEngine({ journalPath, journalSync, storePath });
    const sqs2 = clientFor(second);
    const replayed = await consume(sqs2, second, 3);
    const emptied = await eventually(() => readFileSync(journalPath, 'utf8') === '');
    // stopped in reverse order of start: each restores the DNS lookup the one before it patched
    await second.stop();
    await first.stop();
    sqs2.destroy();

    // Assess
    expect(second.replayed).toBe(3);
    expect(replayed.sort()).toEqual(['a', 'b', 'c']);
    expect(emptied).toBe(true);
  });

  it('rewrites a journal far larger than the backlog as a snapshot of the backlog', async () => {
    // Prepare: 2,500 messages sent, 2,400 consumed, 100 still queued
    const journalPath = join(dir, 'rewrite.ndjson');
    const engine = await startQueueEngine({ journalPath });
    const sqs = clientFor(engine);
    const sent = Array.from({ length: 2_500 }, (_, i) => `m${i}`);
    await send(sqs, engine, sent);
    const consumed = new Set(await consume(sqs, engine, 2_400));

    // Act: the compactor runs every second and rewrites a journal of ≥ 2,000 messages holding more than twice the
    // backlog + 1,000; a snapshot taken while messages were being consumed may still hold some of those (a superset of
    // the backlog is safe: the process step is idempotent), at most the < 750 held then: never the whole history
    const held = () => readJournal(journalPath).reduce((n, e) => n + e.m.length, 0);
    const rewritten = await eventually(() => held() < 1_000, 30_000);
    const next = await startQueueEngine({ journalPath: join(dir, 'rewrite.ndjson') });
    const sqsNext = clientFor(next);
    const replayed = new Set(await consume(sqsNext, next, next.replayed ?? 0));

    // Assess: far smaller than the history, and nothing of the backlog left out
    expect(rewritten).toBe(true);
    expect(next.replayed).toBeGreaterThanOrEqual(100);
    expect(sent.filter((body) => !consumed.has(body) && !replayed.has(body))).toEqual([]);
    await next.stop();
    await engine.stop();
    sqs.destroy();
    sqsNext.destroy();
  }, 60_000);

  it('makes the store durable before it forgets consumed messages, after the queues were looked at', async () => {
    // Prepare: a synced journal holding two lines, whose hook records what the file held when it ran
    const journalPath = join(dir, 'forget.ndjson');
    const events: string[] = [];
    const journal = await openQueueJournal(journalPath, {
      sync: true,
      beforeForgetting: async () => {
        events.push(`store synced, journal holds ${readJournal(journalPath).length}`);
      },
    });
    await journal.append({ q: 'responses', m: [{ b: 'a' }] });
    await journal.append({ q: 'responses', m: [{ b: 'b' }] });

    // Act: a rewrite keeping one message, then a truncation
    await journal.rewrite(async () => {
      events.push('queues looked at');
      return [{ q: 'responses', m: [{ b: 'b' }] }];
    });
    const afterRewrite = readJournal(journalPath);
    const truncated = await journal.truncateIfUnchanged(journal.appendedCount());
    const afterTruncation = readFileSync(journalPath, 'utf8');
    await journal.close();

    // Assess: the store is synced after the look and before the lines go
    expect(events).toEqual(['queues looked at', 'store synced, journal holds 2', 'store synced, journal holds 1']);
    expect(afterRewrite).toEqual([{ q: 'responses', m: [{ b: 'b' }] }]);
    expect(truncated).toBe(true);
    expect(afterTruncation).toBe('');
  });

  it('forgets nothing when the store cannot be synced', async () => {
    // Prepare
    const journalPath = join(dir, 'unsynced.ndjson');
    const journal = await openQueueJournal(journalPath, {
      sync: true,
      beforeForgetting: () => Promise.reject(new Error('EIO')),
    });
    await journal.append({ q: 'responses', m: [{ b: 'a' }] });

    // Act
    const truncation = journal.truncateIfUnchanged(journal.appendedCount());
    const rewrite = journal.rewrite(async () => []);

    // Assess
    await expect(truncation).rejects.toThrow('EIO');
    await expect(rewrite).rejects.toThrow('EIO');
    expect(readJournal(journalPath)).toEqual([{ q: 'responses', m: [{ b: 'a' }] }]);
    await journal.close();
  });
});
