// integration, on dynalite: a customer re-answering an e-mail link while the rescore is finishing the previous answer
// (its redaction or sentiment call under way, or between its settle and its detractor mark). The newer revision stays
// exactly as its own processing stored it: the rescore's writes for the revision it read are no-ops, and a later run
// finishes the newer revision from what it holds. No timing: each re-answer is processed from inside the fake
// provider's call (or the dirty-bucket mark) the rescore is waiting on. Below, the store's conditions one by one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UpdateCommand } from '../../shared/aws/dynamodb.js';
import type { Clock } from '../../shared/clock.js';
import type { Invitation } from '../../shared/invitations/invitation.js';
import { queuedResponseOfInvitation } from '../../shared/invitations/invitation-response.js';
import { redactLocally } from '../../shared/privacy/local-redactor.js';
import type { PiiRedactor } from '../../shared/privacy/port.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore, StoredResponse } from '../../shared/response/stored-response.js';
import type { DirtyBuckets } from '../../shared/rollup/dirty-buckets.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { makeRescorePending } from '../../shared/sentiment/rescore-pending.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import type { SurveyStore } from '../../shared/survey/survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { answeredInvitation, storedResponse, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let store: ResponseStore;
let dirty: DirtyBuckets;
let surveys: SurveyStore;
const clock: Clock = { now: () => new Date('2026-11-02T10:00:00.000Z') };
// the default detractor rules: NPS 6 or less, or a comment scored NEGATIVE with confidence 0.8 or more
const survey = surveyWith([{ id: 'nps', type: 'nps' }], { id: 'mail' });

beforeAll(async () => {
  dynamo = await startTestDynamo('rescore-revision-race', { legacyIndexes: false });
  store = createDynamoResponseStore(dynamo.db, 'responses', clock, { legacyIndex: false });
  dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');
  surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
  await surveys.put(survey);
});
afterAll(async () => {
  await dynamo?.close();
});

type Provider = 'up' | 'down';
/** runs `during` (once) inside the call the rescore is waiting on */
type During = { run?: () => Promise<void> };
const duringOnce = async (during: During | undefined) => {
  const run = during?.run;
  if (!during || !run) return;
  during.run = undefined;
  await run();
};

/** the PII provider: up (redacts), or down (the local redaction only, a fault) */
function redactor(state: Provider, during?: During): PiiRedactor {
  return {
    async redact(requests) {
      await duringOnce(during);
      return requests.map(({ id, text }) =>
        state === 'up'
          ? { id, status: 'redacted' as const, ...redactLocally(text) }
          : { id, status: 'failed' as const, ...redactLocally(text), reason: 'comprehend:InternalServerException' },
      );
    },
  };
}

/** the sentiment provider: up (a comment saying "great" is POSITIVE, any other NEGATIVE), or down */
function scorer(state: Provider, during?: During): SentimentAnalyzer {
  return {
    async analyze(requests) {
      await duringOnce(during);
      return requests.map(({ id, text }) => {
        if (state === 'down') return { id, status: 'failed' as const, reason: 'outage' };
        const positive = text.includes('great');
        return { id, status: 'scored' as const, language: 'en', label: positive ? ('POSITIVE' as const) : ('NEGATIVE' as const), scores: { positive: positive ? 0.95 : 0.02, negative: positive ? 0.02 : 0.95, neutral: 0.02, mixed: 0.01 } };
      });
    },
  };
}

const invitation = answeredInvitation;

/** the customer's first answer (a detractor) and the revision that replaces it (a promoter) */
const firstAnswer = { answers: { nps: 1 }, comment: 'Terrible, awful, the worst service ever', revision: 1_000 };
/** a first answer that only its comment makes a detractor, once the comment is scored NEGATIVE */
const lateDetractor = { answers: { nps: 9 }, comment: 'Terrible, awful, the worst service ever', revision: 1_000 };
const reAnswer = { answers: { nps: 10 }, comment: 'Actually it was great, thank you', revision: 2_000 };

/** processes one answer of the invitation with the providers in the given states */
async function answer(inv: Invitation & { answeredAt: string }, given: typeof firstAnswer, providers: { pii: Provider; sentiment: Provider }) {
  const body = JSON.stringify(queuedResponseOfInvitation(inv, survey, given));
  const batch = await makeProcessResponses({ store, sentiment: scorer(providers.sentiment), dirty, clock, surveys, redactor: redactor(providers.pii) })([{ messageId: `m-${given.revision}`, body }]);
  expect(await batch.store(`m-${given.revision}`)).toBe('stored');
}

/** the response of an invitation, or with an id, as stored */
async function storedOf(which: Pick<Invitation, 'invitationId'> | { id: string }): Promise<StoredResponse | undefined> {
  const { items } = await store.listBySurvey({ surveyId: 'mail', limit: 100, now: clock.now() });
  return items.find((r) => ('id' in which ? r.id === which.id : r.invitationId === which.invitationId));
}

const unroutedOf = async (inv: Invitation) => (await store.listUnrouted(100)).filter((r) => r.invitationId === inv.invitationId);

/** the customer's re-answer, processed (with these providers) when the rescore reaches the point `during` is run at */
function reAnswering(inv: Invitation & { answeredAt: string }, providers: { pii: Provider; sentiment: Provider }) {
  const processed = { stored: undefined as StoredResponse | undefined };
  const during: During = {
    run: async () => {
      await answer(inv, reAnswer, providers);
      processed.stored = await storedOf(inv);
    },
  };
  return { during, reAnswered: () => processed.stored };
}

describe('a customer re-answering while the rescore finishes the previous answer', () => {
  it('keeps the re-answer as stored when it arrives during the redaction call, and a later run finishes it from its own comment', async () => {
    // Prepare: the first answer stored during a PII outage (redaction and sentiment pending)
    const inv = invitation('i_race_redacted');
    await answer(inv, firstAnswer, { pii: 'down', sentiment: 'up' });
    const { during, reAnswered } = reAnswering(inv, { pii: 'down', sentiment: 'up' });

    // Act: the provider is back; the rescore's redaction call is under way when the re-answer is processed
    await makeRescorePending({ store, sentiment: scorer('up'), dirty, clock, surveys, redactor: redactor('up', during) })(100);

    // Assess: the re-answer as its own processing stored it, not the first answer's comment, sentiment or follow-up
    expect(reAnswered()?.revision).toBe(2_000);
    expect(await storedOf(inv)).toEqual(reAnswered());
    expect(await unroutedOf(inv)).toEqual([]);

    // Act: the next run finishes the re-answer from what it holds
    await makeRescorePending({ store, sentiment: scorer('up'), dirty, clock, surveys, redactor: redactor('up') })(100);

    // Assess
    const finished = await storedOf(inv);
    expect(finished).toMatchObject({ revision: 2_000, answers: { nps: 10 }, comment: reAnswer.comment, redaction: { status: 'redacted' }, sentiment: { status: 'scored', label: 'POSITIVE' } });
    expect(finished?.followUp).toBeUndefined();
    expect(await unroutedOf(inv)).toEqual([]);
  });

  it('keeps the re-answer as stored when it arrives during a redaction call that fails again', async () => {
    // Prepare
    const inv = invitation('i_race_still_down');
    await answer(inv, firstAnswer, { pii: 'down', sentiment: 'up' });
    const { during, reAnswered } = reAnswering(inv, { pii: 'down', sentiment: 'up' });

    // Act: the outage goes on; the rescore's failed attempt would store its count and the comment it read
    await makeRescorePending({ store, sentiment: scorer('up'), dirty, clock, surveys, redactor: redactor('down', during) })(100);

    // Assess: the re-answer's comment and its redaction state (no attempt counted against it) are its own
    expect(reAnswered()?.comment).toBe(reAnswer.comment);
    expect(await storedOf(inv)).toEqual(reAnswered());

    // Act: the provider is back; the next run finishes the re-answer from what it holds
    await makeRescorePending({ store, sentiment: scorer('up'), dirty, clock, surveys, redactor: redactor('up') })(100);

    // Assess
    expect(await storedOf(inv)).toMatchObject({ revision: 2_000, comment: reAnswer.comment, redaction: { status: 'redacted' }, sentiment: { status: 'scored', label: 'POSITIVE' } });
    expect(await unroutedOf(inv)).toEqual([]);
  });

  it('does not route the re-answer as a detractor when it arrives during the sentiment call', async () => {
    // Prepare: the first answer stored during a sentiment outage (redacted, sentiment pending, not yet a detractor)
    const inv = invitation('i_race_scored');
    await answer(inv, lateDetractor, { pii: 'up', sentiment: 'down' });
    const { during, reAnswered } = reAnswering(inv, { pii: 'up', sentiment: 'up' });

    // Act
    const result = await makeRescorePending({ store, sentiment: scorer('up', during), dirty, clock, surveys, redactor: redactor('up') })(100);

    // Assess: nothing of the first answer was settled onto the re-answer, nor marked for follow-up
    expect(reAnswered()).toMatchObject({ revision: 2_000, sentiment: { status: 'scored', label: 'POSITIVE' } });
    expect(reAnswered()?.followUp).toBeUndefined();
    expect(await storedOf(inv)).toEqual(reAnswered());
    expect(await unroutedOf(inv)).toEqual([]);
    expect(result.settled).toBe(0);
  });

  it('does not mark the re-answer a detractor when it arrives between the settle and the detractor mark', async () => {
    // Prepare: the first answer stored during a sentiment outage (not yet a detractor)
    const inv = invitation('i_race_marked');
    await answer(inv, lateDetractor, { pii: 'up', sentiment: 'down' });
    const { during, reAnswered } = reAnswering(inv, { pii: 'up', sentiment: 'up' });
    // the bucket mark is the rescore's write between its settle and its detractor mark
    const markingDirty: DirtyBuckets = { ...dirty, mark: async (...args) => (await duringOnce(during), dirty.mark(...args)) };

    // Act
    await makeRescorePending({ store, sentiment: scorer('up'), dirty: markingDirty, clock, surveys, redactor: redactor('up') })(100);

    // Assess: the re-answer is not a detractor, and nothing is left settling
    expect(reAnswered()?.followUp).toBeUndefined();
    expect(await storedOf(inv)).toEqual(reAnswered());
    expect(await unroutedOf(inv)).toEqual([]);
    expect((await store.listSettling(100)).filter((r) => r.invitationId === inv.invitationId)).toEqual([]);
  });
});

describe('the response store\'s writes for a response as read', () => {
  const scored = { status: 'scored' as const, label: 'NEGATIVE' as const, language: 'en', scores: { positive: 0.02, negative: 0.95, neutral: 0.02, mixed: 0.01 } };
  const reasons = [{ rule: 'negative-comment' as const, confidence: 0.95, atLeast: 0.8 }];
  const pendingOne = async (id: string) => (await store.listPendingSentiment(100, clock.now())).find((r) => r.id === id);
  const fields = { surveyId: 'mail', receivedAt: '2026-11-02T09:30:00.000Z', expiresAt: 1_900_000_000, storedAt: '2026-11-02T09:30:01.000Z', sentiment: { status: 'pending' as const } };

  // what may replace the item between the read and the write
  const changes = [
    {
      meanwhile: 'a newer revision with the same comment and store time',
      stored: storedResponse({ id: 'revised', ...fields, answers: { nps: 3 }, comment: 'Slow delivery', redaction: { status: 'redacted' }, revision: 1_000 }),
      change: () => store.putRevision!(storedResponse({ id: 'revised', ...fields, answers: { nps: 10 }, comment: 'Slow delivery', redaction: { status: 'redacted' }, revision: 2_000 })),
    },
    {
      meanwhile: 'its comment redacted again by the redaction backfill',
      stored: storedResponse({ id: 'rewritten', ...fields, comment: 'Call me on 0612345678', redaction: { status: 'redacted' } }),
      change: () =>
        dynamo.db.send(
          new UpdateCommand({ TableName: 'responses', Key: { responseId: 'rewritten' }, UpdateExpression: 'SET #c = :c', ConditionExpression: '#c = :old', ExpressionAttributeNames: { '#c': 'comment' }, ExpressionAttributeValues: { ':c': 'Call me on [PHONE]', ':old': 'Call me on 0612345678' } }),
        ),
    },
  ];

  for (const { meanwhile, stored, change } of changes) {
    it(`are no-ops once the item changed meanwhile (${meanwhile}), and written while it is the one read`, async () => {
      // Prepare: a pending response, read; then changed
      await store.putIfAbsent(stored);
      const read = await pendingOne(stored.id);
      await change();
      const changed = await storedOf(stored);

      // Act: the writes worked out from the response read
      const settled = await store.settleSentiment(read!, scored, { comment: 'from the read', redaction: { status: 'redacted' } });
      await store.markDetractor(read!, reasons);

      // Assess: the item stays as changed, still pending, not a detractor
      expect(settled).toBe(false);
      expect(await storedOf(stored)).toEqual(changed);

      // Act: the same writes from the response as it now is
      const again = await pendingOne(stored.id);
      const settledAgain = await store.settleSentiment(again!, scored);
      await store.markDetractor(again!, reasons);
      await store.settlingDone(again!);

      // Assess
      expect(settledAgain).toBe(true);
      expect(await storedOf(stored)).toEqual({ ...changed, sentiment: scored, followUp: { reasons } });
      expect((await store.listSettling(100)).filter((r) => r.id === stored.id)).toEqual([]);
    });
  }
});
