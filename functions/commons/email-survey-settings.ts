// configuration: the email survey links' settings. Each is read by one function (the environment schema here is its
// own), and set on that function by the CDK app from a context value (`-c emailSurveyDwellSeconds=5`), checked at
// synth against the same schema; locally the process environment carries them.
import * as z from 'zod';
import type { FunctionName } from '../../infra/topology.js';

export const emailSurveySettings = {
  /** the public base URL minted links point at (e.g. a custom domain); default: the URL the mint request came in on */
  EMAIL_SURVEY_BASE_URL: z.url().optional(),
  /** how long the hosted page must be visible before its human signal counts */
  EMAIL_SURVEY_DWELL_SECONDS: z.coerce.number().min(0).max(60).default(2),
  /** how long a provisional answer stands with no submit before it is final */
  EMAIL_SURVEY_FINALISE_MINUTES: z.coerce.number().min(0).max(1440).default(30),
};

export type EmailSurveySetting = keyof typeof emailSurveySettings;

/** the function that reads each setting, and the CDK context value that sets it */
export const emailSurveySettingTargets: Record<EmailSurveySetting, { function: FunctionName; context: string }> = {
  EMAIL_SURVEY_BASE_URL: { function: 'invitations', context: 'emailSurveyBaseUrl' },
  EMAIL_SURVEY_DWELL_SECONDS: { function: 'emailSurvey', context: 'emailSurveyDwellSeconds' },
  EMAIL_SURVEY_FINALISE_MINUTES: { function: 'emailSurveyFinalise', context: 'emailSurveyFinaliseMinutes' },
};
