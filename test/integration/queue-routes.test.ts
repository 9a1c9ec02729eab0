// integration: the two routes a handler's sends can take to the local queue engine behave alike. Through the SDK (as in
// the cloud) and in-process (the local runtime's gateway thread): each send resolves once its own message is queued,
// a message SQS refuses rejects alone, text SQS would refuse travels escaped, the messages are journaled; and a runtime on the SDK route stores a response.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SQSClient as FunctionSqsClient } from '../../shared/aws/sqs.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQueueEngine } from '../../infra/local/engines.js';
import { readJournal } from '../../infra/local/queue-journal.js';
import { createSqsWorkQueue, QueueSendError } from '../../shared/queue/sqs-work-queue.js';
import { eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

const dir = mkdtempSync(join(tmpdir(), 'feedback-queue-routes-'));
let engine: Awaited<ReturnType<typeof startQueueEngine>>;
let sqs: SQSClient;
let functionSqs: FunctionSqsClient;

beforeAll(async () => {
  engine = await startQueueEngine({ journalPath: join(dir, 'journal.ndjson') });
  sqs = new SQSClient({ endpoint: new URL(engine.queueUrls.responses).origin, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  functionSqs = new FunctionSqsClient({ endpoint: new URL(engine.queueUrls.responses).origin, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(async () => {
  sqs.destroy();
  functionSqs.destroy();
  await engine.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function drain(queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return bodies;
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })) }));
    bodies.push(...Messages.map((m) => m.Body ?? ''));
  }
}

describe.each([
  { route: "the functions' SQS client", queueOf: (url: string) => createSqsWorkQueue<unknown>(functionSqs, url) },
  { route: 'in-process', queueOf: (url: string) => createSqsWorkQueue<unknown>(engine.sendMessages, url, 200, 1) },
])('a work queue through $route', ({ route, queueOf }) => {
  it('resolves each of 25 sends of one tick once its message is queued, and journals them', async () => {
    // Prepare
    const queue = queueOf(engine.queueUrls.responses);
    const messages = Array.from({ length: 25 }, (_, i) => ({ route, n: i }));
    const journaledBefore = readJournal(join(dir, 'journal.ndjson')).flatMap((entry) => entry.m).length;

    // Act
    const outcomes = await Promise.allSettled(messages.map((message) => queue.send(message)));
    const queued = await drain(engine.queueUrls.responses);

    // Assess
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(queued.map((body) => JSON.parse(body)).sort((a, b) => a.n - b.n)).toEqual(messages);
    expect(readJournal(join(dir, 'journal.ndjson')).flatMap((entry) => entry.m).length - journaledBefore).toBe(25);
  });

  it('rejects only the send whose message SQS refuses (larger than the queue takes)', async () => {
    // Prepare: a queue that takes messages of at most 1 KiB
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `small-${route.replace(/\W/g, '')}`, Attributes: { MaximumMessageSize: '1024' } }));
    const queue = queueOf(QueueUrl!);

    // Act
    const [good, refused] = await Promise.allSettled([queue.send({ text: 'fine' }), queue.send({ text: 'x'.repeat(2_000) })]);
    const queued = await drain(QueueUrl!);

    // Assess
    expect(good.status).toBe('fulfilled');
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(QueueSendError);
    expect(refused.status === 'rejected' && String(refused.reason.message)).toContain('InvalidParameterValue');
    expect(queued).toEqual([JSON.stringify({ text: 'fine' })]);
  });

  it('queues text with characters SQS refuses in a body (U+FFFF, and astral ones fauxqs refuses) as JSON escapes of the same text', async () => {
    // Prepare
    const queue = queueOf(engine.queueUrls.responses);
    const text = 'emoji 😀 𝍃, U+FFFF \uFFFF, U+FFFE \uFFFE, NUL \u0000';

    // Act
    await queue.send({ text });
    const queued = await drain(engine.queueUrls.responses);

    // Assess
    expect(queued.map((body) => JSON.parse(body))).toEqual([{ text }]);
  });

  it('rejects every send to a queue that does not exist', async () => {
    // Prepare
    const queue = queueOf(engine.queueUrls.responses.replace(/responses$/, 'no-such-queue'));

    // Act
    const outcomes = await Promise.allSettled([queue.send({ a: 1 }), queue.send({ b: 2 })]);

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  });
});

describe('an in-process work queue with one call in flight, as on the local runtime gateway thread', () => {
  it('holds the sends of later ticks while a call is under way, then sends them together in one call', async () => {
    // Prepare: the engine's own in-process send, with each call's bodies noted; the first call's answer is held
    // until the test lets it go (a journal commit under way), however fast this machine commits
    const calls: string[][] = [];
    let release!: () => void;
    const firstCallUnderWay = new Promise<void>((resolve) => (release = resolve));
    const queue = createSqsWorkQueue<{ n: number }>(
      (queueUrl, bodies) => {
        calls.push(bodies);
        const sent = engine.sendMessages(queueUrl, bodies);
        return calls.length === 1 ? firstCallUnderWay.then(() => sent) : sent;
      },
      engine.queueUrls.responses,
      200,
      1,
    );

    // Act: one send, then two more ticks of sends while its call is still under way
    const first = queue.send({ n: 0 });
    await new Promise((resolve) => setImmediate(resolve));
    const second = [queue.send({ n: 1 }), queue.send({ n: 2 })];
    await new Promise((resolve) => setImmediate(resolve));
    const third = queue.send({ n: 3 });
    release();
    const outcomes = await Promise.allSettled([first, ...second, third]);
    const queued = await drain(engine.queueUrls.responses);

    // Assess: two calls, the held sends in the second; every send resolved and every message queued once
    expect(calls.map((bodies) => bodies.map((body) => JSON.parse(body).n))).toEqual([[0], [1, 2, 3]]);
    expect(outcomes.every((outcome) => outcome.status === 'fulfilled')).toBe(true);
    expect(queued.map((body) => JSON.parse(body).n).sort()).toEqual([0, 1, 2, 3]);
  });
});

describe('a local runtime whose HTTP functions send through the SDK (LOCAL_QUEUE_TRANSPORT=sdk)', () => {
  it('acknowledges a response with 202 and stores it', async () => {
    // Prepare
    const local = await startTestRuntime({ queueTransport: 'sdk' });
    const { runtime } = local;

    // Act
    const reply = await request(runtime, 'POST', '/v1/responses', { body: { surveyId: 'demo', channel: 'api', answers: { nps: 4 }, comment: 'Took a week to arrive.' } });
    const stored = await eventually(async () => (await listAll(runtime, 'demo')).find((item) => item.id === reply.body.id), 15_000, 'the stored response');
    await local.close();

    // Assess
    expect(reply.status).toBe(202);
    expect(stored).toMatchObject({ answers: { nps: 4 }, comment: 'Took a week to arrive.', channel: 'api' });
  });
});
