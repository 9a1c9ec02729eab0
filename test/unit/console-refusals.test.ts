// unit: the API's refusals as the CX console says them (web-console/src/refusals.ts), in each of its languages. Every
// message a refusal may be said with has a text in each language, the Chinese one in Chinese; every reason the
// follow-up API gives for the console's forms and bulk actions, produced by the API's own schemas and state machine,
// has words; a reason the console does not know is left as the API gave it.
import { describe, expect, it } from 'vitest';
import { detailsFromZod } from '../../shared/errors.js';
import { bulkBodySchema } from '../../shared/followups/assign-tasks.js';
import { resolveBodySchema } from '../../shared/followups/root-causes.js';
import { applyAction, openTask, TASK_STATUSES, type Actor, type TaskAction } from '../../shared/followups/task.js';
import * as taskRefusals from '../../shared/followups/task-refusals.js';
import { noteSchema } from '../../shared/followups/work-tasks.js';
import { ApiProblem } from '../../web-console/src/api.js';
import { problemWording, reasonWording, REFUSAL_KEYS } from '../../web-console/src/refusals.js';
import { LANGUAGES, type Language } from '../../web-console/src/strings.js';
import { translator } from '../support/console-words.js';

const LANGUAGE_TAGS = Object.keys(LANGUAGES) as Language[];
const HAN = /\p{Script=Han}/u;
const ana: Actor = { id: 'cx:00000000000000aa', name: 'Ana' };
const opened = new Date('2026-11-23T10:00:00.000Z');

/** the reasons a schema gives for `body` */
const reasonsOf = (schema: { safeParse(value: unknown): { error?: unknown } }, body: unknown) => {
  const { error } = schema.safeParse(body);
  expect(error).toBeDefined();
  return detailsFromZod(error as Parameters<typeof detailsFromZod>[0]).map((detail) => detail.reason);
};

describe('the refusals the CX console says', () => {
  it.each(LANGUAGE_TAGS)('has a text in %s for every message a refusal may be said with', (language) => {
    // Prepare
    const t = translator(language);

    // Act
    const said = REFUSAL_KEYS.map((key) => [key, t(key, { status: 'S', survey: 'demo', lead: 'Bo', rootCauses: 'billing', before: 'x', field: 'F', reason: 'R' })]);

    // Assess: each a sentence of its own, the Chinese ones in Chinese, the English ones not
    for (const [key, text] of said) {
      expect(text, key).not.toBe(key);
      expect(text!.trim().length, key).toBeGreaterThan(0);
      expect(HAN.test(text!), `${key} in ${language}: ${text}`).toBe(language === 'zh-CN');
    }
  });

  it('has words for every fixed reason of shared/followups/task-refusals.ts, in each language', () => {
    // Prepare: the module's fixed reasons (its strings), so a new one without words fails here
    const fixed = (Object.values(taskRefusals) as unknown[]).filter((value): value is string => typeof value === 'string');
    expect(fixed.length).toBeGreaterThanOrEqual(10);

    // Act + Assess
    for (const language of LANGUAGE_TAGS) for (const reason of fixed) expect(reasonWording(reason, translator(language)), `${reason} in ${language}`).toBeDefined();
  });

  it('has words for every blank or missing field the API refuses a note, a resolve and a bulk close with', () => {
    // Prepare: the API's own schemas, given what a form may send
    const reasons = new Set([
      ...reasonsOf(noteSchema, { text: '   ' }),
      ...reasonsOf(resolveBodySchema, { outcome: 'resolved', rootCause: ' ', action: ' ' }),
      ...reasonsOf(resolveBodySchema, { outcome: 'resolved' }),
      ...reasonsOf(resolveBodySchema, { outcome: 'no_action', reason: ' ' }),
      ...reasonsOf(resolveBodySchema, { outcome: 'no_action' }),
      ...reasonsOf(bulkBodySchema, { action: 'no_action', taskIds: ['t_1'], reason: ' ' }),
      ...reasonsOf(bulkBodySchema, { action: 'no_action', taskIds: ['t_1'] }),
    ]);
    expect(reasons.size).toBe(8);
    expect(reasons).toContain(taskRefusals.NOTE_NEEDS_TEXT);

    // Act + Assess
    for (const reason of reasons) {
      expect(reasonWording(reason, translator('en')), reason).toBe('This is empty (spaces alone do not count); fill it in and try again.');
      expect(reasonWording(reason, translator('zh-CN')), reason).toBe('此项为空（仅有空格不算）；请填写后重试。');
    }
  });

  it('says every action a closed task refuses, with the status in the language', () => {
    // Prepare: each action the console offers, on a task in each status that refuses it
    const actions: TaskAction[] = [{ type: 'claim' }, { type: 'contacted' }, { type: 'resolve', outcome: 'no_action', reason: 'dup' }, { type: 'assign', assignee: ana }];
    const task = openTask({
      response: { responseId: 'r1', surveyId: 'demo', receivedAt: opened.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web' },
      reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
      priority: { level: 'high', score: 40 },
      firstContactHours: 24,
      now: opened,
    });
    const refused = actions.flatMap((action) => TASK_STATUSES.flatMap((status) => {
      const result = applyAction({ ...task, status }, action, ana, opened);
      return result.ok ? [] : [result.reason];
    }));
    expect(refused.length).toBeGreaterThan(4);

    // Act + Assess
    for (const reason of refused) for (const language of LANGUAGE_TAGS) expect(reasonWording(reason, translator(language)), reason).toBeDefined();
    expect(reasonWording(taskRefusals.transitionRefused('resolve', 'no_action', ['claimed', 'contacted']), translator('en'))).toBe('It is now “Closed, no action”, so it cannot be closed.');
    expect(reasonWording(taskRefusals.transitionRefused('assign', 'resolved', ['open']), translator('zh-CN'))).toBe('此任务当前状态为“已解决”，无法分配。');
  });

  it('reads back the reasons built with a value: a survey not granted, a lead not granted, a root cause not listed', () => {
    const en = translator('en');
    expect(reasonWording(taskRefusals.surveyNotGranted('demo'), en)).toBe('Your token is not granted this task’s survey (demo).');
    expect(reasonWording(taskRefusals.leadNotGranted('Bo "B" Chen', 'demo'), en)).toBe('Bo "B" Chen is not granted this task’s survey (demo).');
    expect(reasonWording(taskRefusals.notARootCause(['billing', 'delivery']), translator('zh-CN'))).toBe('请选择此调查的根本原因之一：billing, delivery。');
  });

  it('leaves a reason it does not know, and a problem with one, as the API gave them', () => {
    // Prepare
    const unknown = new ApiProblem(400, 'invalid request', { error: 'invalid request', details: [{ path: 'text', reason: 'must not name a colleague' }] });
    const gone = new ApiProblem(404, 'task not found', { error: 'task not found' });

    // Act + Assess
    expect(reasonWording('must not name a colleague', translator('zh-CN'))).toBeUndefined();
    expect(problemWording(unknown, translator('zh-CN'))).toBe('invalid request: text: must not name a colleague');
    expect(problemWording(gone, translator('zh-CN'))).toBe('此任务已不存在（可能已过期）。');
  });
});
