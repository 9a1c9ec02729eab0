// composition: which SentimentAnalyzer a function uses. Cloud bundles define SENTIMENT_PROVIDER as "comprehend" at build
// time, so the local scorer and its lexicon are dropped from them; the local runtime sets "local".
import type { SentimentAnalyzer } from './port.js';

export function analyzerFromEnvironment(): SentimentAnalyzer {
  let analyzer: Promise<SentimentAnalyzer> | undefined;
  const load = async (): Promise<SentimentAnalyzer> => {
    if (process.env.SENTIMENT_PROVIDER === 'local') {
      const { createLocalSentimentAnalyzer } = await import('./local-analyzer.js');
      return createLocalSentimentAnalyzer();
    }
    const { createComprehendClient, createComprehendSentimentAnalyzer } = await import('./comprehend-analyzer.js');
    return createComprehendSentimentAnalyzer(createComprehendClient());
  };
  return {
    async analyze(requests) {
      analyzer ??= load();
      return (await analyzer).analyze(requests);
    },
  };
}
