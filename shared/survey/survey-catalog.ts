// port + use case: the surveys a principal may see (GET /v1/surveys, the console's survey picker). Adapter:
// dynamo-survey-catalog. A separate port from SurveyStore, which serves one survey by id on every submission.
import { canSeeSurvey, type Principal } from '../access/principal.js';

export interface SurveySummary {
  id: string;
  title: string;
  channels: string[];
}

export interface SurveyCatalog {
  /** every survey, by id (the surveys table is small: one item per survey) */
  list(): Promise<SurveySummary[]>;
}

/** every survey's id (the admin's follow-up queue covers them all) */
export const surveyIdsOf = (catalog: SurveyCatalog) => async (): Promise<string[]> => (await catalog.list()).map((survey) => survey.id);

/** the surveys `principal` may see, by id: all for the admin, the granted ones that exist for a CX lead */
export function makeListSurveys({ catalog }: { catalog: SurveyCatalog }) {
  return async function listSurveys(principal: Principal): Promise<{ items: SurveySummary[] }> {
    const all = await catalog.list();
    return { items: all.filter((survey) => canSeeSurvey(principal, survey.id)).sort((a, b) => a.id.localeCompare(b.id)) };
  };
}
