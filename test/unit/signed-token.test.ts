// unit: signed link tokens: round trip, tampering, expiry, purpose and key rotation; email survey links too.
import { describe, expect, it } from 'vitest';
import { pageStamp, servedAtOf } from '../../shared/invitations/human-signal.js';
import { emailHashOf } from '../../shared/invitations/invitation.js';
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

// email survey links: personal tokens (purpose "survey" with an invitationId), the page stamp and the e-mail hash
describe('email survey link tokens', () => {
  const survey = { purpose: 'survey' as const, surveyId: 'demo', invitationId: 'i_abc', exp };

  it('verify a personal survey link and carry its invitation, survey and expiry', () => {
    const token = signLinkToken([oldKey, newKey], survey);
    expect(verifyLinkToken([oldKey, newKey], token, 'survey', now)).toEqual({ ok: true, payload: { kid: 'k2', ...survey } });
    expect(verifyLinkToken([oldKey, newKey], token, 'resurvey', now).ok).toBe(false);
  });

  it('keep verifying after a rotation appends a key, and sign new links with the new key', () => {
    const before = signLinkToken([oldKey], survey);
    const after = signLinkToken([oldKey, newKey], survey);
    expect(verifyLinkToken([oldKey, newKey], before, 'survey', now)).toMatchObject({ ok: true, payload: { kid: 'k1' } });
    expect(verifyLinkToken([oldKey, newKey], after, 'survey', now)).toMatchObject({ ok: true, payload: { kid: 'k2' } });
  });

  it('refuse another invitation, survey or expiry spliced onto a valid signature, a truncated token and a changed key id', () => {
    const token = signLinkToken([newKey], survey);
    const [, signature] = token.split('.') as [string, string];
    const forge = (payload: object) => `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${signature}`;
    for (const forged of [
      forge({ kid: 'k2', ...survey, invitationId: 'i_other' }),
      forge({ kid: 'k2', ...survey, surveyId: 'other' }),
      forge({ kid: 'k2', ...survey, exp: exp + 86_400 }),
      forge({ kid: 'k1', ...survey }),
      token.slice(0, -1),
      token.slice(0, token.indexOf('.')),
      `${token}A`,
    ]) {
      expect(verifyLinkToken([oldKey, newKey], forged, 'survey', now), forged).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('page stamps prove when a page was served, for that link only', () => {
    const token = signLinkToken([newKey], survey);
    const other = signLinkToken([newKey], { ...survey, invitationId: 'i_other' });
    const stamp = pageStamp([oldKey, newKey], token, now);
    expect(servedAtOf([oldKey, newKey], token, stamp)).toEqual(now);
    expect(servedAtOf([oldKey, newKey], other, stamp)).toBeUndefined();
    expect(servedAtOf([oldKey, newKey], token, stamp.replace(String(now.getTime()), String(now.getTime() - 5000)))).toBeUndefined();
    expect(servedAtOf([oldKey], token, stamp)).toBeUndefined();
    expect(servedAtOf([newKey], token, 'garbage')).toBeUndefined();
  });

  it('hash an e-mail address with a key of its own, the same for any case and across a key rotation', () => {
    const hash = emailHashOf([oldKey], 'Ana@Example.com ');
    expect(hash).toMatch(/^k1:[0-9a-f]{64}$/);
    expect(emailHashOf([oldKey, newKey], 'ana@example.com')).toBe(hash);
    expect(hash).not.toContain('ana');
    expect(emailHashOf([newKey], 'ana@example.com')).not.toBe(hash);
  });
});
