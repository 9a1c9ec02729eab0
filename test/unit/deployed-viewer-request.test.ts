// unit: the deploy-faithful runner's viewer-request step (infra/deployed/viewer-request.ts): a CloudFront Function's
// code, as the template holds it, run on a request with CloudFront's event and answer shapes.
import { describe, expect, it } from 'vitest';
import { VIEWER_ADDRESS_FUNCTION_CODE, VIEWER_ADDRESS_HEADER } from '../../infra/cdk/viewer-address.js';
import { compileViewerRequest } from '../../infra/deployed/viewer-request.js';

const request = { method: 'GET', uri: '/v1/me', headers: { authorization: 'Bearer x' }, viewerIp: '192.0.2.4' };

describe('a viewer-request function run by the runner', () => {
  it('forwards the request with the headers the code leaves on it', () => {
    expect(compileViewerRequest(VIEWER_ADDRESS_FUNCTION_CODE)(request)).toEqual({ kind: 'forward', headers: { authorization: 'Bearer x', [VIEWER_ADDRESS_HEADER]: '192.0.2.4' } });
  });

  it('answers in CloudFront\'s place when the code returns a response, and sees only JavaScript, not the runner', () => {
    const code = `function handler(event) {
      if (typeof process !== 'undefined' || typeof require !== 'undefined') return event.request;
      return { statusCode: 403, statusDescription: 'Forbidden', headers: { 'content-type': { value: 'text/plain' } }, body: { encoding: 'text', data: 'no ' + event.request.uri } };
    }`;
    expect(compileViewerRequest(code)(request)).toEqual({ kind: 'answer', statusCode: 403, headers: { 'content-type': 'text/plain' }, body: 'no /v1/me' });
  });

  it('refuses code without a handler, and lets an exception in the code through', () => {
    expect(() => compileViewerRequest('var handle = 1;')).toThrow(/handler/);
    expect(() => compileViewerRequest('function handler() { throw new Error("boom"); }')(request)).toThrow('boom');
  });
});
