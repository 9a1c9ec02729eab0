// adapter (local): the PiiRedactor port (./port.ts) with the local redactor alone: e-mails, phone numbers, card
// numbers and IBANs in every language. `npm start` and the tests use it; the cloud adds Comprehend on top.
import { redactLocally } from './local-redactor.js';
import type { PiiRedactor } from './port.js';

export function createLocalPiiRedactor(): PiiRedactor {
  return {
    async redact(requests) {
      return requests.map(({ id, text }) => ({ id, status: 'redacted' as const, ...redactLocally(text) }));
    },
  };
}
