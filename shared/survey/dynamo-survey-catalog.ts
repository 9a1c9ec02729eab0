// adapter: SurveyCatalog over DynamoDB: a projected Scan of the surveys table (id, title, channels), page by page.
import { ScanCommand, type DynamoDBDocumentClient } from '../aws/dynamodb.js';
import type { SurveyCatalog, SurveySummary } from './survey-catalog.js';

/** a guard, not a feature limit: a deployment with more surveys than this needs a paged list */
export const MAX_LISTED_SURVEYS = 1000;

export function createDynamoSurveyCatalog(db: DynamoDBDocumentClient, tableName: string): SurveyCatalog {
  return {
    async list() {
      const surveys: SurveySummary[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(
          new ScanCommand({
            TableName: tableName,
            ProjectionExpression: '#id, #d.#title, #d.#channels',
            ExpressionAttributeNames: { '#id': 'surveyId', '#d': 'definition', '#title': 'title', '#channels': 'channels' },
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of (page.Items ?? []) as { surveyId: string; definition?: { title?: string; channels?: string[] } }[]) {
          // each channel once, also of a survey stored with repeats (the survey schema drops them when it reads one)
          surveys.push({ id: item.surveyId, title: item.definition?.title ?? item.surveyId, channels: [...new Set(item.definition?.channels ?? [])] });
        }
        startKey = page.LastEvaluatedKey;
      } while (startKey && surveys.length < MAX_LISTED_SURVEYS);
      return surveys.slice(0, MAX_LISTED_SURVEYS);
    },
  };
}
