// unit: the route table every multi-route HTTP handler dispatches through (functions/commons/routes.ts). A route key
// in the table reaches its route with the handler's context; any other key, including an inherited property name, is
// a 404 JSON error through the shared error middleware, and no route runs.
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { httpErrors, json, type HttpEvent } from '../../functions/commons/http.js';
import { dispatchWith, routeTable } from '../../functions/commons/routes.js';
import fixture from '../events/http/post-response.json' with { type: 'json' };

const eventFor = (routeKey: string): HttpEvent => ({ ...(structuredClone(fixture) as unknown as HttpEvent), routeKey });

/** a handler wired as the routed functions are: the caller resolved first, then the table; `ran` lists the routes run */
function routed() {
  const ran: string[] = [];
  const table = routeTable<{ caller: string }>({
    'POST /v1/responses': async (_event, { caller }) => {
      ran.push('submit');
      return json(202, { by: caller });
    },
    'GET /v1/things/{id}': async (event) => {
      ran.push('read');
      return json(200, { id: event.pathParameters?.id });
    },
  });
  const handler = middy(dispatchWith(async () => ({ caller: 'admin' }), table)).use(httpErrors());
  return { ran, invoke: (event: HttpEvent) => handler(event, {} as Context) };
}

describe('Route table', () => {
  it('answers a route key in the table with its route, given the context resolved first', async () => {
    // Prepare
    const { ran, invoke } = routed();

    // Act
    const answer = await invoke(eventFor('POST /v1/responses'));

    // Assess
    expect(answer).toMatchObject({ statusCode: 202 });
    expect(JSON.parse(answer.body ?? '')).toEqual({ by: 'admin' });
    expect(ran).toEqual(['submit']);
  });

  it.each(['GET /v1/nowhere', 'POST /v1/things/{id}', 'constructor', 'toString', '__proto__'])('answers route key %s with a 404 JSON error and runs no route', async (routeKey) => {
    // Prepare
    const { ran, invoke } = routed();

    // Act
    const answer = await invoke(eventFor(routeKey));

    // Assess
    expect(answer).toMatchObject({ statusCode: 404 });
    expect(JSON.parse(answer.body ?? '')).toEqual({ error: 'no such route', details: [] });
    expect(ran).toEqual([]);
  });
});
