// integration, on dynalite: a campaign's report over more invitations and answers than one read holds. The counts come
// from every page of the campaign's invitations, and the metrics from the final responses read back in batches of at
// most 100, folded as they arrive, so they equal the metrics computed over all the campaign's live responses at once;
// a final answer not stored yet and an expired response are counted final but left out of the metrics. The batches
// are read several at once, and a failed one fails the report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Clock } from '../../shared/clock.js';
import { makeCampaignReport, READS_IN_FLIGHT, type ResponsesById } from '../../shared/invitations/campaign-report.js';
import { createDynamoInvitationStore } from '../../shared/invitations/dynamo-invitation-store.js';
import { createDynamoResponsesById } from '../../shared/invitations/dynamo-responses-by-id.js';
import { responseIdOfInvitation, type Invitation } from '../../shared/invitations/invitation.js';
import { histogramOf } from '../../shared/metrics/histogram-of.js';
import { metricsOf } from '../../shared/metrics/indices.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
const NOW = new Date('2026-11-20T12:00:00.000Z');
const clock: Clock = { now: () => NOW };
const nowSeconds = Math.floor(NOW.getTime() / 1000);
const survey = surveyWith(
  [
    { id: 'nps', type: 'nps' },
    { id: 'csat', type: 'csat' },
  ],
  { id: 'mail' },
);

// 250 invitations, 231 of them final: 228 with their response stored, 1 whose response has expired, 2 whose response
// is still on the queue
const INVITATIONS = 250;
const invitations: Invitation[] = Array.from({ length: INVITATIONS }, (_, i) => ({
  invitationId: `i_report_${String(i).padStart(3, '0')}`,
  surveyId: 'mail',
  campaign: 'spring',
  customerRef: `c-${i}`,
  createdAt: new Date(Date.UTC(2026, 10, 2, 8, 0, i)).toISOString(),
  expiresAt: nowSeconds + 86_400,
  retainUntil: nowSeconds + 30 * 86_400,
  ...(i % 3 === 0 ? { openedAt: '2026-11-03T09:00:00.000Z', opens: 2, clicks: 1 } : {}),
}));
const finals = invitations.slice(0, 231);
const responseOf = (invitation: Invitation, i: number): StoredResponse =>
  storedResponse({
    id: responseIdOfInvitation(invitation),
    surveyId: 'mail',
    channel: 'email',
    campaign: 'spring',
    customerRef: invitation.customerRef,
    answers: { nps: i % 11, csat: 1 + (i % 5) },
    expiresAt: i === 0 ? nowSeconds - 60 : nowSeconds + 86_400,
  });
const stored = finals.slice(0, 229).map(responseOf);

beforeAll(async () => {
  dynamo = await startTestDynamo('campaign-report');
  await createDynamoSurveyStore(dynamo.db, 'surveys').put(survey);
  const store = createDynamoInvitationStore(dynamo.db, 'invitations');
  await store.createMany(invitations);
  for (const [i, invitation] of finals.entries()) {
    expect(await store.markFinal(invitation.invitationId, { at: '2026-11-04T10:00:00.000Z', via: i % 4 === 0 ? 'timeout' : 'submit', revision: 1 })).toBe(true);
  }
  const responses = createDynamoResponseStore(dynamo.db, 'responses');
  for (const response of stored) await responses.putIfAbsent(response);
});
afterAll(async () => {
  await dynamo?.close();
});

describe("a campaign's report", () => {
  it('counts every invitation and computes its metrics over all live final responses, read back in batches of at most 100', async () => {
    // Prepare: the real adapter, watched for the size of each read it is asked for
    const adapter = createDynamoResponsesById(dynamo.db, 'responses');
    const asked: number[] = [];
    const responses: ResponsesById = {
      getMany: (ids) => {
        asked.push(ids.length);
        return adapter.getMany(ids);
      },
    };
    const report = makeCampaignReport({ surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), invitations: createDynamoInvitationStore(dynamo.db, 'invitations'), responses, clock });

    // Act
    const result = await report('mail', 'spring');

    // Assess: the counts from the invitations; the metrics as if computed over every live response at once
    const live = stored.filter((response) => response.expiresAt > nowSeconds);
    expect(live).toHaveLength(228);
    expect(result).toMatchObject({
      invitations: INVITATIONS,
      opened: Math.ceil(INVITATIONS / 3),
      opens: 2 * Math.ceil(INVITATIONS / 3),
      clicks: Math.ceil(INVITATIONS / 3),
      final: 231,
      finalBy: { submit: 231 - Math.ceil(231 / 4), timeout: Math.ceil(231 / 4) },
      provisional: 0,
      firstMintedAt: invitations[0]!.createdAt,
      lastMintedAt: invitations.at(-1)!.createdAt,
    });
    expect(result.responseRatePct).toBeCloseTo((231 / 250) * 100, 10);
    expect(result.metrics).toEqual(metricsOf(histogramOf(live, survey), survey));
    expect(result.metrics.responses).toBe(228);
    expect(asked).toEqual([100, 100, 31]);
  });

  it('reads the batches of responses several at once, with the same figures, and fails as a whole when one read fails', async () => {
    // Prepare: the real adapter, each read held a moment, watched for how many are in flight together
    const adapter = createDynamoResponsesById(dynamo.db, 'responses');
    let inFlight = 0;
    let most = 0;
    const held = (failOn?: number): ResponsesById => {
      let reads = 0;
      return {
        getMany: async (ids) => {
          const read = (reads += 1);
          inFlight += 1;
          most = Math.max(most, inFlight);
          try {
            await new Promise((resolve) => setTimeout(resolve, 50));
            if (read === failOn) throw new Error('ProvisionedThroughputExceededException');
            return await adapter.getMany(ids);
          } finally {
            inFlight -= 1;
          }
        },
      };
    };
    const reportWith = (responses: ResponsesById) => makeCampaignReport({ surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), invitations: createDynamoInvitationStore(dynamo.db, 'invitations'), responses, clock });
    const sequential = await makeCampaignReport({ surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), invitations: createDynamoInvitationStore(dynamo.db, 'invitations'), responses: adapter, clock })('mail', 'spring');

    // Act
    const overlapped = await reportWith(held())('mail', 'spring');
    const failed = await reportWith(held(2))('mail', 'spring').catch((error: unknown) => error);

    // Assess: the campaign's three batches were in flight together, and the figures are the same
    expect(most).toBe(Math.min(3, READS_IN_FLIGHT));
    expect(overlapped).toEqual(sequential);
    expect(failed).toEqual(new Error('ProvisionedThroughputExceededException'));
    expect(inFlight).toBe(0);
  });
});
