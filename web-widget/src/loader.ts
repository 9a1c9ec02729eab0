// widget loader: what the script tag fetches first (budget 2 KB gzip). It defines `window.FeedbackWidget`, mounts the
// survey named by the tag's data-* attributes, applies the display rules, and fetches the survey UI
// (widget-full.js, beside this script) only when the widget opens or a queued response waits to be sent.
//   <script src="https://HOST/widget.js" data-survey="demo" data-endpoint="https://HOST" async></script>
import { createWidget, type Ui } from './core/controller.js';
import { optionsOfDataset } from './core/options.js';

declare global {
  interface Window {
    FeedbackWidget?: import('./types.js').FeedbackWidgetApi;
  }
}

try {
  const script = document.currentScript as HTMLScriptElement | null;
  const base = script?.src || location.href;

  // widget-full.js announces its API on its own script element: no global beyond FeedbackWidget
  const loadUi = () =>
    new Promise<Ui>((resolve, reject) => {
      const full = document.createElement('script');
      full.src = new URL('widget-full.js', base).href;
      full.async = true;
      if (script?.nonce) full.nonce = script.nonce;
      full.addEventListener('fbw', (event) => resolve((event as CustomEvent<Ui>).detail));
      full.onerror = () => reject(new Error('widget-full.js did not load'));
      document.head.append(full);
    });

  if (!window.FeedbackWidget) {
    const widget = createWidget(loadUi);
    window.FeedbackWidget = widget;
    if (script?.dataset.survey) widget.mount(optionsOfDataset(script.dataset, new URL(base).origin));
    dispatchEvent(new Event('feedback-widget:ready'));
  }
} catch {
  // never break the host page
}
