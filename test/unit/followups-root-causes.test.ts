// unit: closing with learning: the survey's root-cause list, the resolve body, and which listed root cause a value names.
import { describe, expect, it } from 'vitest';
import { detailsFromZod } from '../../shared/errors.js';
import { closingOf, DEFAULT_ROOT_CAUSES, matchRootCause, resolveBodySchema, rootCausesSchema } from '../../shared/followups/root-causes.js';
import { surveySchema } from '../../shared/survey/schema.js';

const survey = (followUp?: unknown) => ({ id: 's', title: 's', channels: ['web'], questions: [{ id: 'nps', type: 'nps' }], texts: { en: { title: 's', questions: {} } }, ...(followUp ? { followUp } : {}) });
const problems = (result: { success: boolean; error?: Parameters<typeof detailsFromZod>[0] }) => (result.success ? [] : detailsFromZod(result.error!));

describe('a survey\'s root causes', () => {
  it('default to delivery, product defect, billing, support, price and other', () => {
    // Act
    const parsed = surveySchema.parse(survey());

    // Assess
    expect(parsed.followUp.rootCauses).toEqual(['delivery', 'product defect', 'billing', 'support', 'price', 'other']);
    expect(parsed.followUp.rootCauses).not.toBe(DEFAULT_ROOT_CAUSES);
  });

  it('are trimmed, and a duplicate (ignoring case) is refused at its index', () => {
    // Act
    const trimmed = rootCausesSchema.safeParse(['  late courier ', 'billing']);
    const duplicate = surveySchema.safeParse(survey({ rootCauses: ['delivery', 'billing', ' Delivery'] }));

    // Assess
    expect(trimmed).toMatchObject({ success: true, data: ['late courier', 'billing'] });
    expect(problems(duplicate)).toEqual([{ path: 'followUp.rootCauses.2', reason: 'duplicate root cause "Delivery" (as at index 0)' }]);
  });

  it('are 1 to 50 names of 1 to 60 characters', () => {
    expect(problems(rootCausesSchema.safeParse([]))).toMatchObject([{ path: '' }]);
    expect(problems(rootCausesSchema.safeParse(Array.from({ length: 51 }, (_, i) => `cause ${i}`)))).toMatchObject([{ path: '' }]);
    expect(problems(rootCausesSchema.safeParse(['ok', '   ']))).toMatchObject([{ path: '1' }]);
    expect(problems(rootCausesSchema.safeParse(['x'.repeat(61)]))).toMatchObject([{ path: '0' }]);
    expect(rootCausesSchema.safeParse(['x'.repeat(60)]).success).toBe(true);
  });
});

describe('the resolve body', () => {
  it('resolving needs a root cause and the action taken; the reason defaults to the action', () => {
    // Act
    const missing = resolveBodySchema.safeParse({});
    const resolved = resolveBodySchema.parse({ rootCause: 'billing', action: ' Refunded the fee ' });
    const withReason = resolveBodySchema.parse({ outcome: 'resolved', rootCause: 'billing', action: 'Refunded', reason: 'fee charged twice' });

    // Assess
    expect(problems(missing).map((d) => d.path)).toEqual(['rootCause', 'action']);
    expect(closingOf(resolved)).toEqual({ outcome: 'resolved', reason: 'Refunded the fee', rootCause: 'billing', action: 'Refunded the fee' });
    expect(closingOf(withReason)).toEqual({ outcome: 'resolved', reason: 'fee charged twice', rootCause: 'billing', action: 'Refunded' });
  });

  it('no action needs a reason, and takes a root cause optionally', () => {
    // Act
    const missing = resolveBodySchema.safeParse({ outcome: 'no_action', rootCause: 'price' });
    const plain = resolveBodySchema.parse({ outcome: 'no_action', reason: 'customer declined' });

    // Assess
    expect(problems(missing)).toEqual([{ path: 'reason', reason: 'a reason is required' }]);
    expect(closingOf(plain)).toEqual({ outcome: 'no_action', reason: 'customer declined' });
  });

  it('refuses unknown fields and an action over 500 characters, by name', () => {
    expect(problems(resolveBodySchema.safeParse({ rootCause: 'billing', action: 'a', cause: 'x' }))).toEqual([{ path: 'cause', reason: 'unknown field' }]);
    expect(problems(resolveBodySchema.safeParse({ rootCause: 'billing', action: 'a'.repeat(501) }))).toMatchObject([{ path: 'action' }]);
  });
});

describe('matching a root cause', () => {
  it('finds the listed root cause ignoring case and spaces, spelled as listed, or lists the allowed ones', () => {
    expect(matchRootCause(['delivery', 'Product defect'], ' product DEFECT')).toEqual({ ok: true, rootCause: 'Product defect' });
    expect(matchRootCause(['delivery', 'billing'], 'weather')).toEqual({ ok: false, reason: "not one of this survey's root causes: delivery, billing" });
  });
});
