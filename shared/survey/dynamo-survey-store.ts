// adapter: SurveyStore over DynamoDB (dynalite locally). Items are the survey JSON keyed by `surveyId`.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { surveySchema, type Survey } from './schema.js';
import type { SurveyStore } from './survey-store.js';

export function createDynamoSurveyStore(db: DynamoDBDocumentClient, tableName: string): SurveyStore {
  return {
    async get(surveyId) {
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { surveyId } }));
      if (!Item) return undefined;
      const { surveyId: _key, definition } = Item as { surveyId: string; definition: unknown };
      return surveySchema.parse(definition);
    },
    async put(survey) {
      await db.send(new PutCommand({ TableName: tableName, Item: { surveyId: survey.id, definition: survey, updatedAt: new Date().toISOString() } }));
    },
  };
}

/** surveys change rarely and are read on every submission: keep each for a few seconds */
export function cachedSurveyStore(inner: SurveyStore, ttlMs: number, now: () => number = Date.now): SurveyStore {
  const cache = new Map<string, { survey: Survey; until: number }>();
  return {
    async get(surveyId) {
      const hit = cache.get(surveyId);
      if (hit && hit.until > now()) return hit.survey;
      const survey = await inner.get(surveyId);
      if (survey && ttlMs > 0) cache.set(surveyId, { survey, until: now() + ttlMs });
      return survey;
    },
    async put(survey) {
      cache.delete(survey.id);
      await inner.put(survey);
    },
  };
}
