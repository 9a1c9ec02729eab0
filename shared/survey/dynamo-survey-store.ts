// adapter: SurveyStore over DynamoDB (dynalite locally). Items are the survey JSON keyed by `surveyId`.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import { withoutUnsendableOrigins } from './allowed-origin.js';
import { surveyIdSchema, surveySchema, type Survey } from './schema.js';
import type { SurveyStore } from './survey-store.js';

export function createDynamoSurveyStore(db: DynamoDBDocumentClient, tableName: string): SurveyStore {
  return {
    async get(surveyId) {
      // an id no survey may have names none, and is not read: DynamoDB refuses a key over 2,048 bytes (a 500)
      if (!surveyIdSchema.safeParse(surveyId).success) return undefined;
      const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: { surveyId } }));
      if (!Item) return undefined;
      const { surveyId: _key, definition } = Item as { surveyId: string; definition: unknown };
      return surveySchema.parse(withoutUnsendableOrigins(definition));
    },
    async put(survey) {
      await db.send(new PutCommand({ TableName: tableName, Item: { surveyId: survey.id, definition: survey, updatedAt: new Date().toISOString() } }));
    },
  };
}

/** surveys change rarely and are read on every submission: keep each for a few seconds */
export function cachedSurveyStore(inner: SurveyStore, ttlMs: number, now: () => number = Date.now): SurveyStore {
  const cache = new Map<string, { survey: Survey; until: number }>();
  // a read under way per survey: requests that miss meanwhile share it (a busy survey costs one read per ttl, not one
  // per request that arrives before the first read returns)
  const reading = new Map<string, Promise<Survey | undefined>>();
  return {
    async get(surveyId) {
      // no cache asked for: every request reads for itself, never joining a read that began before a change
      if (ttlMs <= 0) return inner.get(surveyId);
      const hit = cache.get(surveyId);
      if (hit && hit.until > now()) return hit.survey;
      let read = reading.get(surveyId);
      if (!read) {
        // `reading` still holding this read means no put overtook it
        const current = () => reading.get(surveyId) === read;
        read = inner
          .get(surveyId)
          .then((survey) => {
            if (survey && current()) cache.set(surveyId, { survey, until: now() + ttlMs });
            return survey;
          })
          .finally(() => {
            if (current()) reading.delete(surveyId);
          });
        reading.set(surveyId, read);
      }
      return read;
    },
    async put(survey) {
      // a read started before or during this write may carry the old survey: it must not land in the cache
      const forget = () => {
        cache.delete(survey.id);
        reading.delete(survey.id);
      };
      forget();
      try {
        await inner.put(survey);
      } finally {
        // a write that failed may still have landed
        forget();
      }
    },
  };
}
