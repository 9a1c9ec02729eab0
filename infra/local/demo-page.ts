// local runtime: the page served at / — a sample shop page that embeds the widget from /widget.js, with buttons for
// each trigger mode and option, and the way to the demo survey's metrics (the admin token stays with the developer:
// the page never embeds it, it only offers a field to paste it into for one request).
import { isAbsolute, relative } from 'node:path';
import { escapeHtml } from '../../shared/html.js';

/** where `npm start` got the admin token, so the page's terminal hints read it from there */
export type AdminTokenOrigin = { from: 'environment' } | { from: 'data folder'; dataDir: string };

export function demoPage(tokenOrigin: AdminTokenOrigin): string {
  const { cli, token } = terminalHints(tokenOrigin);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo shop · feedback widget</title><link rel="icon" href="data:,">
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1a1a1a;background:#f6f6f4}
header{background:#1f3a2e;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header b{font-size:20px}
/* each link a target of at least 24 px (WCAG 2.5.8), also when the nav wraps on a phone */
header nav{display:flex;flex-wrap:wrap;column-gap:16px}header nav a{display:inline-block;padding:4px 0;color:#dfe9e3}
main{max-width:760px;margin:24px auto;padding:0 16px}
section{background:#fff;border:1px solid #ddd;border-radius:8px;padding:16px 20px;margin-bottom:16px}
h1{font-size:24px;margin:0 0 8px}h2{font-size:18px;margin:0 0 8px}
table{border-collapse:collapse;width:100%}td{padding:4px 0;border-bottom:1px solid #eee}td:last-child{text-align:end}
.buttons{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}
.buttons button{font:inherit;font-size:14px;padding:6px 12px;border-radius:6px;border:1px solid #1f3a2e;background:#fff;color:#1f3a2e;cursor:pointer}
.buttons button:hover{background:#eef4f0}
code,pre{font-size:13px;background:#f0f0f0;border-radius:4px;padding:1px 4px}pre{padding:8px;overflow:auto;max-height:320px}
#state{overflow-wrap:anywhere}
#log{font-size:13px;color:#595959;white-space:pre-wrap}
body.dark-widget feedback-widget{--fbw-bg:#1e1f24;--fbw-fg:#f1f1f1;--fbw-muted:#c4c4c4;--fbw-accent:#8ab4f8;--fbw-on-accent:#10131a;--fbw-border:#8d8d8d;--fbw-track:#3c3e46;--fbw-error:#f28b82;--fbw-radius:14px}
</style></head>
<body>
<header><b>Demo shop</b><nav><a href="#">Shop</a><a href="#">Orders</a><a href="#try">Try the widget</a><a href="#metrics">Metrics</a></nav></header>
<main>
<section>
<h1>Thank you for your order!</h1>
<p>Order <b>#1001</b> is on its way. The feedback widget in the corner asks the <code>demo</code> survey's questions
a few seconds after this page loads: each answer is queued, its comment's sentiment scored, and stored.</p>
<table><tr><td>Trail running shoes</td><td>€89.00</td></tr><tr><td>Merino socks (2 pairs)</td><td>€24.00</td></tr><tr><td><b>Total</b></td><td><b>€113.00</b></td></tr></table>
</section>

<section id="try">
<h2>Try the widget</h2>
<p>The script tag on this page opens the widget automatically (3 s after load) unless a display rule holds it back:
answered within 30 days, dismissed within 7, any survey shown within 1 day, or outside the sample. Each button below
mounts it again with other options (the page's own code calling <code>FeedbackWidget.mount(…)</code>).</p>
<div class="buttons">
<button type="button" data-action="show">Open now: <code>show()</code></button>
<button type="button" data-action="hide">Close: <code>hide()</code></button>
<button type="button" data-mount='{"trigger":"auto","delay":2}'>Auto, 2 s after load</button>
<button type="button" data-mount='{"trigger":"auto","delay":1,"recontactDays":0,"dismissDays":0,"cooldownDays":0}'>Auto, rules off</button>
<button type="button" data-mount='{"trigger":"manual"}'>Manual only (then “Open now”)</button>
<button type="button" data-mount='{"trigger":"auto","delay":1,"sample":50,"cooldownDays":0}'>Auto, 50 % sample</button>
<button type="button" data-mount='{"trigger":"auto","delay":1,"consentRequired":true,"cooldownDays":0}'>Consent required</button>
<button type="button" data-mount='{"trigger":"manual","locale":"zh-CN"}' data-then="show">中文 (zh-CN)</button>
<button type="button" data-action="theme">Dark theme on/off</button>
<button type="button" data-action="forget">Forget this visitor</button>
</div>
<p>What this browser remembers (<code>localStorage</code> only, no cookies): <code id="state"></code></p>
<div id="log" aria-live="polite"></div>
</section>

<section id="metrics">
<h2>Metrics of the demo survey</h2>
<p>Rollups run every minute. The metrics API needs the admin token that <code>npm start</code> printed, so this page
does not link to it directly; read them from a terminal:</p>
<pre tabindex="0" aria-label="Commands that read the metrics"><span class="cli-endpoint"></span>${escapeHtml(cli)} report demo
curl -s <span class="origin">http://127.0.0.1:3000</span>/v1/surveys/demo/metrics -H "authorization: Bearer ${escapeHtml(token)}"</pre>
<p>or paste the token here for one request (it is not stored):</p>
<form id="metrics-form"><input id="token" type="password" autocomplete="off" aria-label="Admin token" placeholder="admin token" size="34"> <button>Load metrics</button></form>
<pre id="metrics-out" tabindex="0" aria-label="The metrics" hidden></pre>
</section>
</main>
<script src="/widget.js" data-survey="demo" data-touchpoint="checkout" data-journey-stage="purchase" async></script>
<script>
(() => {
  const log = (text) => { document.getElementById('log').textContent = new Date().toLocaleTimeString() + '  ' + text + '\\n' + document.getElementById('log').textContent; };
  const showState = () => { document.getElementById('state').textContent = localStorage.getItem('fbw') || '(nothing)'; };
  const base = { surveyId: 'demo', endpoint: location.origin, touchpoint: 'checkout', journeyStage: 'purchase', metadata: { page: 'demo-shop' },
    onError: (error) => log('onError: ' + error.code + (error.status ? ' (' + error.status + ')' : '') + ': ' + error.message) };
  document.querySelector('#try .buttons').addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button || !window.FeedbackWidget) return;
    const action = button.dataset.action;
    if (action === 'show') FeedbackWidget.show();
    if (action === 'hide') FeedbackWidget.hide();
    if (action === 'theme') document.body.classList.toggle('dark-widget');
    if (action === 'forget') { localStorage.removeItem('fbw'); localStorage.removeItem('fbw:q'); log('forgot this visitor'); }
    if (button.dataset.mount) {
      FeedbackWidget.mount({ ...base, ...JSON.parse(button.dataset.mount) });
      log('mount ' + button.dataset.mount);
      if (button.dataset.then === 'show') FeedbackWidget.show();
    }
    showState();
  });
  addEventListener('storage', showState);
  setInterval(showState, 1000);
  showState();
  for (const span of document.querySelectorAll('.origin')) span.textContent = location.origin;
  // the CLI's FEEDBACK_ENDPOINT defaults to http://127.0.0.1:3000; any other PORT or host must be named
  if (location.origin !== 'http://127.0.0.1:3000') document.querySelector('.cli-endpoint').textContent = 'FEEDBACK_ENDPOINT=' + location.origin + ' ';
  document.getElementById('metrics-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const out = document.getElementById('metrics-out');
    out.hidden = false;
    out.textContent = 'loading…';
    try {
      const reply = await fetch('/v1/surveys/demo/metrics', { headers: { authorization: 'Bearer ' + document.getElementById('token').value } });
      out.textContent = reply.status + '\\n' + JSON.stringify(await reply.json(), null, 2);
    } catch (error) {
      out.textContent = String(error);
    }
  });
})();
</script>
</body>
</html>`;
}

/** the CLI command and the shell expression for the token, for the data folder and token source this runtime uses
 * (the page's hints and the `npm start` banner) */
export function terminalHints(tokenOrigin: AdminTokenOrigin): { cli: string; token: string } {
  if (tokenOrigin.from === 'environment') return { cli: 'npm run cli --', token: '$FEEDBACK_ADMIN_TOKEN' };
  // relative to where `npm start` ran when inside it (as DATA_DIR is read), else absolute; the default folder needs no
  // DATA_DIR for the CLI
  const inside = relative(process.cwd(), tokenOrigin.dataDir) || '.';
  const folder = inside.startsWith('..') || isAbsolute(inside) ? tokenOrigin.dataDir : inside;
  const cli = folder === '.data' ? 'npm run cli --' : `DATA_DIR=${shellQuote(folder)} npm run cli --`;
  return { cli, token: `$(cat ${shellQuote(`${folder}/admin-token`)})` };
}

function shellQuote(word: string): string {
  return /^[\w./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}
