// handler: GET /r/{token} → the re-survey form of a resolved follow-up task; POST /r/{token} (form or JSON
// `answer` 1–5) → stores the answer on the task, once. Public: the signed token is the credential. Answers are HTML
// pages (400 tampered, 404 unknown, 409 answered, 410 expired).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { ApiError } from '../../shared/errors.js';
import { createDynamoTaskStore } from '../../shared/followups/dynamo-task-store.js';
import { makeResurvey } from '../../shared/followups/resurvey.js';
import { readEnv } from '../commons/env.js';
import { header, htmlPage, httpErrors, type HttpEvent, type HttpResult } from '../commons/http.js';
import { linkKeysFromEnvironment } from '../commons/link-keys.js';
import { originVerify } from '../commons/origin-verify.js';
import { logger } from '../commons/powertools.js';
import { rateLimit } from '../commons/rate-limit.js';
import { formPage, messagePage } from './page.js';

const MAX_BODY_BYTES = 1024;

const env = readEnv({ [tableEnvName('followups')]: z.string().min(1) });
const resurvey = makeResurvey({
  tasks: createDynamoTaskStore(createDocumentClient(), env[tableEnvName('followups')]),
  linkKeys: linkKeysFromEnvironment(),
  clock: systemClock,
});

const html = (statusCode: number, body: string) => htmlPage(statusCode, body);

/** the `answer` field of a form post or a JSON body; undefined when absent or unreadable */
function answerOf(event: HttpEvent): unknown {
  const raw = event.isBase64Encoded ? Buffer.from(event.body ?? '', 'base64').toString('utf8') : (event.body ?? '');
  if (raw.length > MAX_BODY_BYTES) return undefined;
  if ((header(event, 'content-type') ?? '').includes('json')) {
    try {
      return (JSON.parse(raw) as { answer?: unknown }).answer;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(raw).get('answer') ?? undefined;
}

const MESSAGES: Record<number, [string, string]> = {
  400: ['This link is not valid', 'Please use the link exactly as we sent it.'],
  404: ['This link is not valid', 'We could not find what this link refers to.'],
  409: ['Already answered', 'Thank you: we already have your answer.'],
  410: ['This link has expired', 'The survey behind this link has closed.'],
};

async function resurveyPage(event: HttpEvent): Promise<HttpResult> {
  const token = event.pathParameters?.token ?? '';
  try {
    if (event.requestContext.http.method === 'POST') {
      await resurvey.answer(token, answerOf(event));
      return html(200, messagePage('Thank you', 'Your answer has been recorded.'));
    }
    const { state } = await resurvey.show(token);
    if (state === 'answered') return html(200, messagePage(...MESSAGES[409]!));
    return html(200, formPage(event.rawPath));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 400 && error.details.some((d) => d.path === 'answer')) return html(400, messagePage('Please choose an answer', 'Pick one of 1 to 5, then send.'));
    const [heading, message] = MESSAGES[error.status] ?? MESSAGES[400]!;
    return html(error.status, messagePage(heading, message));
  }
}

export const handler = middy(resurveyPage).use(injectLambdaContext(logger)).use(originVerify()).use(httpErrors()).use(rateLimit());
