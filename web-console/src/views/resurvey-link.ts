// console: a resolved task's re-survey. The API gives its link (`resurveyLink`, a path on the API) while it can be
// answered; the lead sends it to the customer, so it is shown whole as a link, with a button that copies it and says
// so. Once answered or expired there is no link, only the re-survey's state (shared/followups/resurvey.ts).
import { h } from '../dom.js';
import type { Translate } from '../strings.js';
import { when } from '../format.js';

export interface ResurveyFacts {
  resurvey?: { issuedAt: string; expiresAt: string; answer?: number; answeredAt?: string };
  /** present while the re-survey can still be answered */
  resurveyLink?: string;
}

/** the link to send, absolute, with a labelled copy button and its own status line (the result of a copy is said) */
export function resurveyLinkBox(t: Translate, href: string): HTMLElement {
  const said = h('span', { class: 'copy-status', role: 'status' });
  const copy = async () => {
    said.textContent = '';
    try {
      await navigator.clipboard.writeText(href);
      said.textContent = t('linkCopied');
    } catch {
      // no clipboard (an insecure origin, or refused): the link is there to select by hand
      said.textContent = t('linkNotCopied');
    }
  };
  return h(
    'div',
    { class: 'resurvey-link' },
    h('span', {}, t('resurveyLinkLabel'), ' '),
    h('a', { href, target: '_blank', rel: 'noopener' }, href),
    ' ',
    h('button', { type: 'button', 'aria-label': t('copyResurveyLink'), onclick: () => void copy() }, t('copyLink')),
    ' ',
    said,
  );
}

/** the re-survey's state in words: issued and open until …, answered n/5, or expired unanswered */
export function resurveyState(t: Translate, facts: ResurveyFacts, now: Date): string | undefined {
  const r = facts.resurvey;
  if (!r) return undefined;
  if (r.answer !== undefined) return t('resurveyAnswered', { score: r.answer, at: r.answeredAt ? when(r.answeredAt) : '' });
  if (Date.parse(r.expiresAt) <= now.getTime()) return t('resurveyExpired', { at: when(r.expiresAt) });
  return t('resurveyOpen', { issued: when(r.issuedAt), until: when(r.expiresAt) });
}
