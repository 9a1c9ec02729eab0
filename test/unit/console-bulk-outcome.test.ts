// unit: what the CX console says after a bulk action (web-console/src/bulk-outcome.ts): how many tasks were done, and
// one sentence per reason the others were not, naming a few of its tasks and counting the rest, in each language; a
// failure the API gave no reason for is said in the console's own words.
import { describe, expect, it } from 'vitest';
import { bulkOutcome, type BulkResult } from '../../web-console/src/bulk-outcome.js';
import { TASK_NOT_FOUND } from '../../shared/followups/task-refusals.js';
import { translator } from '../support/console-words.js';

const UNWORDED = 'must not close a VIP customer’s task';
/** the list's name for each task: t_0 is "customer crm-0" (in Chinese "客户 crm-0") */
const names = (count: number, customer = 'customer') => new Map(Array.from({ length: count }, (_, i) => [`t_${i}`, `${customer} crm-${i}`]));
const done = (i: number): BulkResult => ({ id: `t_${i}`, ok: true });
const refused = (i: number, error: string | undefined): BulkResult => ({ id: `t_${i}`, ok: false, error });

describe('the news of a bulk action', () => {
  it('says one sentence per reason for a hundred tasks not done, naming three of each and counting the rest, in English and Chinese', () => {
    // Prepare: 2 done, 60 gone, 37 refused for a reason without words (interleaved), one with an empty reason
    const results = [
      done(0),
      done(1),
      ...Array.from({ length: 97 }, (_, k) => (k % 3 === 2 ? refused(k + 2, UNWORDED) : refused(k + 2, TASK_NOT_FOUND))),
      refused(99, ''),
    ];
    expect(results.filter((r) => !r.ok)).toHaveLength(98);

    // Act
    const en = bulkOutcome(results, names(100), translator('en'));
    const zh = bulkOutcome(results, names(100, '客户'), translator('zh-CN'));

    // Assess: a reason's tasks in the order the API gave them; the empty reason in the console's words
    expect(en).toBe(
      '2 of 100 done. ' +
        'Not done for customer crm-2, customer crm-3, customer crm-5 and 62 more: This task no longer exists (it may have expired). ' +
        'Not done for customer crm-4, customer crm-7, customer crm-10 and 29 more: must not close a VIP customer’s task. ' +
        'Not done for customer crm-99: The API gave no reason.',
    );
    expect(zh).toBe(
      '已完成 2/100。' +
        '客户 crm-2、客户 crm-3、客户 crm-5等 65 个任务 未完成：此任务已不存在（可能已过期）。' +
        '客户 crm-4、客户 crm-7、客户 crm-10等 32 个任务 未完成：must not close a VIP customer’s task。' +
        '客户 crm-99 未完成：接口未给出原因。',
    );
    expect(en).not.toContain(': .');
  });

  it('names every task of a reason when there are three or fewer, as a list in the language', () => {
    // Prepare
    const gone = (count: number) => Array.from({ length: count }, (_, i) => refused(i, TASK_NOT_FOUND));
    const said = (count: number, language: 'en' | 'zh-CN') => bulkOutcome(gone(count), names(count, language === 'en' ? 'customer' : '客户'), translator(language));

    // Act + Assess
    expect([1, 2, 3].map((count) => said(count, 'en'))).toEqual([
      '0 of 1 done. Not done for customer crm-0: This task no longer exists (it may have expired).',
      '0 of 2 done. Not done for customer crm-0 and customer crm-1: This task no longer exists (it may have expired).',
      '0 of 3 done. Not done for customer crm-0, customer crm-1 and customer crm-2: This task no longer exists (it may have expired).',
    ]);
    expect(said(3, 'zh-CN')).toBe('已完成 0/3。客户 crm-0、客户 crm-1和客户 crm-2 未完成：此任务已不存在（可能已过期）。');
  });

  it('says a reason without words as the API gave it, one with no text and a missing one alike, and all done as done', () => {
    // Prepare
    const t = translator('en');

    // Act + Assess
    expect(bulkOutcome([refused(0, '  '), refused(1, undefined)], names(2), t)).toBe('0 of 2 done. Not done for customer crm-0 and customer crm-1: The API gave no reason.');
    expect(bulkOutcome([refused(0, 'VIP task!')], names(1), t)).toBe('0 of 1 done. Not done for customer crm-0: VIP task!');
    expect(bulkOutcome([done(0), done(1)], names(2), t)).toBe('2 of 2 done.');
  });
});
