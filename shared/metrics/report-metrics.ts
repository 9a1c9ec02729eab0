// use case: a survey's metrics report (admin: GET /v1/surveys/{id}/metrics and metrics.csv).
//   1. check the query parameters (400 naming each offending parameter)
//   2. the survey must exist (404), and its report must fit one answer (400, estimated from the survey's questions)
//   3. read the bucket aggregates the report needs: one list call per period range (readsFor)
//   4. build the report (pure: report.ts)
import type { Clock } from '../clock.js';
import { invalidRequest, notFound } from '../errors.js';
import type { AggregateStore } from '../rollup/aggregate-store.js';
import type { BucketAggregate, BucketPeriod } from '../rollup/bucket.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { parseMetricsQuery } from './metrics-query.js';
import { buildMetricsReport, readsFor, reportSizeProblem, type MetricsReport } from './report.js';

export function makeMetricsReport({ surveys, aggregates, clock }: { surveys: SurveyStore; aggregates: AggregateStore; clock: Clock }) {
  return async function metricsReport(surveyId: string, rawQuery: Record<string, string | undefined>): Promise<MetricsReport> {
    const query = parseMetricsQuery(rawQuery, clock.now());
    if (!query.success) throw invalidRequest(query.details);
    const survey = await surveys.get(surveyId);
    if (!survey) throw notFound('survey');
    const tooLarge = reportSizeProblem(survey, query.data);
    if (tooLarge) throw invalidRequest([tooLarge]);
    const read: Record<BucketPeriod, BucketAggregate[]> = { hour: [], day: [] };
    await Promise.all(
      readsFor(query.data).map(async ({ period, from, to }) => {
        read[period].push(...(await aggregates.list(surveyId, period, from, to)));
      }),
    );
    return buildMetricsReport(survey, query.data, read);
  };
}
