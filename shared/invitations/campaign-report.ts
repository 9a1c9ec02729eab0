// use case: a campaign's report (admin: GET /v1/surveys/{id}/campaigns/{campaign}, and the CLI's `campaign`).
//   1. the survey must exist (404), the campaign name must be valid (400) and have invitations (404)
//   2. read the campaign's invitations (byCampaign index), counting raw opens and clicks, scanner hits, provisional and
//      final answers side by side
//   3. the survey's metrics over the campaign's final responses, computed from the stored responses themselves (read
//      by the ids derived from the invitations), so they are exact and need no rollup dimension. Each batch read is
//      folded into the histogram as it arrives: memory stays one page of invitations and READS_IN_FLIGHT batches of
//      responses, whatever the campaign's size. The batches are read several at once, and while the next page of
//      invitations is read: a campaign of 100,000 answers is 1,000 round trips, which one after the other would take
//      much of API Gateway's 30 s
import type { Clock } from '../clock.js';
import { detailsFromZod, invalidRequest, notFound } from '../errors.js';
import { histogramOf, mergeHistograms } from '../metrics/histogram-of.js';
import { emptyHistogram } from '../metrics/histogram.js';
import { metricsOf, type Metrics } from '../metrics/indices.js';
import type { StoredResponse } from '../response/stored-response.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { campaignSchema, responseIdOfInvitation } from './invitation.js';
import type { InvitationStore } from './invitation-store.js';

/** port: stored responses by id (adapter: dynamo-responses-by-id) */
export interface ResponsesById {
  /** the stored responses among `ids` (missing ones are left out) */
  getMany(ids: readonly string[]): Promise<StoredResponse[]>;
}

export interface CampaignReport {
  surveyId: string;
  campaign: string;
  firstMintedAt: string;
  lastMintedAt: string;
  invitations: number;
  /** invitations whose page was opened at least once (people, scanners and previews alike), and all page GETs */
  opened: number;
  opens: number;
  /** page GETs that carried a score (one-click links in the e-mail) */
  clicks: number;
  /** invitations whose honeypot link was followed, and all such hits */
  scanned: number;
  scannerHits: number;
  /** a human-signalled answer not yet final */
  provisional: number;
  /** final: submitted, or provisional long enough with no submit */
  final: number;
  finalBy: { submit: number; timeout: number };
  /** final / invitations × 100 */
  responseRatePct: number;
  /** the survey's metrics over the campaign's final responses as stored */
  metrics: Metrics;
}

const PAGE = 1000;
const READ_BATCH = 100;
/** the batch reads of responses in flight at once (each at most 100 items of at most 400 KB, as BatchGetItem takes) */
export const READS_IN_FLIGHT = 8;

export function makeCampaignReport({ surveys, invitations, responses, clock }: { surveys: SurveyStore; invitations: InvitationStore; responses: ResponsesById; clock: Clock }) {
  return async function campaignReport(surveyId: string, rawCampaign: string): Promise<CampaignReport> {
    const campaign = campaignSchema.safeParse(rawCampaign);
    if (!campaign.success) throw invalidRequest(detailsFromZod(campaign.error).map((d) => ({ ...d, path: 'campaign' })));
    const survey = await surveys.get(surveyId);
    if (!survey) throw notFound('survey');

    const counts = { invitations: 0, opened: 0, opens: 0, clicks: 0, scanned: 0, scannerHits: 0, provisional: 0, final: 0, submit: 0, timeout: 0 };
    let firstMintedAt = '';
    let lastMintedAt = '';
    const finalIds: string[] = [];
    // a final answer whose response is not stored yet (still on the queue) is counted final but not yet in the metrics
    const now = Math.floor(clock.now().getTime() / 1000);
    const live = (response: StoredResponse) => response.expiresAt > now && response.campaign === campaign.data;
    // each invitation has its own response id, so the batches are disjoint and merge without double counting
    let histogram = emptyHistogram();
    // settled reads never reject (a failure is kept and thrown once), so none is left unhandled when one fails
    const reading = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    const read = (ids: string[]) => {
      const done: Promise<void> = responses
        .getMany(ids)
        .then(
          (batch) => void (histogram = mergeHistograms(histogram, histogramOf(batch.filter(live), survey))),
          (error: unknown) => void (failure ??= { error }),
        )
        .finally(() => reading.delete(done));
      reading.add(done);
    };
    const readFinals = async (all: boolean) => {
      while (finalIds.length >= READ_BATCH || (all && finalIds.length > 0)) {
        if (reading.size >= READS_IN_FLIGHT) await Promise.race(reading);
        if (failure) break;
        read(finalIds.splice(0, READ_BATCH));
      }
      if (all || failure) await Promise.all(reading);
      if (failure) throw failure.error;
    };

    let cursor: string | undefined;
    do {
      const page = await invitations.listCampaign(surveyId, campaign.data, PAGE, cursor);
      for (const invitation of page.items) {
        counts.invitations += 1;
        if (!firstMintedAt || invitation.createdAt < firstMintedAt) firstMintedAt = invitation.createdAt;
        if (invitation.createdAt > lastMintedAt) lastMintedAt = invitation.createdAt;
        if (invitation.openedAt) counts.opened += 1;
        counts.opens += invitation.opens ?? 0;
        counts.clicks += invitation.clicks ?? 0;
        if (invitation.scannedAt) counts.scanned += 1;
        counts.scannerHits += invitation.scannerHits ?? 0;
        if (invitation.final) {
          counts.final += 1;
          counts[invitation.final.via] += 1;
          finalIds.push(responseIdOfInvitation(invitation));
        } else if (invitation.provisional) counts.provisional += 1;
      }
      await readFinals(false);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    await readFinals(true);
    if (counts.invitations === 0) throw notFound('campaign');

    return {
      surveyId,
      campaign: campaign.data,
      firstMintedAt,
      lastMintedAt,
      invitations: counts.invitations,
      opened: counts.opened,
      opens: counts.opens,
      clicks: counts.clicks,
      scanned: counts.scanned,
      scannerHits: counts.scannerHits,
      provisional: counts.provisional,
      final: counts.final,
      finalBy: { submit: counts.submit, timeout: counts.timeout },
      responseRatePct: (counts.final / counts.invitations) * 100,
      metrics: metricsOf(histogram, survey),
    };
  };
}
