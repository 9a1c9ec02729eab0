// composition: which SentimentAnalyzer a function uses. Cloud bundles define SENTIMENT_PROVIDER as "comprehend" at build
// time, so the local scorer and its lexicon are dropped from them; the local runtime sets "local".
// The Comprehend side is imported statically: esbuild cannot tree-shake a package reached through a dynamic import in a
// CommonJS bundle, and the whole Comprehend client (every command and schema, about 55 KB) would ship.
import { createComprehendSentimentAnalyzer } from './comprehend-analyzer.js';
import { comprehendFromEnvironment } from './comprehend-from-environment.js';
import type { SentimentAnalyzer } from './port.js';

export function analyzerFromEnvironment(): SentimentAnalyzer & { loaded: Promise<void> } {
  const load = async (): Promise<SentimentAnalyzer> => {
    if (process.env.SENTIMENT_PROVIDER === 'local') {
      const { createLocalSentimentAnalyzer } = await import('./local-analyzer.js');
      return createLocalSentimentAnalyzer();
    }
    const { client, calls } = comprehendFromEnvironment();
    return createComprehendSentimentAnalyzer(client, calls);
  };
  // loaded while the function initialises (Lambda's init phase, the local runtime's warm-up), not by its first batch;
  // a failed load fails each analyze call (the response is then stored pending), never as an unhandled rejection
  const analyzer = load();
  return {
    loaded: analyzer.then(
      () => undefined,
      () => undefined,
    ),
    async analyze(requests) {
      return (await analyzer).analyze(requests);
    },
  };
}
