// use case: create or replace a survey definition (admin).
//   1. the path names the survey; a body id, if any, must agree
//   2. check the definition (400 with every offending path): its schema, then what a definition put from now on must
//      meet (definition-refusals.ts), against the tokens for the leads its assignment names
//   3. store it
import type { TokenStore } from '../access/tokens.js';
import { ApiError, detailsFromZod, invalidRequest } from '../errors.js';
import { definitionRefusals } from './definition-refusals.js';
import { surveySchema, type Survey } from './schema.js';
import type { SurveyStore } from './survey-store.js';

export function makePutSurvey({ surveys, tokens }: { surveys: SurveyStore; tokens: TokenStore }) {
  return async function putSurvey(surveyId: string, body: unknown): Promise<Survey> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw invalidRequest([{ path: '', reason: 'a survey definition object is required' }]);
    }
    const withId = { ...body, id: (body as { id?: unknown }).id ?? surveyId };
    if (withId.id !== surveyId) throw new ApiError(400, 'invalid request', [{ path: 'id', reason: `must equal the path id "${surveyId}"` }]);
    const parsed = surveySchema.safeParse(withId);
    if (!parsed.success) throw invalidRequest(detailsFromZod(parsed.error));
    // the token table is read only when the assignment names a lead
    const named = Object.keys(parsed.data.followUp.assignment.touchpoints ?? {}).length > 0;
    const refusals = definitionRefusals(parsed.data, named ? await tokens.list() : []);
    if (refusals.length > 0) throw invalidRequest(refusals);
    await surveys.put(parsed.data);
    return parsed.data;
  };
}
