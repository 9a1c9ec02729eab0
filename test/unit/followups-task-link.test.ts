// unit: the console deep link a follow-up notification carries: built from the configured console page only, in the
// body's `link` and at the end of its Slack-compatible `text`; without a console URL, no link at all.
import { describe, expect, it } from 'vitest';
import { notificationOf, type NotificationBody } from '../../shared/followups/notification.js';
import { openTask } from '../../shared/followups/task.js';
import { taskLinkOf } from '../../shared/followups/task-link.js';

const now = new Date('2026-11-23T10:00:00.000Z');
const task = openTask({
  response: { responseId: 'r1', surveyId: 'demo shop', receivedAt: now.toISOString(), answers: { nps: 2 }, sentiment: null, channel: 'web' },
  reasons: [{ rule: 'nps', question: 'nps', score: 2, atMost: 6 }],
  priority: { level: 'high', score: 40 },
  firstContactHours: 24,
  now,
});

describe('a task\u2019s console link', () => {
  it('opens the task in the console, with or without the trailing slash configured', () => {
    expect(taskLinkOf('https://d1.cloudfront.net/', task)).toBe(`https://d1.cloudfront.net/#/followups/${task.id}?survey=demo%20shop`);
    expect(taskLinkOf('http://127.0.0.1:3000/console', task)).toBe(`http://127.0.0.1:3000/console/#/followups/${task.id}?survey=demo%20shop`);
    expect(taskLinkOf(undefined, task)).toBeUndefined();
  });

  it.each(['task-opened', 'sla-breached', 'escalated'] as const)('%s: the notification carries it in link and text, and none without a console URL', (kind) => {
    // Act
    const linked = JSON.parse(notificationOf(kind, task, now, 'https://d1.cloudfront.net').body) as NotificationBody;
    const plain = JSON.parse(notificationOf(kind, task, now).body) as NotificationBody;

    // Assess
    expect(linked.link).toBe(`https://d1.cloudfront.net/#/followups/${task.id}?survey=demo%20shop`);
    expect(linked.text.endsWith(` · ${linked.link}`)).toBe(true);
    expect(plain.link).toBeUndefined();
    expect(plain.text).not.toContain('#/followups');
  });
});
