// bench: accuracy and throughput of the local sentiment adapter (shared/sentiment/local-analyzer.ts) on the UCI
// "Sentiment Labelled Sentences" (test/fixtures/sentiment, see its README). `npx tsx test/bench/sentiment-accuracy.ts`
// prints the figures; `measureSentimentAccuracy()` returns them (test/bench/run.ts, and the floor in
// test/unit/local-sentiment.test.ts).
//
// Task: binary POSITIVE vs NEGATIVE, on the test split only (the calibration split is where the thresholds and the
// supplement lexicon were tuned). The sentences were chosen by the dataset's authors to be clearly positive or
// negative, so the headline accuracy counts a NEUTRAL or MIXED prediction as wrong; `accuracyWhenCommitted` (the
// share right among POSITIVE/NEGATIVE predictions) and `committed` (the share that got one) are reported beside it.
// Requests carry language "en" (the fixtures are English): this measures the scorer; `detection` reports separately
// how many of the same sentences, sent without a language, are placed as English and scored.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { createLocalSentimentAnalyzer } from '../../shared/sentiment/local-analyzer.js';
import type { SentimentLabel, SentimentOutcome, SentimentRequest } from '../../shared/sentiment/port.js';

export type FixtureName = 'amazon' | 'yelp';
export const FIXTURES: Readonly<Record<FixtureName, string>> = {
  amazon: 'amazon_cells_labelled.txt',
  yelp: 'yelp_labelled.txt',
};

export interface LabelledSentence {
  text: string;
  positive: boolean;
}

/** one fixture file: `sentence<TAB>label` lines, 1 = positive, 0 = negative */
export function loadFixture(name: FixtureName): LabelledSentence[] {
  const file = new URL(`../fixtures/sentiment/${FIXTURES[name]}`, import.meta.url);
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const tab = line.lastIndexOf('\t');
      const label = line.slice(tab + 1).trim();
      if (tab < 0 || (label !== '0' && label !== '1')) throw new Error(`${FIXTURES[name]}: bad line ${JSON.stringify(line)}`);
      return { text: line.slice(0, tab), positive: label === '1' };
    });
}

/**
 * The fixed split: within each label, in file order, sentences alternate calibration, test, calibration, … so each
 * file gives 250 + 250 of each label to either side. Deterministic, so a figure can be compared across commits.
 */
export function splitFixture(sentences: readonly LabelledSentence[]): {
  calibration: LabelledSentence[];
  test: LabelledSentence[];
} {
  const seen = { positive: 0, negative: 0 };
  const calibration: LabelledSentence[] = [];
  const test: LabelledSentence[] = [];
  for (const sentence of sentences) {
    const key = sentence.positive ? 'positive' : 'negative';
    (seen[key]++ % 2 === 0 ? calibration : test).push(sentence);
  }
  return { calibration, test };
}

export interface ClassFigures {
  /** of the sentences predicted as this class, the share that are */
  precision: number;
  /** of the sentences of this class, the share predicted as it (NEUTRAL/MIXED are misses) */
  recall: number;
}

export interface AccuracyFigures {
  sentences: number;
  /** headline: correct POSITIVE/NEGATIVE predictions over all sentences; NEUTRAL and MIXED count as wrong */
  accuracy: number;
  /** correct over the sentences predicted POSITIVE or NEGATIVE */
  accuracyWhenCommitted: number;
  /** share of sentences predicted POSITIVE or NEGATIVE */
  committed: number;
  predictions: Record<SentimentLabel | 'unscored', number>;
  positive: ClassFigures;
  negative: ClassFigures;
}

export interface SentimentAccuracyReport {
  split: 'test' | 'calibration';
  headline: string;
  overall: AccuracyFigures;
  datasets: Record<FixtureName, AccuracyFigures>;
  /** the same sentences without a language: share placed as English and scored (the rest: undetermined/other) */
  detection: { sentences: number; scoredAsEnglish: number };
  /** comments/second through `analyze` in batches of 100 (one core); absent when not measured */
  throughput?: { comments: number; commentsPerSecond: number; commentsPerSecondWithDetection: number };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;
const ratio = (part: number, whole: number) => (whole === 0 ? 0 : round3(part / whole));

function figures(sentences: readonly LabelledSentence[], outcomes: readonly SentimentOutcome[]): AccuracyFigures {
  const predictions: AccuracyFigures['predictions'] = { POSITIVE: 0, NEGATIVE: 0, NEUTRAL: 0, MIXED: 0, unscored: 0 };
  let truePositive = 0;
  let trueNegative = 0;
  sentences.forEach((sentence, index) => {
    const outcome = outcomes[index];
    if (outcome?.status !== 'scored') {
      predictions.unscored += 1;
      return;
    }
    predictions[outcome.label] += 1;
    if (outcome.label === 'POSITIVE' && sentence.positive) truePositive += 1;
    if (outcome.label === 'NEGATIVE' && !sentence.positive) trueNegative += 1;
  });
  const positives = sentences.filter((sentence) => sentence.positive).length;
  const negatives = sentences.length - positives;
  const committed = predictions.POSITIVE + predictions.NEGATIVE;
  return {
    sentences: sentences.length,
    accuracy: ratio(truePositive + trueNegative, sentences.length),
    accuracyWhenCommitted: ratio(truePositive + trueNegative, committed),
    committed: ratio(committed, sentences.length),
    predictions,
    positive: { precision: ratio(truePositive, predictions.POSITIVE), recall: ratio(truePositive, positives) },
    negative: { precision: ratio(trueNegative, predictions.NEGATIVE), recall: ratio(trueNegative, negatives) },
  };
}

const requestsFor = (sentences: readonly LabelledSentence[], language?: string): SentimentRequest[] =>
  sentences.map((sentence, index) => ({ id: String(index), text: sentence.text, ...(language ? { language } : {}) }));

async function analyzeAll(requests: readonly SentimentRequest[]): Promise<SentimentOutcome[]> {
  const byId = new Map((await createLocalSentimentAnalyzer().analyze(requests)).map((outcome) => [outcome.id, outcome]));
  return requests.map((request) => byId.get(request.id) ?? { id: request.id, status: 'failed', reason: 'missing' });
}

async function commentsPerSecond(requests: readonly SentimentRequest[], rounds: number): Promise<number> {
  const analyzer = createLocalSentimentAnalyzer();
  const batches: SentimentRequest[][] = [];
  for (let start = 0; start < requests.length; start += 100) batches.push(requests.slice(start, start + 100));
  for (const batch of batches) await analyzer.analyze(batch); // warm-up (JIT, lazily compiled regexes)
  const started = performance.now();
  for (let round = 0; round < rounds; round += 1) for (const batch of batches) await analyzer.analyze(batch);
  const seconds = (performance.now() - started) / 1000;
  return Math.round((requests.length * rounds) / seconds);
}

export async function measureSentimentAccuracy(
  options: { split?: 'test' | 'calibration'; throughput?: boolean } = {},
): Promise<SentimentAccuracyReport> {
  const split = options.split ?? 'test';
  const sentencesOf = (name: FixtureName) => splitFixture(loadFixture(name))[split];
  const amazon = sentencesOf('amazon');
  const yelp = sentencesOf('yelp');
  const all = [...amazon, ...yelp];

  const outcomes = await analyzeAll(requestsFor(all, 'en'));
  const overall = figures(all, outcomes);
  const datasets = {
    amazon: figures(amazon, outcomes.slice(0, amazon.length)),
    yelp: figures(yelp, outcomes.slice(amazon.length)),
  };

  const detected = await analyzeAll(requestsFor(all));
  const scoredAsEnglish = detected.filter((outcome) => outcome.status === 'scored' && outcome.language === 'en').length;

  const report: SentimentAccuracyReport = {
    split,
    headline:
      `accuracy ${overall.accuracy} (amazon ${datasets.amazon.accuracy}, yelp ${datasets.yelp.accuracy}) on ` +
      `${overall.sentences} ${split}-split sentences, NEUTRAL/MIXED counted wrong; ` +
      `${overall.accuracyWhenCommitted} on the ${Math.round(overall.committed * 100)}% predicted POSITIVE/NEGATIVE`,
    overall,
    datasets,
    detection: { sentences: all.length, scoredAsEnglish: ratio(scoredAsEnglish, all.length) },
  };
  if (options.throughput !== false) {
    const rounds = 5;
    report.throughput = {
      comments: all.length * rounds,
      commentsPerSecond: await commentsPerSecond(requestsFor(all, 'en'), rounds),
      commentsPerSecondWithDetection: await commentsPerSecond(requestsFor(all), rounds),
    };
  }
  return report;
}

function print(report: SentimentAccuracyReport): void {
  const row = (name: string, f: AccuracyFigures) =>
    [
      name.padEnd(8),
      String(f.sentences).padStart(5),
      f.accuracy.toFixed(3).padStart(9),
      f.accuracyWhenCommitted.toFixed(3).padStart(10),
      f.committed.toFixed(3).padStart(10),
      `${f.positive.precision.toFixed(3)}/${f.positive.recall.toFixed(3)}`.padStart(13),
      `${f.negative.precision.toFixed(3)}/${f.negative.recall.toFixed(3)}`.padStart(13),
      `${f.predictions.NEUTRAL}/${f.predictions.MIXED}`.padStart(9),
    ].join(' ');
  console.log(`local sentiment scorer, UCI labelled sentences, ${report.split} split`);
  console.log(report.headline);
  console.log(
    ['dataset ', 'sents', ' accuracy', ' committed', '  coverage', ' POS prec/rec', ' NEG prec/rec', ' NEU/MIX'].join(' '),
  );
  console.log(row('amazon', report.datasets.amazon));
  console.log(row('yelp', report.datasets.yelp));
  console.log(row('overall', report.overall));
  console.log(
    `without a language: ${(report.detection.scoredAsEnglish * 100).toFixed(1)}% of the ${report.detection.sentences} ` +
      'sentences are placed as English and scored',
  );
  if (report.throughput) {
    console.log(
      `throughput: ${report.throughput.commentsPerSecond} comments/s with a language, ` +
        `${report.throughput.commentsPerSecondWithDetection} comments/s detecting it (${report.throughput.comments} comments, one core)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const split = process.argv.includes('--calibration') ? 'calibration' : 'test';
  print(await measureSentimentAccuracy({ split }));
}
