// unit: where minted email survey links point. In the cloud only configuration decides (EMAIL_SURVEY_BASE_URL, https);
// a forged Host or X-Forwarded-Proto never changes a link, and the invitations function does not start without it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { publicBaseUrlSchema } from '../../functions/commons/email-survey-settings.js';
import type { HttpEvent } from '../../functions/commons/http.js';
import { linkBaseOf } from '../../functions/commons/link-base-url.js';
import fixture from '../events/http/mint-invitations.json' with { type: 'json' };

const mintEvent = (headers: Record<string, string> = {}): HttpEvent => {
  const event = structuredClone(fixture) as unknown as HttpEvent;
  event.headers = { ...event.headers, ...headers };
  return event;
};
const FORGED: Record<string, string>[] = [
  { host: 'evil.example' },
  { 'x-forwarded-proto': 'javascript' },
  { host: 'alert(1)//', 'x-forwarded-proto': 'javascript:' },
  { host: '127.0.0.1:3000', 'x-forwarded-proto': 'javascript' },
  { 'x-forwarded-host': 'evil.example' },
];

describe('the base URL of minted email survey links', () => {
  it('in the cloud is the configured one, whatever Host or X-Forwarded-* the request carries', () => {
    // Prepare
    const baseOf = linkBaseOf({ configured: 'https://d111111abcdef8.cloudfront.net', cloud: true });

    // Act
    const bases = [mintEvent(), ...FORGED.map(mintEvent)].map((event) => baseOf(event));

    // Assess
    expect(new Set(bases)).toEqual(new Set(['https://d111111abcdef8.cloudfront.net']));
  });

  it('in the cloud cannot start without a configured base URL, or with one that is not https but on a loopback origin', () => {
    expect(() => linkBaseOf({ configured: undefined, cloud: true })).toThrow(/EMAIL_SURVEY_BASE_URL \(required in the cloud/);
    for (const base of ['http://feedback.example.com', 'http://127.0.0.1.example.com', 'http://127.0.0.1:3000/s', 'ftp://127.0.0.1', 'http://evil.example@127.0.0.1:3100', 'http://127.0.0.1:3100?x=1', 'http://127.0.0.1:3100#@x', 'http://127.0.0.1:3100/']) {
      expect(() => linkBaseOf({ configured: base, cloud: true }), base).toThrow(/EMAIL_SURVEY_BASE_URL \(https only/);
    }
  });

  it('in the cloud takes a configured loopback origin over http, as the deployed runner gives it, whatever the request carries', () => {
    // Prepare: the runner standing in for the edge on 127.0.0.1
    const baseOf = linkBaseOf({ configured: 'http://127.0.0.1:3100', cloud: true });

    // Act
    const bases = [mintEvent(), ...FORGED.map(mintEvent)].map((event) => baseOf(event));

    // Assess
    expect(new Set(bases)).toEqual(new Set(['http://127.0.0.1:3100']));
  });

  it('locally (no base URL) is the loopback origin the request came in on, always http, never X-Forwarded-Proto', () => {
    const baseOf = linkBaseOf({ configured: undefined, cloud: false });
    expect(baseOf(mintEvent({ host: '127.0.0.1:3000', 'x-forwarded-proto': 'javascript' }))).toBe('http://127.0.0.1:3000');
    expect(baseOf(mintEvent({ host: 'localhost:8080' }))).toBe('http://localhost:8080');
    expect(baseOf(mintEvent({ host: '[::1]:3000', 'x-forwarded-proto': 'https' }))).toBe('http://[::1]:3000');
  });

  it('locally refuses a request whose Host is not a loopback address with a 400 naming the host', () => {
    const baseOf = linkBaseOf({ configured: undefined, cloud: false });
    for (const headers of <Record<string, string>[]>[{ host: 'evil.example' }, { host: '127.0.0.1.evil.example' }, { host: 'localhost:3000/x' }, {}]) {
      expect(() => baseOf(mintEvent(headers)), JSON.stringify(headers)).toThrow(expect.objectContaining({ status: 400, details: [expect.objectContaining({ path: 'host' })] }));
    }
  });

  it('accepts https, and http only on a loopback host; refuses javascript:, other schemes, credentials, query and fragment', () => {
    for (const good of ['https://feedback.example.com', 'https://feedback.example.com/survey/', 'http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000']) {
      expect(publicBaseUrlSchema.safeParse(good).success, good).toBe(true);
    }
    expect(publicBaseUrlSchema.parse('https://feedback.example.com/survey/')).toBe('https://feedback.example.com/survey');
    for (const bad of ['javascript:alert(1)', 'javascript://feedback.example.com/%0aalert(1)', 'http://feedback.example.com', 'ftp://feedback.example.com', 'data:text/html,x', 'feedback.example.com', 'https://u:p@feedback.example.com', 'https://feedback.example.com/?a=1', 'https://feedback.example.com/#x']) {
      expect(publicBaseUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('the invitations function at cold start', () => {
  const CLOUD = {
    SURVEYS_TABLE: 'surveys',
    INVITATIONS_TABLE: 'invitations',
    RESPONSES_TABLE: 'responses',
    CXLEADS_TABLE: 'cxLeads',
    AUDIT_TABLE: 'audit',
    AWS_REGION: 'us-east-1',
    ADMIN_TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:AdminToken-AbCdEf',
    LINK_SIGNING_KEYS_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:LinkSigningKeys-AbCdEf',
    // the local runtime's values, in case this process has them
    FEEDBACK_ADMIN_TOKEN: undefined,
    LINK_SIGNING_KEYS: undefined,
  };
  const coldStart = (env: Record<string, string | undefined>) => {
    vi.resetModules();
    for (const [name, value] of Object.entries({ ...CLOUD, ...env })) vi.stubEnv(name, value);
    return import('../../functions/invitations/handler.js');
  };
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('fails with its cloud configuration and no EMAIL_SURVEY_BASE_URL', async () => {
    await expect(coldStart({ EMAIL_SURVEY_BASE_URL: undefined })).rejects.toThrow(/EMAIL_SURVEY_BASE_URL/);
  });

  it.each(['javascript:alert(1)', 'http://feedback.example.com', 'http://127.0.0.1:3000/s'])('fails with its cloud configuration and EMAIL_SURVEY_BASE_URL=%s', async (base) => {
    await expect(coldStart({ EMAIL_SURVEY_BASE_URL: base })).rejects.toThrow(/EMAIL_SURVEY_BASE_URL/);
  });

  it.each(['https://feedback.example.com', 'http://127.0.0.1:3100'])('starts with its cloud configuration and EMAIL_SURVEY_BASE_URL=%s', async (base) => {
    await expect(coldStart({ EMAIL_SURVEY_BASE_URL: base })).resolves.toHaveProperty('handler');
  });
});
