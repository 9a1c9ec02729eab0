// port: where survey definitions live. Adapter: dynamo-survey-store.
import type { Survey } from './schema.js';

export interface SurveyStore {
  get(surveyId: string): Promise<Survey | undefined>;
  put(survey: Survey): Promise<void>;
}
