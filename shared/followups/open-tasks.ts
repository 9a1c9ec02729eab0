// use case: a routed detractor (follow-up queue message) → one open follow-up task and its "task opened" notification.
//   1. parse the message (a malformed one fails alone and reaches the DLQ after 5 receives)
//   2. the task id is derived from the response id: if the task exists, skip to 5 (a redelivery, or a re-route)
//   3. priority from the reasons and the customer's history (earlier tasks of the same customerRef)
//   4. conditional put of the open task, due after the survey's followUp.firstContactHours (24 h by default), assigned
//      by the survey's followUp.assignment (auto-assign.ts; recorded in its history by the system actor). A round-robin
//      turn taken by an opening that then finds the task already stored is skipped: the rotation stays fair enough
//   5. the "task opened" notification, put once per task (after a duplicate too: a crash between 4 and 5 is finished
//      by the redelivery); webhook delivery happens on the follow-up SLA schedule, never blocking this
import type { TokenStore } from '../access/tokens.js';
import type { Clock } from '../clock.js';
import type { SurveyStore } from '../survey/survey-store.js';
import { SafeReasonError } from '../queue/failure-reason.js';
import { AUTO_ASSIGNMENT_ACTOR, chooseAssignee, leadsOfSurvey, needsTurn, type AssignmentTurns } from './auto-assign.js';
import { priorityOf, type DetractorReason } from './detractor.js';
import { notificationOf, type NotificationStore } from './notification.js';
import { routedDetractorSchema } from './route-detractors.js';
import { applyAction, openTask, taskIdOf, type FollowUpTask, type ResponseReference } from './task.js';
import type { TaskStore } from './task-store.js';

export const DEFAULT_FIRST_CONTACT_HOURS = 24;

/** our own words, quoting nothing of the message: logged whole as its reason (failure-reason.ts) */
export class MalformedFollowUpMessage extends SafeReasonError {
  constructor() {
    super('message is not a routed detractor');
    this.name = 'MalformedFollowUpMessage';
  }
}

/** auto-assignment's ports: the leads (tokens) and the round-robin turns; without them every task opens unassigned */
export interface AutoAssignPorts {
  leads: Pick<TokenStore, 'list'>;
  turns: AssignmentTurns;
}

export function makeOpenTask({
  tasks,
  notifications,
  surveys,
  clock,
  autoAssign,
  consoleUrl,
}: {
  tasks: TaskStore;
  notifications: NotificationStore;
  surveys: SurveyStore;
  clock: Clock;
  autoAssign?: AutoAssignPorts;
  /** the console's page, for the task's link in its notification (unset: no link) */
  consoleUrl?: string;
}) {
  async function assigned(task: FollowUpTask, survey: Awaited<ReturnType<SurveyStore['get']>>): Promise<FollowUpTask> {
    const assignment = survey?.followUp.assignment;
    if (!autoAssign || !assignment || assignment.mode === 'manual') return task;
    const leads = leadsOfSurvey(await autoAssign.leads.list(), task.surveyId);
    const turn = needsTurn(assignment, leads) ? await autoAssign.turns.next(task.surveyId) : undefined;
    const assignee = chooseAssignee({ assignment, leads, touchpoint: task.response.touchpoint, turn });
    if (!assignee) return task;
    const result = applyAction(task, { type: 'assign', assignee }, AUTO_ASSIGNMENT_ACTOR, clock.now());
    // a new task is open, which assign is allowed from; its version stays 1: it is not stored yet
    return result.ok ? { ...result.task, version: task.version } : task;
  }

  return async function openTaskFor(body: string): Promise<{ task: FollowUpTask; created: boolean }> {
    // 1.
    let parsed;
    try {
      parsed = routedDetractorSchema.safeParse(JSON.parse(body));
    } catch {
      throw new MalformedFollowUpMessage();
    }
    if (!parsed.success) throw new MalformedFollowUpMessage();
    const response = parsed.data.response as ResponseReference;
    const reasons = parsed.data.reasons as DetractorReason[];
    // 2.
    let task = await tasks.get(taskIdOf(response.responseId));
    let created = false;
    if (!task) {
      // 3.
      const earlier = response.customerRef ? await tasks.countByCustomer(response.customerRef) : 0;
      const survey = await surveys.get(response.surveyId);
      // 4.
      const opened = openTask({
        response,
        reasons,
        priority: priorityOf(reasons, earlier),
        firstContactHours: survey?.followUp.firstContactHours ?? DEFAULT_FIRST_CONTACT_HOURS,
        now: clock.now(),
      });
      const fresh = await assigned(opened, survey);
      created = (await tasks.putIfAbsent(fresh)) === 'created';
      task = created ? fresh : ((await tasks.get(fresh.id)) ?? fresh);
    }
    // 5.
    await notifications.putIfAbsent(notificationOf('task-opened', task, clock.now(), consoleUrl));
    return { task, created };
  };
}
