// domain: personal data in the key/value pairs that travel beside a comment — a response's `metadata` and an
// invitation's custom `fields` (which become its response's metadata). Each value gets the local redactor
// (local-redactor.ts: e-mails, phone numbers, card numbers, IBANs → [EMAIL], [PHONE], [CARD], [IBAN]); keys are the
// integrator's names and stay as they are. Always, whatever the survey's `privacy.comments`: that setting keeps a
// survey's free text, and no analysis needs a contact detail in a structured field. Not Comprehend: these values are
// ids and labels, and one DetectPiiEntities call per value (billed at least 300 characters each, up to 20 values a
// response) would cost more than the comment's call for little it would find. Pure.
import { redactLocally } from './local-redactor.js';

/** the same pairs, each value redacted */
export const redactedValues = (values: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(values).map(([key, value]) => [key, redactLocally(value).text]));
