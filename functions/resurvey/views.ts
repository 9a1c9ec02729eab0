// view: the re-survey's answers as HTTP results (page.ts renders their HTML): the form, the thanks, and a page for
// each refusal (400 tampered or no answer chosen, 404 unknown, 409 answered, 410 expired).
import { ApiError } from '../../shared/errors.js';
import { htmlPage, type HttpResult } from '../commons/http.js';
import { formPage, messagePage } from './page.js';

const MESSAGES: Record<number, [string, string]> = {
  400: ['This link is not valid', 'Please use the link exactly as we sent it.'],
  404: ['This link is not valid', 'We could not find what this link refers to.'],
  409: ['Already answered', 'Thank you: we already have your answer.'],
  410: ['This link has expired', 'The survey behind this link has closed.'],
};

export const resurveyForm = (action: string): HttpResult => htmlPage(200, formPage(action));

export const thanksPage = (): HttpResult => htmlPage(200, messagePage('Thank you', 'Your answer has been recorded.'));

/** what a link already answered shows when opened again: a thanks, not an error */
export const answeredPage = (): HttpResult => htmlPage(200, messagePage(...MESSAGES[409]!));

export function refusalPage(error: ApiError): HttpResult {
  if (error.status === 400 && error.details.some((d) => d.path === 'answer')) return htmlPage(400, messagePage('Please choose an answer', 'Pick one of 1 to 5, then send.'));
  const [heading, message] = MESSAGES[error.status] ?? MESSAGES[400]!;
  return htmlPage(error.status, messagePage(heading, message));
}
