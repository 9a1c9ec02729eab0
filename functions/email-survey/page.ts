// presentation: the hosted email survey page, server-rendered HTML that works without JavaScript (a form POST): every
// question of the survey as a fieldset of labelled radio buttons (the answer already given and the score of the link
// preselected), the comment box, a send button; localised from the survey's locale texts. Its one small inline script
// only reports the human signal (visible dwell or an interaction) that turns the selected scores into a provisional
// answer. A hidden honeypot link and a hidden honeypot field catch machines. Readable by screen readers and usable by
// keyboard.
import type { ErrorDetail } from '../../shared/errors.js';
import { ANSWER_FIELD_PREFIX, COMMENT_FIELD, HONEYPOT_FIELD, STAMP_FIELD } from '../../shared/invitations/email-survey.js';
import type { LocaleTexts } from '../../shared/invitations/locale-texts.js';
import { MAX_COMMENT_CHARS } from '../../shared/submission/schema.js';
import { answerRange, type Survey } from '../../shared/survey/schema.js';
import type { PageStrings } from './strings.js';
import { escapeHtml as escape } from '../../shared/html.js';


const STYLE = `
body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.4rem;line-height:1.3}
fieldset{border:1px solid #767676;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem}
legend{font-weight:600;padding:0 .25rem}
.scale{display:flex;flex-wrap:wrap;gap:.25rem;margin:.5rem 0 0}
.scale label{display:inline-flex;align-items:center;gap:.2rem;min-width:2.6rem;padding:.3rem .45rem;border:1px solid #767676;border-radius:4px;cursor:pointer}
.scale input:checked+span{font-weight:700;text-decoration:underline}
.hint{color:#595959;font-size:.9rem;margin:.25rem 0 0}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:6px}
button{font:inherit;padding:.55rem 1.4rem;border-radius:6px;border:0;background:#0b57d0;color:#fff;cursor:pointer}
button:focus-visible,input:focus-visible,textarea:focus-visible,a:focus-visible{outline:3px solid #f9a825;outline-offset:2px}
.notice{border-left:4px solid #0b57d0;padding:.25rem .75rem;background:#eef3fd}
.errors{border-left:4px solid #b3261e;padding:.25rem .75rem;background:#fdecea}
.hp{position:absolute;left:-10000px;top:auto;width:1px;height:1px;overflow:hidden}
`;

export interface PageHead {
  lang: string;
  title: string;
  /** the CSP nonce of the page's inline script, when it has one */
  nonce?: string;
}

function page({ lang, title }: PageHead, main: string, script = ''): string {
  return `<!doctype html>
<html lang="${escape(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${main}
</main>
${script}
</body>
</html>`;
}

export const messagePage = (head: PageHead, heading: string, text: string, extra = '') =>
  page(head, `<h1>${escape(heading)}</h1>\n<p role="status">${escape(text)}</p>${extra}`);

export interface SurveyPageInput {
  head: PageHead & { nonce: string };
  survey: Survey;
  texts: LocaleTexts;
  strings: PageStrings;
  /** the form's action (the page's own path), the page script's signal URL, the honeypot link */
  action: string;
  signalUrl: string;
  honeypotUrl: string;
  stamp: string;
  dwellMs: number;
  selected: Record<string, number>;
  comment?: string;
  notices: string[];
  errors: ErrorDetail[];
}

function scoredFieldset(question: Exclude<Survey['questions'][number], { type: 'text' }>, input: SurveyPageInput): string {
  const { min, max } = answerRange(question);
  const labels = input.texts.questions[question.id];
  const legend = labels?.label ?? question.id;
  const hintId = `hint-${question.id}`;
  const hint = [labels?.minLabel ? `${min} = ${labels.minLabel}` : '', labels?.maxLabel ? `${max} = ${labels.maxLabel}` : ''].filter(Boolean).join(' · ');
  const radios = Array.from({ length: max - min + 1 }, (_, i) => {
    const score = min + i;
    const checked = input.selected[question.id] === score ? ' checked' : '';
    const required = question.required ? ' required' : '';
    return `<label><input type="radio" name="${ANSWER_FIELD_PREFIX}${escape(question.id)}" value="${score}"${checked}${required}><span>${score}</span></label>`;
  }).join('');
  const marker = question.required ? ` <span class="hint">(${escape(input.strings.required)})</span>` : '';
  return `<fieldset${hint ? ` aria-describedby="${hintId}"` : ''}>
<legend>${escape(legend)}${marker}</legend>
<div class="scale">${radios}</div>
${hint ? `<p class="hint" id="${hintId}">${escape(hint)}</p>` : ''}
</fieldset>`;
}

function humanSignalScript(nonce: string, signalUrl: string, dwellMs: number): string {
  // reports a human signal once the page has been VISIBLE for the dwell time, or at the first interaction; each later
  // change of an answer updates the provisional answer. A link scanner that does not run scripts never sends it.
  return `<script nonce="${escape(nonce)}">
(function () {
  var form = document.getElementById('survey');
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var dwell = ${Math.max(0, Math.round(dwellMs))}, seen = 0, since = document.visibilityState === 'visible' ? Date.now() : 0, sent = false;
  function send(kind) {
    if (!form.querySelector('input[type=radio]:checked')) return;
    var data = new URLSearchParams(new FormData(form));
    data.delete(${JSON.stringify(COMMENT_FIELD)});
    data.set('signal', kind);
    sent = true;
    fetch(${JSON.stringify(signalUrl)}, { method: 'POST', body: data, keepalive: true, credentials: 'omit', headers: { 'content-type': 'application/x-www-form-urlencoded' } }).catch(function () {});
  }
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') since = Date.now();
    else if (since) { seen += Date.now() - since; since = 0; }
  });
  var timer = setInterval(function () {
    if (sent) return clearInterval(timer);
    if (seen + (since ? Date.now() - since : 0) >= dwell) send('dwell');
  }, 200);
  form.addEventListener('change', function () { send('interaction'); });
  ['pointerdown', 'keydown', 'touchstart'].forEach(function (type) {
    document.addEventListener(type, function () { if (!sent) send('interaction'); }, { passive: true });
  });
})();
</script>`;
}

export function surveyPage(input: SurveyPageInput): string {
  const { survey, texts, strings } = input;
  const fieldsets = survey.questions
    .map((question) => {
      if (question.type !== 'text') return scoredFieldset(question, input);
      if (!question.shown) return '';
      const labels = texts.questions[question.id];
      return `<p><label for="comment"><strong>${escape(labels?.label ?? 'Comment')}</strong> <span class="hint">(${escape(strings.optional)})</span></label><br>
<textarea id="comment" name="${COMMENT_FIELD}" maxlength="${MAX_COMMENT_CHARS}"${labels?.placeholder ? ` placeholder="${escape(labels.placeholder)}"` : ''}>${escape(input.comment ?? '')}</textarea></p>`;
    })
    .join('\n');
  const notices = input.notices.map((n) => `<p class="notice" role="status">${escape(n)}</p>`).join('\n');
  const errors = input.errors.length
    ? `<div class="errors" role="alert"><p>${escape(strings.fixErrors)}</p><ul>${input.errors
        .map((e) => {
          // the comment box is the survey's text question, whatever its id
          const id = e.path === COMMENT_FIELD ? (survey.questions.find((q) => q.type === 'text')?.id ?? e.path) : e.path.replace(/^answers\./, '');
          const label = e.path ? (texts.questions[id]?.label ?? e.path) : undefined;
          return `<li>${label === undefined ? '' : `${escape(label)}: `}${escape(e.reason)}</li>`;
        })
        .join('')}</ul></div>`
    : '';
  return page(
    input.head,
    `<h1>${escape(texts.title)}</h1>
${notices}
${errors}
<form id="survey" method="post" action="${escape(input.action)}">
<input type="hidden" name="${STAMP_FIELD}" value="${escape(input.stamp)}">
<div class="hp" aria-hidden="true"><label>Website <input type="text" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></label></div>
${fieldsets}
<button type="submit">${escape(strings.send)}</button>
</form>
<a class="hp" href="${escape(input.honeypotUrl)}" tabindex="-1" aria-hidden="true" rel="nofollow">&#8203;</a>`,
    humanSignalScript(input.head.nonce, input.signalUrl, input.dwellMs),
  );
}
