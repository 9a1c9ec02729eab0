// configuration: the email survey links' settings. Each is read by one function (the environment schema here is its
// own), and set on that function by the CDK app from a context value (`-c emailSurveyDwellSeconds=5`), checked at
// synth against the same schema; locally the process environment carries them.
import * as z from '../../shared/validation.js';
import type { FunctionName } from '../../infra/topology.js';
import { MAX_FINALISE_DELAY_MS } from '../../shared/invitations/invitation.js';

const MAX_FINALISE_MINUTES = MAX_FINALISE_DELAY_MS / 60_000;
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** https, or http on a loopback host (the local runtime); no credentials, query or fragment: paths are appended to it */
export const publicBaseUrlSchema = z.pipe(
  z.url({ protocol: /^https?$/, message: 'an https URL such as https://feedback.example.com' }).check(
    // (refinements run on a value the url check refused too)
    z.refine((value) => {
      const url = URL.parse(value);
      return url !== null && (url.protocol === 'https:' || LOOPBACK_HOSTNAMES.has(url.hostname));
    }, 'https (http only for 127.0.0.1, localhost or [::1])'),
    z.refine((value) => {
      const url = URL.parse(value);
      return url !== null && !url.username && !url.password && !url.search && !url.hash;
    }, 'no user:password@, query or fragment'),
  ),
  z.transform((value: string) => value.replace(/\/+$/, '')),
);

export const emailSurveySettings = {
  /** the public base URL minted links point at: the edge URL or a custom domain (the stack sets the edge URL; required
   * in the cloud); locally, unset: the loopback origin the mint request came in on (functions/commons/link-base-url.ts) */
  EMAIL_SURVEY_BASE_URL: z.optional(publicBaseUrlSchema),
  /** how long the hosted page must be visible before its human signal counts */
  EMAIL_SURVEY_DWELL_SECONDS: z._default(z.coerce.number().check(z.gte(0), z.lte(60)), 2),
  /**
   * how long a provisional answer stands with no submit before it is final; at most 20 hours, so that it is final while
   * its invitation still takes answers (answersCloseAt: at least 22 hours after the first answer, at 1 day's retention)
   */
  EMAIL_SURVEY_FINALISE_MINUTES: z._default(z.coerce.number().check(z.gte(0), z.lte(MAX_FINALISE_MINUTES)), 30),
};

export type EmailSurveySetting = keyof typeof emailSurveySettings;

/** the function that reads each setting, and the CDK context value that sets it */
export const emailSurveySettingTargets: Record<EmailSurveySetting, { function: FunctionName; context: string }> = {
  EMAIL_SURVEY_BASE_URL: { function: 'invitations', context: 'emailSurveyBaseUrl' },
  EMAIL_SURVEY_DWELL_SECONDS: { function: 'emailSurvey', context: 'emailSurveyDwellSeconds' },
  EMAIL_SURVEY_FINALISE_MINUTES: { function: 'emailSurveyFinalise', context: 'emailSurveyFinaliseMinutes' },
};
