// deploy-faithful runner: the CloudFront Function the API's distribution runs on each viewer request, run on each
// request the runner's API receives, from the template's own code (DeployedShape.viewerRequestCode), so what the
// functions get from the edge (e.g. the viewer's address, infra/cdk/viewer-address.ts) is what that code sets, not
// what the runner assumes. The event and the answer are CloudFront's (JavaScript runtime 2.0): headers as
// `{ name: { value } }`, and either the request, changed, or a response that CloudFront sends instead.
import { runInNewContext } from 'node:vm';

export interface ViewerRequestInput {
  method: string;
  uri: string;
  /** lower-case names */
  headers: Record<string, string>;
  viewerIp: string;
}

export type ViewerRequestOutcome =
  | { kind: 'forward'; headers: Record<string, string> }
  | { kind: 'answer'; statusCode: number; headers: Record<string, string>; body?: string };

type CloudFrontHeaders = Record<string, { value: string }>;

const toCloudFront = (headers: Record<string, string>): CloudFrontHeaders => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, { value }]));
const fromCloudFront = (headers: CloudFrontHeaders | undefined): Record<string, string> =>
  Object.fromEntries(Object.entries(headers ?? {}).map(([name, header]) => [name.toLowerCase(), String(header.value)]));

/** the template's code as a function of a request; it throws (as CloudFront answers 503) when the code does */
export function compileViewerRequest(code: string): (input: ViewerRequestInput) => ViewerRequestOutcome {
  // a context of its own: the code sees JavaScript's built-ins and nothing of the runner, as at the edge
  const handler = runInNewContext(`${code}\n;handler`, {}, { filename: 'viewer-request.js' }) as unknown;
  if (typeof handler !== 'function') throw new Error('the viewer-request function defines no handler(event)');
  return ({ method, uri, headers, viewerIp }) => {
    const event = { version: '1.0', context: { eventType: 'viewer-request' }, viewer: { ip: viewerIp }, request: { method, uri, querystring: {}, headers: toCloudFront(headers), cookies: {} } };
    const result = (handler as (event: unknown) => { statusCode?: number; headers?: CloudFrontHeaders; body?: string | { data: string } })(event);
    if (typeof result?.statusCode === 'number') {
      const body = typeof result.body === 'object' ? result.body.data : result.body;
      return { kind: 'answer', statusCode: result.statusCode, headers: fromCloudFront(result.headers), ...(body !== undefined ? { body } : {}) };
    }
    return { kind: 'forward', headers: fromCloudFront(result?.headers) };
  };
}
