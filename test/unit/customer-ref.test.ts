// unit: one customerRef rule for ingest, invitations (API and CLI rows), export and erasure; and the routes' "as
// stored" form (base64url), which reaches refs stored before the rule.
import { describe, expect, it } from 'vitest';
import { recipientOf } from '../../cli/invite.js';
import { recipientSchema } from '../../shared/invitations/invitation.js';
import { asStoredParameter, customerRefOfParameter, customerRefSchema } from '../../shared/privacy/customer-ref.js';
import { submissionSchemaFor } from '../../shared/submission/schema.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { surveySchema } from '../../shared/survey/schema.js';

const CONTROL_REFS = ['cust\u000142', 'cust\t42', 'cust\u007f42', 'cust\u008542', 'a\nb'];

describe('the customerRef rule', () => {
  it('accepts 1 to 128 characters of any script, trimmed', () => {
    // Act
    const accepted = ['c', 'cust-42', 'ana@example.com', '客户 42', 'x'.repeat(128), '  cust-42  '].map((ref) => customerRefSchema.parse(ref));

    // Assess
    expect(accepted).toEqual(['c', 'cust-42', 'ana@example.com', '客户 42', 'x'.repeat(128), 'cust-42']);
  });

  it.each(CONTROL_REFS)('refuses a ref with a control character inside (%j)', (ref) => {
    // Act
    const parsed = customerRefSchema.safeParse(ref);

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('no control characters (U+0000–U+001F, U+007F–U+009F)');
  });

  it('refuses an empty or blank ref and one over 128 characters, saying why', () => {
    // Act
    const reasons = ['', '   ', 'x'.repeat(129)].map((ref) => customerRefSchema.safeParse(ref).error?.issues.map((issue) => issue.message));

    // Assess: one reason each
    expect(reasons).toEqual([['at least 1 character (surrounding spaces are trimmed)'], ['at least 1 character (surrounding spaces are trimmed)'], ['at most 128 characters']]);
  });

  it('puts a ref in Unicode NFC, so the erasure and export of its usual spelling find it', () => {
    // Prepare: "José" with a combining acute accent (NFD), and as one character (NFC)
    const decomposed = 'Jose\u0301';

    // Act
    const taken = customerRefSchema.parse(decomposed);
    const asRouteParameter = customerRefOfParameter({ value: decomposed });
    const asStored = customerRefOfParameter({ value: asStoredParameter(decomposed), encoding: 'base64url' });

    // Assess: one spelling per customer from now on; one stored before in another form is still reached as stored
    expect(taken).toBe('Jos\u00e9');
    expect(asRouteParameter).toEqual({ success: true, data: 'Jos\u00e9' });
    expect(asStored).toEqual({ success: true, data: decomposed });
  });

  it('is the one that ingest, the invitation API and the CLI\'s CSV rows apply', () => {
    // Prepare
    const submission = submissionSchemaFor(surveySchema.parse(demoSurvey([])));
    const valid = { surveyId: 'demo', channel: 'web', answers: { nps: 9 } };

    // Act
    const ingest = submission.safeParse({ ...valid, customerRef: 'cust\u000142' });
    const ingestTrimmed = submission.parse({ ...valid, customerRef: ' cust-42 ' });
    const invitation = recipientSchema.safeParse({ customerRef: 'cust\u000142' });
    const row = recipientOf(['customerRef', 'plan'], ['cust\u000142', 'gold']);

    // Assess
    expect(ingest.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['customerRef', 'no control characters (U+0000–U+001F, U+007F–U+009F)']]);
    expect(ingestTrimmed.customerRef).toBe('cust-42');
    expect(invitation.error?.issues[0]?.path).toEqual(['customerRef']);
    expect(row).toEqual({ reason: 'customerRef: no control characters (U+0000–U+001F, U+007F–U+009F)' });
  });
});

describe('a customerRef route parameter', () => {
  it('is checked by the rule when it comes as itself', () => {
    // Act
    const plain = customerRefOfParameter({ value: ' cust-42 ' });
    const control = customerRefOfParameter({ value: 'cust\u000142' });

    // Assess
    expect(plain).toEqual({ success: true, data: 'cust-42' });
    expect(control).toEqual({ success: false, details: [{ path: 'customerRef', reason: 'no control characters (U+0000–U+001F, U+007F–U+009F)' }] });
  });

  it.each([...CONTROL_REFS, ' cust-42 ', '客户/42?#%'])('as stored (base64url) is taken exactly, whatever characters it holds (%j)', (ref) => {
    // Act
    const parsed = customerRefOfParameter({ value: asStoredParameter(ref), encoding: 'base64url' });

    // Assess
    expect(parsed).toEqual({ success: true, data: ref });
  });

  it('as stored still has at most 128 characters, is valid base64url of UTF-8, and names no other encoding', () => {
    // Act
    const tooLong = customerRefOfParameter({ value: asStoredParameter('x'.repeat(129)), encoding: 'base64url' });
    const notBase64url = customerRefOfParameter({ value: 'abc+/=', encoding: 'base64url' });
    const notUtf8 = customerRefOfParameter({ value: Buffer.from([0xff, 0xfe]).toString('base64url'), encoding: 'base64url' });
    const otherEncoding = customerRefOfParameter({ value: 'cust', encoding: 'hex' });

    // Assess
    expect(tooLong).toEqual({ success: false, details: [{ path: 'customerRef', reason: 'at most 128 characters' }] });
    expect(notBase64url).toMatchObject({ success: false, details: [{ path: 'customerRef' }] });
    expect(notUtf8).toMatchObject({ success: false, details: [{ path: 'customerRef' }] });
    expect(otherEncoding).toEqual({ success: false, details: [{ path: 'encoding', reason: 'only "base64url" (the ref exactly as stored)' }] });
  });
});
