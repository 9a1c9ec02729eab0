// unit: signed link tokens: round trip, tampering, expiry, purpose and key rotation.
import { describe, expect, it } from 'vitest';
import { linkKeysSchema, signLinkToken, verifyLinkToken } from '../../shared/links/signed-token.js';

const now = new Date('2026-11-23T10:00:00.000Z');
const exp = Math.floor(now.getTime() / 1000) + 3600;
const oldKey = { kid: 'k1', secret: 'old-secret-0123456789abcdefghijklmnop' };
const newKey = { kid: 'k2', secret: 'new-secret-0123456789abcdefghijklmnop' };
const payload = { purpose: 'resurvey' as const, taskId: 't_1', surveyId: 'delivery', exp };

describe('signed link tokens', () => {
  it('verifies what it signed, with the newest key', () => {
    const token = signLinkToken([oldKey, newKey], payload);
    expect(verifyLinkToken([oldKey, newKey], token, 'resurvey', now)).toEqual({ ok: true, payload: { kid: 'k2', ...payload } });
  });

  it('keeps verifying tokens of an older key while it is kept, and refuses them once it is dropped', () => {
    const token = signLinkToken([oldKey], payload);
    expect(verifyLinkToken([oldKey, newKey], token, 'resurvey', now).ok).toBe(true);
    expect(verifyLinkToken([newKey], token, 'resurvey', now)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a tampered payload or signature, another purpose and garbage; reports expiry apart', () => {
    // Prepare
    const token = signLinkToken([newKey], payload);
    const [body, signature] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ kid: 'k2', ...payload, taskId: 't_2' })).toString('base64url');

    // Act / Assess
    expect(verifyLinkToken([newKey], `${forged}.${signature}`, 'resurvey', now).ok).toBe(false);
    expect(verifyLinkToken([newKey], `${body}.${signature.slice(0, -2)}AA`, 'resurvey', now).ok).toBe(false);
    expect(verifyLinkToken([newKey], token, 'survey', now).ok).toBe(false);
    expect(verifyLinkToken([newKey], 'not a token', 'resurvey', now).ok).toBe(false);
    expect(verifyLinkToken([newKey], token, 'resurvey', new Date((exp + 1) * 1000))).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('reads one key or several from JSON, refusing short secrets', () => {
    expect(linkKeysSchema.parse(oldKey)).toEqual([oldKey]);
    expect(linkKeysSchema.parse([oldKey, newKey])).toEqual([oldKey, newKey]);
    expect(linkKeysSchema.safeParse({ kid: 'k', secret: 'short' }).success).toBe(false);
  });
});
