// widget: the survey UI bundle (widget-full.js) that the loader fetches on demand. It hands its API to the loader
// through an event on its own script element, so it adds nothing to the page's globals.
import { ui } from './ui/index.js';

try {
  document.currentScript?.dispatchEvent(new CustomEvent('fbw', { detail: ui }));
} catch {
  // never break the host page
}
