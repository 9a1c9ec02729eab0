// unit: `customers export <ref>` follows the export's pages (nextCursor) and prints one document with every section's
// items in order, as if the API had answered in one page. The API here is a stand-in on 127.0.0.1 that answers the
// pages the privacy route answers (test/integration/customer-export-pages.test.ts covers the route's own paging).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { asStoredParameter } from '../../shared/privacy/customer-ref.js';

const PAGES: Record<string, Record<string, unknown>> = {
  '': { customerRef: 'crm 1', exportedAt: '2026-12-07T10:00:00.000Z', responses: [{ id: 'r1' }, { id: 'r2' }], tasks: [], notifications: [], invitations: [], nextCursor: 'c1' },
  c1: { customerRef: 'crm 1', exportedAt: '2026-12-07T10:00:01.000Z', responses: [{ id: 'r3' }], tasks: [{ status: 'open' }], notifications: [{ kind: 'opened' }], invitations: [], nextCursor: 'c2' },
  c2: { customerRef: 'crm 1', exportedAt: '2026-12-07T10:00:02.000Z', responses: [], tasks: [], notifications: [], invitations: [{ campaign: 'spring' }], nextCursor: null },
};

let server: Server;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requested.push(request.url ?? '');
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    // the ref in the routes' base64url form, which the CLI always sends
    const page = url.pathname === `/v1/customers/${asStoredParameter('crm 1')}/export` && url.searchParams.get('encoding') === 'base64url' ? PAGES[url.searchParams.get('cursor') ?? ''] : undefined;
    response.writeHead(page ? 200 : 404, { 'content-type': 'application/json' });
    response.end(JSON.stringify(page ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the CLI exporting a customer', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('follows nextCursor to the last page and prints the sections of all pages as one document', async () => {
    // Act
    const result = await runCli(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, ['customers', 'export', 'crm 1']);

    // Assess: three requests, the second and third with the cursor the page before answered
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(requested.map((url) => new URL(url, 'http://127.0.0.1').searchParams.get('cursor'))).toEqual([null, 'c1', 'c2']);
    expect(JSON.parse(result.stdout)).toEqual({
      customerRef: 'crm 1',
      exportedAt: '2026-12-07T10:00:00.000Z',
      responses: [{ id: 'r1' }, { id: 'r2' }, { id: 'r3' }],
      tasks: [{ status: 'open' }],
      notifications: [{ kind: 'opened' }],
      invitations: [{ campaign: 'spring' }],
    });
  });
});
