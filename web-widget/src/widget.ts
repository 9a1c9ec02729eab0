// widget: a minimal feedback widget (NPS + comment) in a Shadow DOM. The script tag names the survey and endpoint:
//   <script src="https://HOST/widget.js" data-survey="demo" data-endpoint="https://HOST" async></script>
// It never throws into the host page: every failure is caught and shown in the widget.

const STYLE = `
:host{all:initial;position:fixed;right:16px;bottom:16px;z-index:2147483000;font:14px/1.4 system-ui,sans-serif;color:#1a1a1a}
form{background:#fff;border:1px solid #c8c8c8;border-radius:8px;padding:16px;max-width:360px;box-shadow:0 4px 16px #0003}
fieldset{border:0;margin:0;padding:0}
legend{font-weight:600;margin-bottom:8px}
.scale{display:flex;gap:4px;flex-wrap:wrap}
label.score{display:inline-flex}
label.score input{position:absolute;opacity:0}
label.score span{display:inline-block;min-width:24px;padding:4px;border:1px solid #767676;border-radius:4px;text-align:center;cursor:pointer}
label.score input:checked+span{background:#0b57d0;color:#fff;border-color:#0b57d0}
label.score input:focus-visible+span{outline:2px solid #0b57d0;outline-offset:2px}
textarea{width:100%;box-sizing:border-box;margin-top:8px;min-height:60px;font:inherit}
button{margin-top:8px;background:#0b57d0;color:#fff;border:0;border-radius:4px;padding:6px 12px;font:inherit;cursor:pointer}
p[role=status]{margin:8px 0 0}
`;

function newKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

class FeedbackWidgetElement extends HTMLElement {
  connectedCallback(): void {
    const surveyId = this.getAttribute('survey') ?? '';
    const endpoint = (this.getAttribute('endpoint') ?? '').replace(/\/$/, '');
    const root = this.attachShadow({ mode: 'open' });
    const scores = Array.from({ length: 11 }, (_, n) => `<label class="score"><input type="radio" name="nps" value="${n}" aria-label="${n}"><span aria-hidden="true">${n}</span></label>`).join('');
    root.innerHTML = `<style>${STYLE}</style><form><fieldset><legend>How likely are you to recommend us to a friend?</legend><div class="scale" role="radiogroup">${scores}</div></fieldset><textarea name="comment" maxlength="5000" aria-label="Comment" placeholder="Anything you would like to tell us?"></textarea><button type="submit">Send</button><p role="status" aria-live="polite"></p></form>`;
    const form = root.querySelector('form') as HTMLFormElement;
    const status = root.querySelector('p') as HTMLParagraphElement;
    const idempotencyKey = newKey();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const nps = data.get('nps');
      const comment = String(data.get('comment') ?? '').trim();
      const body = { surveyId, idempotencyKey, channel: 'web', answers: nps === null ? {} : { nps: Number(nps) }, ...(comment ? { comment } : {}) };
      // text/plain keeps this a simple CORS request: no preflight round trip
      fetch(`${endpoint}/v1/responses`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) })
        .then((response) => {
          status.textContent = response.status === 202 ? 'Thank you, your feedback helps us improve.' : 'Sorry, that did not go through.';
        })
        .catch(() => {
          status.textContent = 'Sorry, that did not go through.';
        });
    });
  }
}

try {
  if (!customElements.get('feedback-widget')) customElements.define('feedback-widget', FeedbackWidgetElement);
  const script = document.currentScript;
  if (script?.dataset.survey) {
    const widget = document.createElement('feedback-widget');
    widget.setAttribute('survey', script.dataset.survey);
    widget.setAttribute('endpoint', script.dataset.endpoint ?? new URL((script as HTMLScriptElement).src).origin);
    document.body.appendChild(widget);
  }
} catch {
  // never break the host page
}
