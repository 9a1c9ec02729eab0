// integration: a survey stored by an older version with a channel listed twice reads with each channel once, from the
// survey store (its schema drops repeats) and from the survey list (GET /v1/surveys, a projected scan that does not
// parse), against real dynalite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { createDynamoSurveyCatalog } from '../../shared/survey/dynamo-survey-catalog.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { startTestDynamo } from '../support/dynamo.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;

beforeAll(async () => {
  dynamo = await startTestDynamo('survey-channels');
  const definition = { ...demoSurvey([]), id: 'old', channels: ['web', 'email', 'web', 'web', 'email'] };
  await dynamo.db.send(new PutCommand({ TableName: 'surveys', Item: { surveyId: 'old', definition } }));
});
afterAll(async () => {
  await dynamo?.close();
});

describe('a survey stored with a channel listed twice', () => {
  it('reads with each channel once, from the store and from the list', async () => {
    // Act
    const survey = await createDynamoSurveyStore(dynamo.db, 'surveys').get('old');
    const listed = await createDynamoSurveyCatalog(dynamo.db, 'surveys').list();

    // Assess
    expect(survey?.channels).toEqual(['web', 'email']);
    expect(listed).toEqual([{ id: 'old', title: survey?.title, channels: ['web', 'email'] }]);
  });
});
