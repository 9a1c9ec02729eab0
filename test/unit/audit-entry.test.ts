// unit: audit log entries carry ids and outcomes only, never personal data (shared/audit/audit-entry.ts), and the
// rate-limit settings read from the environment (functions/commons/rate-limit.ts).
import { describe, expect, it } from 'vitest';
import { auditEntryOf, customerRefHashOf } from '../../shared/audit/audit-entry.js';
import { authFailureSettingsFromEnvironment, clientIpOf, rateLimitSettingsFromEnvironment } from '../../functions/commons/rate-limit.js';
import type { HttpEvent } from '../../functions/commons/http.js';

const at = new Date('2026-11-23T10:00:00.000Z');
const lead = { actor: { id: 'cx:0123456789abcdef', name: 'Ana Example' }, role: 'cx' as const };

describe('an audit entry', () => {
  it('holds exactly who, what, which ids, when and the outcome', () => {
    // Act
    const entry = auditEntryOf({ at, principal: lead, action: 'followup.notes', targets: { taskId: 't-1', surveyId: 'demo' }, status: 200 });

    // Assess
    expect(entry).toEqual({ at: '2026-11-23T10:00:00.000Z', actorId: 'cx:0123456789abcdef', role: 'cx', action: 'followup.notes', targets: { taskId: 't-1', surveyId: 'demo' }, status: 200 });
  });

  it('keeps a customerRef only as its hash, and never the actor\'s name', () => {
    const entry = auditEntryOf({ at, principal: lead, action: 'customer.erase', targets: { customerRef: 'jane@example.com' }, status: 200 });
    const text = JSON.stringify(entry);
    expect(entry.targets).toEqual({ customerRefHash: customerRefHashOf('jane@example.com') });
    expect(entry.targets.customerRefHash).toMatch(/^[0-9a-f]{64}$/);
    expect(text).not.toContain('jane');
    expect(text).not.toContain('Ana Example');
  });

  it('drops a target that is not an id (a path parameter cannot smuggle text into the log)', () => {
    const entry = auditEntryOf({ at, principal: lead, action: 'followup.claim', targets: { taskId: 'call me on 555 0100 please' }, status: 404 });
    expect(entry.targets).toEqual({});
  });

  it('accepts no field outside the closed set, whatever is passed in', () => {
    const input = { at, principal: lead, action: 'survey.put' as const, targets: { surveyId: 'demo', comment: 'secret' } as never, status: 200, note: 'secret' };
    expect(JSON.stringify(auditEntryOf(input))).not.toContain('secret');
  });
});

describe('rate-limit settings', () => {
  it('default to 120 per client IP and 50 times that per survey', () => {
    expect(rateLimitSettingsFromEnvironment({})).toEqual({ perIpPerMinute: 120, perSurveyPerMinute: 6_000, clientIpHeader: undefined });
  });

  it('turn every limit off with RATE_LIMIT_PER_MINUTE=0', () => {
    expect(rateLimitSettingsFromEnvironment({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_SURVEY_PER_MINUTE: '10' })).toMatchObject({ perIpPerMinute: 0, perSurveyPerMinute: 0 });
  });

  it('fail loudly on a value that is not a whole number', () => {
    expect(() => rateLimitSettingsFromEnvironment({ RATE_LIMIT_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_PER_MINUTE/);
  });

  it('allow 10 failed authentications per client per minute by default, and none are limited when every limit is off', () => {
    expect(authFailureSettingsFromEnvironment({})).toEqual({ failuresPerMinute: 10, clientIpHeader: undefined });
    expect(authFailureSettingsFromEnvironment({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3', RATE_LIMIT_CLIENT_IP_HEADER: 'X-Client' })).toEqual({ failuresPerMinute: 3, clientIpHeader: 'x-client' });
    expect(authFailureSettingsFromEnvironment({ RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' }).failuresPerMinute).toBe(0);
    expect(() => authFailureSettingsFromEnvironment({ RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: 'many' })).toThrow(/RATE_LIMIT_AUTH_FAILURES_PER_MINUTE/);
  });

  it('take the client IP from the trusted header when configured, without its port', () => {
    const event = { headers: { 'cloudfront-viewer-address': '2001:db8::7:46532' }, requestContext: { http: { sourceIp: '130.176.0.1' } } } as unknown as HttpEvent;
    expect(clientIpOf(event, 'cloudfront-viewer-address')).toBe('2001:db8::7');
    expect(clientIpOf(event)).toBe('130.176.0.1');
  });

  it('take an address without a port as it is, IPv6 included (the edge writes the viewer\'s address so)', () => {
    const withAddress = (address: string) => ({ headers: { 'x-feedback-viewer-address': address }, requestContext: { http: { sourceIp: '130.176.0.1' } } }) as unknown as HttpEvent;
    expect(clientIpOf(withAddress('2001:db8::1'), 'x-feedback-viewer-address')).toBe('2001:db8::1');
    expect(clientIpOf(withAddress('2001:db8::1:2'), 'x-feedback-viewer-address')).toBe('2001:db8::1:2');
    expect(clientIpOf(withAddress('203.0.113.7'), 'x-feedback-viewer-address')).toBe('203.0.113.7');
    expect(clientIpOf(withAddress('203.0.113.7:443'), 'x-feedback-viewer-address')).toBe('203.0.113.7');
  });
});
