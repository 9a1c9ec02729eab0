// domain: the HTML snippet of a survey's first question for the customer's own mail tool: a row of links, one per
// score, each carrying its score to the hosted page. Made for e-mail clients: table layout, inline styles, no
// scripts, no images, no external CSS. It also holds one hidden honeypot link that people never see and link
// scanners follow (see README, Email survey links). Pure.
import { answerRange, scoredQuestions, type Survey } from '../survey/schema.js';
import { textsFor } from './locale-texts.js';
import { escapeHtml as escape } from '../html.js';


/** where the hosted page of a link lives, the score link of a score, and the honeypot link */
export const surveyLinkPath = (token: string) => `/s/${token}`;
export const scoreLinkPath = (token: string, score: number) => `/s/${token}?score=${score}`;
export const honeypotLinkPath = (token: string) => `/s/${token}/h`;

export function emailSnippet(survey: Survey, locale: string | undefined, baseUrl: string, token: string): string {
  const { locale: chosen, texts } = textsFor(survey, locale);
  const question = scoredQuestions(survey)[0];
  const honeypot = `<a href="${escape(baseUrl + honeypotLinkPath(token))}" style="display:none;font-size:0;line-height:0;max-height:0;overflow:hidden;mso-hide:all;color:transparent" tabindex="-1" aria-hidden="true"></a>`;
  const font = 'font-family:Arial,Helvetica,sans-serif;';
  if (!question) {
    // a comment-only survey: one button to the page
    return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" lang="${escape(chosen)}" style="border-collapse:collapse;${font}"><tr><td style="padding:4px 0;font-size:16px;color:#1a1a1a">${escape(texts.title)}</td></tr><tr><td style="padding:4px 0"><a href="${escape(baseUrl + surveyLinkPath(token))}" style="display:inline-block;padding:8px 16px;border-radius:4px;background:#0b57d0;color:#ffffff;text-decoration:none;font-size:14px">${escape(texts.title)}</a>${honeypot}</td></tr></table>`;
  }
  const { min, max } = answerRange(question);
  const labels = texts.questions[question.id];
  const count = max - min + 1;
  const cells = Array.from({ length: count }, (_, i) => {
    const score = min + i;
    return `<td style="padding:2px" align="center"><a href="${escape(baseUrl + scoreLinkPath(token, score))}" style="display:inline-block;min-width:28px;padding:6px 2px;border:1px solid #767676;border-radius:4px;background:#ffffff;color:#0b57d0;text-decoration:none;font-size:15px;font-weight:bold;line-height:20px;text-align:center;${font}">${score}</a></td>`;
  }).join('');
  const left = Math.floor(count / 2);
  const scale =
    labels?.minLabel || labels?.maxLabel
      ? `<tr><td colspan="${left}" style="padding:4px 2px 0;font-size:12px;color:#595959;text-align:left">${escape(labels.minLabel ?? '')}</td><td colspan="${count - left}" style="padding:4px 2px 0;font-size:12px;color:#595959;text-align:right">${escape(labels.maxLabel ?? '')}</td></tr>`
      : '';
  return [
    `<table role="presentation" cellpadding="0" cellspacing="0" border="0" lang="${escape(chosen)}" style="border-collapse:collapse;${font}">`,
    `<tr><td colspan="${count}" style="padding:0 2px 8px;font-size:16px;line-height:22px;color:#1a1a1a">${escape(labels?.label ?? texts.title)}</td></tr>`,
    `<tr>${cells}</tr>`,
    scale,
    `<tr><td colspan="${count}" style="font-size:0;line-height:0">${honeypot}</td></tr>`,
    '</table>',
  ].join('\n');
}
