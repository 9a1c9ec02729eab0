// integration: a survey's allowedOrigins through the admin API and the submission's origin check, on the local
// runtime (gateway, admin and ingest functions, dynalite): kept as browsers send an Origin, refused when no browser
// sends them, and compared in that form for a survey stored before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutCommand } from '../../shared/aws/dynamodb.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { testDocumentClient } from '../support/dynamo.js';
import { request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime();
});
afterAll(async () => {
  await env?.close();
});

const SHOP = 'https://shop.example.com';
const submitFrom = (surveyId: string, origin: string) =>
  request(env.runtime, 'POST', '/v1/responses', { headers: { origin }, body: { surveyId, channel: 'web', answers: { nps: 9 } } });

describe('a survey\'s allowed origins', () => {
  it('are refused with 400 naming each index and its reason when no browser sends them, and nothing is stored', async () => {
    // Act
    const reply = await request(env.runtime, 'PUT', '/v1/surveys/unsendable', {
      admin: true,
      body: {
        ...demoSurvey(['https://shop.example.com:443', 'HTTPS://Shop.Example.com.:99999', 'https://shop.example.com.', 'https://shop.example.com/feedback', 'ftp://shop.example.com']),
        id: 'unsendable',
      },
    });
    const read = await request(env.runtime, 'GET', '/v1/surveys/unsendable', { admin: true });

    // Assess
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual([
      { path: 'allowedOrigins.1', reason: 'port 99999 is out of range: 1 to 65535' },
      { path: 'allowedOrigins.2', reason: expect.stringContaining('without a trailing dot') },
      { path: 'allowedOrigins.3', reason: expect.stringContaining('without a path, query or fragment') },
      { path: 'allowedOrigins.4', reason: expect.stringContaining('an http or https origin') },
    ]);
    expect(read.status).toBe(404);
  });

  it('are stored as a browser sends its Origin (lowercase, no default port), and a page at that origin may submit', async () => {
    // Act
    const put = await request(env.runtime, 'PUT', '/v1/surveys/spelled', {
      admin: true,
      body: { ...demoSurvey(['HTTPS://Shop.Example.com:443', 'https://shop.example.com', 'http://LOCALHOST:80', 'http://localhost:8080']), id: 'spelled' },
    });
    const fromShop = await submitFrom('spelled', SHOP);
    const fromLocalhost = await submitFrom('spelled', 'http://localhost');
    const fromOtherPort = await submitFrom('spelled', 'http://localhost:8081');

    // Assess: each origin once, in its browser form
    expect(put.status).toBe(200);
    expect(put.body.allowedOrigins).toEqual([SHOP, 'http://localhost', 'http://localhost:8080']);
    expect([fromShop.status, fromLocalhost.status, fromOtherPort.status]).toEqual([202, 202, 403]);
  });

  it('stored before they were kept in a browser\'s form still let that origin submit; one no browser sends is left out', async () => {
    // Prepare: a survey as an older version stored it, with a default port and a port out of range
    const db = testDocumentClient(env.runtime.dynamoEndpoint);
    const definition = { ...demoSurvey(['https://Shop.Example.com:443', 'https://other.example.com:99999']), id: 'legacy-origins' };
    await db.send(new PutCommand({ TableName: 'surveys', Item: { surveyId: 'legacy-origins', definition } }));

    // Act
    const submitted = await submitFrom('legacy-origins', SHOP);
    const read = await request(env.runtime, 'GET', '/v1/surveys/legacy-origins', { admin: true });

    // Assess
    expect(submitted.status).toBe(202);
    expect(read.body.allowedOrigins).toEqual([SHOP]);
    db.destroy();
  });
});
