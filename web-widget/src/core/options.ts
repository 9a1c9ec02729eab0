// widget core: mount options (from the npm API or a script tag's data-* attributes) → a complete configuration.
import type { MountOptions } from '../types.js';
import type { DisplayRules } from './rules.js';

export interface Config extends DisplayRules, Omit<MountOptions, keyof DisplayRules> {
  endpoint: string;
  delay: number;
  consentRequired: boolean;
}

const number = (value: unknown, fallback: number, min: number, max: number) => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && n >= min && n <= max ? n : fallback;
};

/** options as they come: from code (typed) or from data-* attributes (strings) */
export type RawOptions = { [K in keyof MountOptions]?: MountOptions[K] | string };

/** undefined when the options cannot name a survey and an endpoint */
export function configOf(options: RawOptions): Config | undefined {
  const { surveyId, endpoint } = options ?? {};
  if (typeof surveyId !== 'string' || !surveyId || typeof endpoint !== 'string' || !endpoint) return undefined;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  return {
    customerRef: text(options.customerRef),
    touchpoint: text(options.touchpoint),
    journeyStage: text(options.journeyStage),
    locale: text(options.locale),
    metadata: typeof options.metadata === 'object' && options.metadata ? options.metadata : undefined,
    onError: typeof options.onError === 'function' ? options.onError : undefined,
    surveyId,
    endpoint: endpoint.replace(/\/+$/, ''),
    trigger: options.trigger === 'manual' ? 'manual' : 'auto',
    delay: number(options.delay, 3, 0, 86_400),
    sample: number(options.sample, 100, 0, 100),
    recontactDays: number(options.recontactDays, 30, 0, 3650),
    dismissDays: number(options.dismissDays, 7, 0, 3650),
    cooldownDays: number(options.cooldownDays, 1, 0, 3650),
    // a bare data-consent-required attribute (value "") means yes
    consentRequired: options.consentRequired !== undefined && !/^(false|0)$/.test(String(options.consentRequired)),
  };
}

/** a script tag's data-* attributes as mount options: data-survey, data-endpoint, data-trigger, data-delay, … */
export function optionsOfDataset(data: DOMStringMap, scriptOrigin: string): RawOptions {
  return { ...data, surveyId: data.survey, endpoint: data.endpoint || scriptOrigin, metadata: undefined, onError: undefined };
}
