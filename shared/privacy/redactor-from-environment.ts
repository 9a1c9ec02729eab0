// composition: which PiiRedactor a function uses, by the same switch as sentiment (SENTIMENT_PROVIDER, defined as
// "comprehend" in cloud bundles, "local" by the local runtime): Comprehend on top of the local redactor in the cloud.
// Comprehend statically, as in analyzer-from-environment.ts (a dynamic import defeats the bundles' tree-shaking)
import { comprehendFromEnvironment } from '../sentiment/comprehend-from-environment.js';
import { createComprehendPiiRedactor } from './comprehend-redactor.js';
import type { PiiRedactor } from './port.js';

export function redactorFromEnvironment(): PiiRedactor & { loaded: Promise<void> } {
  const load = async (): Promise<PiiRedactor> => {
    if (process.env.SENTIMENT_PROVIDER === 'local') {
      const { createLocalPiiRedactor } = await import('./local-pii-redactor.js');
      return createLocalPiiRedactor();
    }
    const { client, calls } = comprehendFromEnvironment();
    return createComprehendPiiRedactor(client, calls);
  };
  // loaded while the function initialises, as the sentiment analyzer is (analyzer-from-environment.ts)
  const redactor = load();
  return {
    loaded: redactor.then(
      () => undefined,
      () => undefined,
    ),
    async redact(requests) {
      return (await redactor).redact(requests);
    },
  };
}
