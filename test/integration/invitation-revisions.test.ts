// integration, on dynalite: one response per invitation. Revisions of an invitation's response delivered in any order,
// with duplicates, leave the latest answer stored once, and the rollup counts it once; the invitation store's
// conditions keep a finaliser from finalising an answer that changed, or a final invitation from turning provisional.
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { queuedResponseOfInvitation } from '../../shared/invitations/invitation-response.js';
import type { InvitationStore } from '../../shared/invitations/invitation-store.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { makeProcessResponses } from '../../shared/response/process-responses.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import { createDynamoAggregateStore } from '../../shared/rollup/dynamo-aggregate-store.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeRollUp } from '../../shared/rollup/roll-up.js';
import type { SentimentAnalyzer } from '../../shared/sentiment/port.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { answeredInvitation, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
let responses: ResponseStore;
let invitations: InvitationStore;
const clock: Clock = { now: () => new Date() };
// tells the revisions apart: the language it reports is the comment itself, so a score given to the wrong message shows
const sentiment: SentimentAnalyzer = { analyze: async (requests) => requests.map(({ id, text }) => ({ id, status: 'unscored', language: text, reason: 'unsupported-language' })) };
const survey = surveyWith([{ id: 'nps', type: 'nps' }, { id: 'comment', type: 'text' }], { id: 'mail' });

beforeAll(async () => {
  dynamo = await startTestDynamo('invitation-revisions');
  responses = createDynamoResponseStore(dynamo.db, 'responses');
  invitations = createDynamoInvitationStore(dynamo.db, 'invitations');
  await createDynamoSurveyStore(dynamo.db, 'surveys').put(survey);
});
afterAll(async () => {
  await dynamo?.close();
});

const invitation = answeredInvitation;

describe('revisions of an invitation\'s response', () => {
  it('store the latest answer once, whatever the order and the duplicates, and the rollup counts it once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        async (revisions, order, seed) => {
          // Prepare: each revision answers nps = revision % 11; delivered in a random order, some several times
          const inv = invitation(`i_prop_${seed}_${revisions.join('-')}`);
          const messages = [...revisions, ...order.map((i) => revisions[i % revisions.length]!)].map((revision, i) => ({
            messageId: `m${i}`,
            body: JSON.stringify(queuedResponseOfInvitation(inv, survey, { answers: { nps: revision % 11 }, comment: `r${revision}`, revision: revision })),
          }));
          // a seeded Fisher–Yates shuffle
          let state = seed + 1;
          for (let i = messages.length - 1; i > 0; i--) {
            state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
            const j = state % (i + 1);
            [messages[i], messages[j]] = [messages[j]!, messages[i]!];
          }
          const dirty = createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets');

          // Act
          const batch = await makeProcessResponses({ store: responses, sentiment, dirty, clock })(messages);
          for (const { messageId } of messages) await batch.store(messageId);

          // Assess
          const stored = (await responses.listBySurvey({ surveyId: 'mail', limit: 1000, now: new Date() })).items.filter((r) => r.invitationId === inv.invitationId);
          expect(stored).toHaveLength(1);
          const latest = Math.max(...revisions);
          expect(stored[0]).toMatchObject({ revision: latest, answers: { nps: latest % 11 }, comment: `r${latest}`, channel: 'email', campaign: 'nov' });
          // the sentiment stored is the one of the latest revision's own comment (ports are asked per message)
          expect(stored[0]?.sentiment).toMatchObject({ language: `r${latest}` });
        },
      ),
      { numRuns: 15 },
    );
    // the rollup recomputes the one hour they all share: one response per invitation
    const aggregates = createDynamoAggregateStore(dynamo.db, 'aggregates');
    await makeRollUp({ responses, aggregates, dirty: createDynamoDirtyBuckets(dynamo.db, 'dirtyBuckets'), surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), clock, settleSeconds: 0 })();
    const [day] = await aggregates.list('mail', 'day', '2026-11-02', '2026-11-02');
    const distinct = new Set((await responses.listBySurvey({ surveyId: 'mail', limit: 1000, now: new Date() })).items.map((r) => r.id));
    expect(day?.total.responses).toBe(distinct.size);
    expect(day?.segments.channel.email?.responses).toBe(distinct.size);
  });
});

describe('the invitation store', () => {
  it('finalises a provisional answer only while it is the one read, and never turns a final invitation provisional', async () => {
    // Prepare
    const inv = invitation('i_store_1');
    const { answeredAt: _a, ...minted } = inv;
    await invitations.create(minted);
    await invitations.startAnswer(inv.invitationId, new Date('2026-11-02T10:00:00.000Z'), 30);
    await invitations.recordProvisional(inv.invitationId, { answers: { nps: 4 }, at: '2026-11-02T10:00:00.000Z', signal: 'dwell' });
    await invitations.recordProvisional(inv.invitationId, { answers: { nps: 7 }, at: '2026-11-02T10:00:05.000Z', signal: 'interaction' });

    // Act
    const staleFinal = await invitations.markFinal(inv.invitationId, { at: '2026-11-02T10:31:00.000Z', via: 'timeout', revision: 1 }, '2026-11-02T10:00:00.000Z');
    const due = await invitations.listDueProvisional('2026-11-02T10:30:05.000Z', 10);
    const final = await invitations.markFinal(inv.invitationId, { at: '2026-11-02T10:31:00.000Z', via: 'timeout', revision: 2 }, '2026-11-02T10:00:05.000Z');
    const again = await invitations.recordProvisional(inv.invitationId, { answers: { nps: 1 }, at: '2026-11-02T11:00:00.000Z', signal: 'dwell' });
    const after = await invitations.get(inv.invitationId);
    const dueAfter = await invitations.listDueProvisional('2026-11-03T00:00:00.000Z', 10);

    // Assess
    expect(staleFinal).toBe(false);
    expect(due.map((i) => i.invitationId)).toContain('i_store_1');
    expect(final).toBe(true);
    expect(again).toBe(false);
    expect(after).toMatchObject({ answeredAt: '2026-11-02T10:00:00.000Z', final: { via: 'timeout', revision: 2 } });
    expect(after?.provisional).toBeUndefined();
    expect(dueAfter.map((i) => i.invitationId)).not.toContain('i_store_1');
  });
  it('keeps the newer of two submitted answers final, whichever is marked last', async () => {
    // Prepare: two submits of the same link a moment apart, their markFinal calls landing in the opposite order
    const inv = invitation('i_store_2');
    const { answeredAt: _a, ...minted } = inv;
    await invitations.create(minted);
    await invitations.startAnswer(inv.invitationId, new Date('2026-11-02T10:00:00.000Z'), 30);
    const newer = { at: '2026-11-02T10:00:00.002Z', via: 'submit' as const, revision: Date.parse('2026-11-02T10:00:00.002Z'), answers: { nps: 9 } };
    const older = { at: '2026-11-02T10:00:00.001Z', via: 'submit' as const, revision: Date.parse('2026-11-02T10:00:00.001Z'), answers: { nps: 3 } };

    // Act
    const first = await invitations.markFinal(inv.invitationId, newer);
    const second = await invitations.markFinal(inv.invitationId, older);

    // Assess: the invitation holds the answer the response store keeps (the higher revision)
    expect([first, second]).toEqual([true, false]);
    expect((await invitations.get(inv.invitationId))?.final).toEqual(newer);
  });
});
