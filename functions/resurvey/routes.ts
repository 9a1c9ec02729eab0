// routes: the re-survey link's two routes as a route table: GET /r/{token} → show → the form (or the thanks when it
// is answered); POST /r/{token} → answer → the thanks. A refusal is a page (views.ts); nothing is stored on a refusal.
import { ApiError } from '../../shared/errors.js';
import type { makeResurvey } from '../../shared/followups/resurvey.js';
import { bodyTextOf, header, type HttpEvent, type HttpResult } from '../commons/http.js';
import { routeTable } from '../commons/routes.js';
import { answeredPage, refusalPage, resurveyForm, thanksPage } from './views.js';

const MAX_BODY_BYTES = 1024;

/**
 * the `answer` field of a form post or a JSON body; undefined when absent or unreadable. A form sends text: the text
 * of a decimal integer is read as its number, any other text stays text (and is refused); JSON's value is taken as it
 * is (a number, or refused), never converted
 */
function answerOf(event: HttpEvent): unknown {
  const raw = bodyTextOf(event);
  if (raw.length > MAX_BODY_BYTES) return undefined;
  if ((header(event, 'content-type') ?? '').includes('json')) {
    try {
      return (JSON.parse(raw) as { answer?: unknown }).answer;
    } catch {
      return undefined;
    }
  }
  const text = new URLSearchParams(raw).get('answer') ?? undefined;
  return text !== undefined && /^[0-9]+$/.test(text) ? Number(text) : text;
}

export function makeResurveyRoutes(resurvey: ReturnType<typeof makeResurvey>) {
  const tokenOf = (event: HttpEvent) => event.pathParameters?.token ?? '';
  const dispatch = routeTable({
    'GET /r/{token}': async (event) => ((await resurvey.show(tokenOf(event))).state === 'answered' ? answeredPage() : resurveyForm(event.rawPath)),
    'POST /r/{token}': async (event) => {
      await resurvey.answer(tokenOf(event), answerOf(event));
      return thanksPage();
    },
  });
  return async function resurveyPage(event: HttpEvent): Promise<HttpResult> {
    try {
      return await dispatch(event, undefined);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      return refusalPage(error);
    }
  };
}
