// unit: Lambda's answer quota as the local runtime holds its functions to it (infra/lambda-quotas.ts; the
// deploy-faithful runner's sandboxes are tested in deployed-function-pool.test.ts): an answer whose JSON is exactly at
// the quota goes through, one byte more fails with Lambda's error.
import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_BYTES, withinAnswerQuota } from '../../infra/lambda-quotas.js';

describe("Lambda's answer quota", () => {
  it('takes an answer whose JSON is at the quota and refuses one a byte over, as Lambda does', () => {
    // Prepare: a payload 2.0 answer whose body makes its JSON exactly the quota (the body's escaping counted by JSON)
    const envelope = JSON.stringify({ statusCode: 200, body: '' }).length;
    const atQuota = { statusCode: 200, body: '"'.repeat((MAX_PAYLOAD_BYTES - envelope) / 2) };

    // Act + Assess
    expect(Buffer.byteLength(JSON.stringify(atQuota))).toBe(MAX_PAYLOAD_BYTES);
    expect(withinAnswerQuota(atQuota)).toBe(atQuota);
    expect(() => withinAnswerQuota({ ...atQuota, body: `${atQuota.body}x` })).toThrow(
      expect.objectContaining({ name: 'Function.ResponseSizeTooLarge', message: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' }),
    );
    expect([withinAnswerQuota(undefined), withinAnswerQuota(null)]).toEqual([undefined, null]);
  });
});
