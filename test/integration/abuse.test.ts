// integration, on the local runtime with low rate limits: 429 + Retry-After once a client's or a survey's bucket is
// empty, on every public route; preflights not counted; a filled honeypot answered like a success with nothing stored.
// Each test speaks as its own client IP through a trusted client-IP header, as the edge's x-feedback-viewer-address in the cloud.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topology, type FunctionDeclaration, type FunctionName, type RateLimit } from '../../infra/topology.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { ADMIN_TOKEN, eventually, listAll, request, startTestRuntime } from '../support/local-runtime.js';

const IP_HEADER = 'x-test-client-ip';
let env: Awaited<ReturnType<typeof startTestRuntime>>;
const saved = process.env.RATE_LIMIT_CLIENT_IP_HEADER;

beforeAll(async () => {
  process.env.RATE_LIMIT_CLIENT_IP_HEADER = IP_HEADER;
  env = await startTestRuntime({ rateLimitPerMinute: 3, rateLimitSurveyPerMinute: 5 });
});
afterAll(async () => {
  await env?.close();
  if (saved === undefined) delete process.env.RATE_LIMIT_CLIENT_IP_HEADER;
  else process.env.RATE_LIMIT_CLIENT_IP_HEADER = saved;
});

/** a survey of its own per test: the per-survey buckets (submissions and definition reads) do not carry over */
const surveyNamed = async (id: string) => {
  const put = await request(env.runtime, 'PUT', `/v1/surveys/${id}`, { admin: true, body: { ...demoSurvey([]), id, allowedOrigins: ['*'] } });
  expect(put.status).toBe(200);
};
const submission = (surveyId: string) => ({ surveyId, channel: 'web', answers: { nps: 9 } });
const post = (ip: string, body: unknown, headers: Record<string, string> = {}) =>
  request(env.runtime, 'POST', '/v1/responses', { body, headers: { [IP_HEADER]: ip, ...headers } });

describe('the public routes, over their rate limits', () => {
  it('answer a client 429 with Retry-After once its bucket is empty, CORS included', async () => {
    // Prepare
    await surveyNamed('per-client');
    const origin = 'https://shop.example';

    // Act: RATE_LIMIT_PER_MINUTE=3, so one token every 20 s
    const replies = [];
    for (let i = 0; i < 4; i++) replies.push(await post('198.51.100.1', submission('per-client'), { origin }));
    const otherClient = await post('198.51.100.2', submission('per-client'));

    // Assess
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202, 429]);
    const refused = replies[3]!;
    expect(refused.headers.get('retry-after')).toBe('20');
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    expect(refused.body).toMatchObject({ error: 'too many requests', retryAfterSeconds: 20, details: [{ path: '', reason: expect.stringContaining('per-client') }] });
    expect(otherClient.status).toBe(202);
  });

  it('answer 429 once a survey\'s bucket is empty, whichever clients send', async () => {
    // Prepare
    await surveyNamed('limited');

    // Act: RATE_LIMIT_SURVEY_PER_MINUTE=5, from six different clients
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(`203.0.113.${i + 10}`, submission('limited'))).status);

    // Assess
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('limit the public survey definition and the re-survey page per client too', async () => {
    await surveyNamed('public-reads');
    const survey = [];
    const page = [];
    for (let i = 0; i < 4; i++) survey.push(await request(env.runtime, 'GET', '/v1/surveys/public-reads/public', { headers: { [IP_HEADER]: '192.0.2.1' } }));
    for (let i = 0; i < 4; i++) page.push((await fetch(`${env.runtime.url}/r/not-a-token`, { headers: { [IP_HEADER]: '192.0.2.2' } })).status);

    expect(survey.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    expect(survey[3]!.headers.get('retry-after')).toBe('20');
    expect(page.slice(0, 3).every((status) => status !== 429)).toBe(true);
    expect(page[3]).toBe(429);
  });

  it('do not count CORS preflights', async () => {
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const reply = await fetch(`${env.runtime.url}/v1/responses`, { method: 'OPTIONS', headers: { [IP_HEADER]: '192.0.2.3', origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([204, 204, 204, 204, 204]);
  });
});

// A deploy sets `-c rateLimitPerMinute` and `-c rateLimitSurveyPerMinute` only on the functions the topology lists as
// applying each limit (infra/rate-limits.ts). A function that applied one without being listed would keep the code's
// default in the cloud, and one listed that applied none would ignore the setting: here the local runtime gives every
// function the low limits, so each function's answers say which limits its code applies.
describe('which functions apply which limit', () => {
  const httpFunctions = [...new Set(topology.routes.map((route) => route.function))];
  /** a route of the function that a request can reach without side effects: a GET when it has one */
  const probeOf = (fn: FunctionName, surveyId: string) => {
    const routes = topology.routes.filter((route) => route.function === fn && route.method !== 'OPTIONS');
    const route = routes.find((r) => r.method === 'GET') ?? routes[0]!;
    const path = route.path.replace('{id}', surveyId).replace('{token}', 'not-a-token').replace('{campaign}', 'spring').replace('{customerRef}', 'rate-probe');
    return { method: route.method, path, names: route.path.startsWith('/v1/surveys/{id}') || route.path === '/v1/responses' };
  };
  /** the limit a 429 names (the per-client, the per-survey or the failed authentications'), else the status: the signed-link pages answer HTML */
  const answerOf = async (method: string, path: string, ip: string): Promise<string> => {
    const reply = await fetch(`${env.runtime.url}${path}`, { method, headers: { [IP_HEADER]: ip, authorization: `Bearer ${ADMIN_TOKEN}` } });
    const text = await reply.text();
    return reply.status === 429 ? String((JSON.parse(text) as { details: { reason: string }[] }).details[0]?.reason) : String(reply.status);
  };
  const declared = (limit: RateLimit) => httpFunctions.filter((fn) => (topology.functions[fn] as FunctionDeclaration).rateLimits?.includes(limit as never)).sort();

  it('the per-client limit: on exactly the functions the topology lists', async () => {
    // Act: RATE_LIMIT_PER_MINUTE=3; four requests to each function, each function from a client of its own
    const limited: FunctionName[] = [];
    for (const [index, fn] of httpFunctions.entries()) {
      const { method, path } = probeOf(fn, 'client-probe');
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await answerOf(method, path, `192.0.2.${100 + index}`));
      if (answers.some((answer) => answer.includes('per-client'))) limited.push(fn);
    }

    // Assess
    expect(declared('client')).not.toEqual([]);
    expect(limited.sort()).toEqual(declared('client'));
  });

  it('the per-survey limit: on exactly the functions the topology lists, among those whose routes name a survey', async () => {
    // Act: RATE_LIMIT_SURVEY_PER_MINUTE=5; six requests to each function naming a survey of its own (a full bucket),
    // each request from its own client
    const limited: FunctionName[] = [];
    const probed = httpFunctions.filter((fn) => probeOf(fn, 'any').names);
    for (const [index, fn] of probed.entries()) {
      await surveyNamed(`survey-probe-${index}`);
      const { method, path } = probeOf(fn, `survey-probe-${index}`);
      const answers = [];
      for (let i = 0; i < 6; i++) answers.push(await answerOf(method, path, `198.18.${index}.${i + 1}`));
      if (answers.some((answer) => answer.includes('per-survey'))) limited.push(fn);
    }

    // Assess: a function whose probe names no survey (the signed-link pages by their token, the follow-up queue,
    // customer export) is not probed
    expect(declared('survey')).not.toEqual([]);
    expect(limited.sort()).toEqual(declared('survey').filter((fn) => probed.includes(fn)));
  });
});

describe('a submission with the honeypot filled', () => {
  it('is answered 202 with an id, like any other, but nothing is enqueued or stored', async () => {
    // Prepare
    await surveyNamed('honeypot');

    // Act
    const reply = await post('192.0.2.4', { ...submission('honeypot'), idempotencyKey: 'honeypot-0001', hp: 'http://spam.example' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    // Assess
    expect(reply.status).toBe(202);
    expect(reply.body.id).toMatch(/^[0-9a-f]{32}$/);
    expect(await env.runtime.backlog()).toBe(0);
    expect(await listAll(env.runtime, 'honeypot')).toEqual([]);
  });

  it('left blank (what a person sends) is stored as usual', async () => {
    const reply = await post('192.0.2.5', { ...submission('honeypot'), hp: '' });
    const stored = await eventually(async () => (await listAll(env.runtime, 'honeypot')).find((item) => item.id === reply.body.id), 10_000, 'the stored response');
    expect(reply.status).toBe(202);
    expect(stored).not.toHaveProperty('hp');
  });
});
