// use case: the re-survey of a resolved follow-up task, reached by its signed link (public: the token is the credential).
//   show: verify the token (400 tampered, 410 expired), find the task (404), say whether it is still to be answered
//   answer: the same checks, then the answer (1–5) is stored on the task once, conditional on the version read;
//           a second answer is 409
import * as z from '../validation.js';
import type { Clock } from '../clock.js';
import { ApiError, notFound } from '../errors.js';
import { linkKidOf, verifyLinkToken, type LinkKeys } from '../links/signed-token.js';
import type { FollowUpTask } from './task.js';
import { TASK_CHANGING_TOO_OFTEN } from './task-refusals.js';
import type { TaskStore } from './task-store.js';

export const RESURVEY_QUESTION = 'How satisfied are you with how we handled your feedback?';

/** a number (a JSON body's; a form's text is read as one by its adapter, functions/resurvey/routes.ts), nothing else */
export const resurveyAnswerSchema = z.number().check(z.int(), z.gte(1), z.lte(5));

export type ResurveyState = { state: 'open'; task: FollowUpTask } | { state: 'answered'; task: FollowUpTask };

export function makeResurvey({ tasks, linkKeys, clock }: { tasks: TaskStore; linkKeys: LinkKeys; clock: Clock }) {
  async function taskOf(token: string): Promise<FollowUpTask> {
    const verified = verifyLinkToken(await linkKeys({ kid: linkKidOf(token) }), token, 'resurvey', clock.now());
    if (!verified.ok && verified.reason === 'expired') throw new ApiError(410, 'this link has expired');
    if (!verified.ok || !verified.payload.taskId) throw new ApiError(400, 'invalid link');
    const task = await tasks.get(verified.payload.taskId);
    if (!task?.resurvey || task.surveyId !== verified.payload.surveyId) throw notFound('re-survey');
    return task;
  }

  return {
    async show(token: string): Promise<ResurveyState> {
      const task = await taskOf(token);
      return { state: task.resurvey?.answer === undefined ? 'open' : 'answered', task };
    },

    async answer(token: string, raw: unknown): Promise<FollowUpTask> {
      const answer = resurveyAnswerSchema.safeParse(raw);
      if (!answer.success) throw new ApiError(400, 'invalid request', [{ path: 'answer', reason: 'choose one of 1 to 5' }]);
      for (let attempt = 0; attempt < 5; attempt++) {
        const task = await taskOf(token);
        if (task.resurvey?.answer !== undefined) throw new ApiError(409, 'already answered');
        const next: FollowUpTask = {
          ...task,
          resurvey: { ...task.resurvey!, answer: answer.data, answeredAt: clock.now().toISOString() },
          version: task.version + 1,
        };
        if (await tasks.replace(next)) return next;
      }
      throw new ApiError(409, TASK_CHANGING_TOO_OFTEN);
    },
  };
}
