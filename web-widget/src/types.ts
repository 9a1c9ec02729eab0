// widget: the public types of the widget's API (script tag global `FeedbackWidget` and the npm package alike).
// Type-only module: nothing here reaches a bundle.

export type Trigger = 'auto' | 'manual';

export interface MountOptions {
  /** the survey to show, e.g. "demo" */
  surveyId: string;
  /** where the platform's API is, e.g. "https://feedback.example.com" (the script tag's own origin by default) */
  endpoint: string;
  /** "auto" (default): opens by itself `delay` seconds after the page loaded, if the display rules allow; "manual": only on show() */
  trigger?: Trigger;
  /** seconds after the page's load event before an automatic display (default 3) */
  delay?: number;
  /** percentage of visitors who may see it automatically, 0–100 (default 100) */
  sample?: number;
  /** days after answering this survey before it shows again automatically (default 30) */
  recontactDays?: number;
  /** days after dismissing this survey before it shows again automatically (default 7) */
  dismissDays?: number;
  /** days after any survey was shown, answered or dismissed before any survey shows again automatically (default 1) */
  cooldownDays?: number;
  /** nothing is stored in localStorage or sent until the visitor interacts with the widget (or consent() is called) */
  consentRequired?: boolean;
  /** the site's own reference for this customer, stored with the response */
  customerRef?: string;
  /** where in the journey the question is asked, e.g. "checkout" (the survey's default otherwise) */
  touchpoint?: string;
  /** awareness, consideration, purchase, retention, loyalty, pre-sale, in-sale, after-sale, complaint */
  journeyStage?: string;
  /** BCP 47 tag for the texts, e.g. "zh-CN" (the page's lang, then the browser's language, by default) */
  locale?: string;
  /** up to 20 string pairs stored with the response */
  metadata?: Record<string, string>;
  /** every failure ends here; the widget never throws into the page */
  onError?: (error: WidgetError) => void;
}

export type WidgetErrorCode =
  | 'invalid-options'
  | 'load-failed'
  | 'survey-unavailable'
  | 'submit-failed'
  | 'submit-rejected'
  | 'submit-expired'
  | 'internal';

export interface WidgetError {
  /** submit-failed: a send failed and will be retried; submit-rejected / submit-expired: a queued response was dropped */
  code: WidgetErrorCode;
  message: string;
  /** the HTTP status, when there was one */
  status?: number;
}

export interface FeedbackWidgetApi {
  /** set the widget up for one survey (replacing any earlier mount); an automatic display follows the display rules */
  mount(options: MountOptions): void;
  /** open now, whatever the display rules say (the site or the visitor asked) */
  show(): void;
  /** close without counting it as the visitor's dismissal */
  hide(): void;
  /** close and forget the mount */
  unmount(): void;
  /** the visitor consented (e.g. in the site's cookie banner): storing state and sending are allowed from now on */
  consent(): void;
}
