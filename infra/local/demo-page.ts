// local runtime: the page served at / — a sample shop page that embeds the widget from /widget.js.
export function demoPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Demo shop · feedback widget</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:720px;margin:40px auto;padding:0 16px;color:#1a1a1a}</style></head>
<body>
<h1>Demo shop</h1>
<p>Thank you for your order. The feedback widget in the corner answers the <code>demo</code> survey; each answer travels
through the local queue, gets its comment's sentiment scored, and is stored. Read them back with
<code>GET /v1/surveys/demo/responses</code> and the admin token printed at start.</p>
<script src="/widget.js" data-survey="demo" async></script>
</body>
</html>`;
}
