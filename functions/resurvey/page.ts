// presentation: the re-survey page, server-rendered HTML that needs no JavaScript: a fieldset of five labelled radio
// buttons and a submit button, readable by screen readers and usable by keyboard.
import { RESURVEY_QUESTION } from '../../shared/followups/resurvey.js';
import { escapeHtml as escape } from '../../shared/html.js';


const LABELS = ['1 – very dissatisfied', '2 – dissatisfied', '3 – neutral', '4 – satisfied', '5 – very satisfied'];

function page(title: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${escape(title)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
fieldset{border:1px solid #767676;border-radius:6px;padding:1rem}
label{display:block;padding:.4rem 0}
button{margin-top:1rem;font:inherit;padding:.5rem 1.25rem;border-radius:6px;border:0;background:#0b57d0;color:#fff}
button:focus-visible,input:focus-visible{outline:3px solid #f9a825;outline-offset:2px}
</style>
</head>
<body>
<main>
${main}
</main>
</body>
</html>`;
}

export function formPage(action: string): string {
  const radios = LABELS.map((label, i) => `<label><input type="radio" name="answer" value="${i + 1}" required> ${escape(label)}</label>`).join('\n');
  return page(
    RESURVEY_QUESTION,
    `<form method="post" action="${escape(action)}">
<fieldset>
<legend><h1 style="font-size:1.25rem;margin:0">${escape(RESURVEY_QUESTION)}</h1></legend>
${radios}
</fieldset>
<button type="submit">Send</button>
</form>`,
  );
}

export const messagePage = (heading: string, text: string) => page(heading, `<h1>${escape(heading)}</h1>\n<p role="status">${escape(text)}</p>`);
