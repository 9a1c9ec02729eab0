// use case: every minute, find follow-up tasks not contacted by their due time and handle each breach once.
//   1. read open or claimed tasks past due from the sparse slaWatch index, most overdue first
//   2. put its "SLA breached" notification (follow-up webhook) and its one escalation (escalation webhook): once per
//      (task, kind), so a rerun after a crash does not notify twice
//   3. then mark the breach on the task (it leaves the index); a concurrent change (a claim) makes it re-read and retry
import type { Clock } from '../clock.js';
import { notificationOf, type NotificationStore } from './notification.js';
import type { FollowUpTask } from './task.js';
import type { TaskStore } from './task-store.js';

export function makeWatchSla({ tasks, notifications, clock, batchSize = 50, consoleUrl }: { tasks: TaskStore; notifications: NotificationStore; clock: Clock; batchSize?: number; consoleUrl?: string }) {
  async function markBreached(task: FollowUpTask): Promise<void> {
    let current: FollowUpTask | undefined = task;
    for (let attempt = 0; attempt < 5 && current && !current.breachedAt; attempt++) {
      if (current.status !== 'open' && current.status !== 'claimed') return;
      if (await tasks.replace({ ...current, breachedAt: clock.now().toISOString(), version: current.version + 1 })) return;
      current = await tasks.get(task.id);
    }
  }

  return async function watchSla(): Promise<{ breached: number }> {
    // 1.
    const breached = await tasks.listBreached(clock.now(), batchSize);
    for (const task of breached) {
      // 2.
      await notifications.putIfAbsent(notificationOf('sla-breached', task, clock.now(), consoleUrl));
      await notifications.putIfAbsent(notificationOf('escalated', task, clock.now(), consoleUrl));
      // 3.
      await markBreached(task);
    }
    return { breached: breached.length };
  };
}
