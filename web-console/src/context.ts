// console: what every view is given: the API, the words, the state, the chosen survey and a way to speak to screen
// readers (the live region) and to change the state (the URL hash).
import type { Api } from './api.js';
import type { ConsoleState } from './state.js';
import type { Translate } from './strings.js';

export interface SurveySummary {
  id: string;
  title: string;
  channels: string[];
}

/** an error stays longer than news of a done action */
export type ToastKind = 'info' | 'error';

export interface ViewContext {
  api: Api;
  t: Translate;
  /** the console's language (a BCP 47 tag): texts the API holds per locale, such as question labels, are read in it */
  language: string;
  state: ConsoleState;
  survey: SurveySummary;
  now: () => Date;
  /**
   * says `message` in the live region and shows it a while (an error longer, with a close button); a message with
   * something `attached` to act on (a link to copy) stays until closed
   */
  announce(message: string, kind?: ToastKind, attached?: HTMLElement): void;
  /** changes the state; the view is rendered again */
  navigate(patch: Partial<ConsoleState>): void;
}

/** a view: its element, and what to release when it is replaced */
export interface ViewHandle {
  el: HTMLElement;
  destroy?(): void;
}
