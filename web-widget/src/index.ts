// widget: the npm package's entry. The same API as the script tag's global; the survey UI is a dynamic import, so
// the site's bundler splits it off and the page pays for it only when the widget opens.
//   import { FeedbackWidget } from '@feedback-platform/widget';
//   FeedbackWidget.mount({ surveyId: 'demo', endpoint: 'https://feedback.example.com' });
import { createWidget } from './core/controller.js';
import type { FeedbackWidgetApi } from './types.js';

export type { FeedbackWidgetApi, MountOptions, Trigger, WidgetError, WidgetErrorCode } from './types.js';

export const FeedbackWidget: FeedbackWidgetApi = createWidget(() => import('./ui/index.js').then((module) => module.ui));
