// adapter (cloud): the Amazon Comprehend implementation of the SentimentAnalyzer port (./port.ts), used by the
// process and rescore Lambdas. The local adapter (local-analyzer) stands in for it under `npm start`.
//
// - BatchDetectSentiment takes ≤ 25 documents of ≤ 5,000 UTF-8 bytes each and one LanguageCode per call, so
//   requests are truncated by bytes, grouped by language and chunked by 25.
// - Requests without a language are first sent to BatchDetectDominantLanguage (same limits).
// - Every call goes through the instance's ComprehendCalls gate (./comprehend-calls.ts): its rate cap, and retries of
//   throttling and service faults within one deadline per `analyze`.
// - Nothing a provider does makes `analyze` reject: a failed call or item becomes a `failed` outcome, which the
//   caller stores as "sentiment pending" for the rescore schedule. Only a language Comprehend does not score
//   becomes `unscored`.
//
// Per-item error codes (BatchItemError.ErrorCode): the API reference types it as a free string with no listed
// values (https://docs.aws.amazon.com/comprehend/latest/APIReference/API_BatchItemError.html); the one documented
// example is "InternalServerException", i.e. the exception's name
// (https://docs.aws.amazon.com/comprehend/latest/dg/how-batch.html). So the code is compared after normalising
// ("UNSUPPORTED_LANGUAGE" ≡ "UnsupportedLanguageException"), only an unsupported language is `unscored`, and
// anything else, known or not, is `failed`: a service fault as a provider failure, any other code as a rejection
// of that document (`rejected`).
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  TooManyRequestsException,
  UnsupportedLanguageException,
  type BatchItemError,
  type ComprehendClientConfig,
  type LanguageCode,
} from '../aws/comprehend.js';
import { chunksOf } from '../chunks.js';
import {
  languageOfLocale,
  type SentimentAnalyzer,
  type SentimentLabel,
  type SentimentOutcome,
  type SentimentRequest,
} from './port.js';
import { ComprehendRateCapError, type ComprehendCalls } from './comprehend-calls.js';
import { MAX_DOCUMENTS_PER_CALL } from './comprehend-limits.js';

/** UTF-8 bytes per document ("5 KB"; older docs say "fewer than 5,000 bytes": 5,000 satisfies both readings) */
export const MAX_DOCUMENT_BYTES = 5_000;
/** a detected language below this confidence is not trusted */
export const MIN_LANGUAGE_SCORE = 0.5;
/** Comprehend calls in flight at once per `analyze`; the event source already runs several Lambdas in parallel */
const MAX_CONCURRENT_CALLS = 2;
/** the language of an `unscored` outcome whose language could not be told (BCP 47 "undetermined") */
export const UNDETERMINED_LANGUAGE = 'und';

/** the LanguageCode values BatchDetectSentiment accepts */
export const COMPREHEND_SENTIMENT_LANGUAGES: readonly LanguageCode[] = [
  'en', 'es', 'fr', 'de', 'it', 'pt', 'ar', 'hi', 'ja', 'ko', 'zh', 'zh-TW',
];

const SENTIMENT_LABELS: readonly SentimentLabel[] = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'];

/**
 * the client the Lambdas use: one attempt per send (the ComprehendCalls gate retries, within a deadline, and caps the
 * rate) and bounded timeouts
 */
export function createComprehendClient(overrides: ComprehendClientConfig = {}): ComprehendClient {
  return new ComprehendClient({
    maxAttempts: 1,
    // an inactivity timeout per attempt, so a stuck socket cannot eat the Lambda's 30 s
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
    ...overrides,
  });
}

/**
 * The longest prefix of `text` whose UTF-8 encoding fits in `maxBytes`, never cutting a character (code point)
 * in two: TextEncoder.encodeInto only writes whole characters and reports how much of the string it read.
 */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (!Number.isFinite(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be ≥ 0, got ${maxBytes}`);
  const limit = Math.floor(maxBytes);
  // a UTF-16 code unit never takes more than 3 UTF-8 bytes, so short strings need no encoding at all
  if (text.length * 3 <= limit) return text;
  const { read } = new TextEncoder().encodeInto(text, new Uint8Array(limit));
  return text.slice(0, read);
}

export function createComprehendSentimentAnalyzer(client: ComprehendClient, gate: ComprehendCalls): SentimentAnalyzer {
  return {
    async analyze(requests) {
      const deadline = gate.deadline();
      const run: Run = (call) => gate.run(call, deadline);
      const outcomes = new Map<number, SentimentOutcome>();
      const toScore = new Map<LanguageCode, Pending[]>();
      const toDetect: Pending[] = [];

      requests.forEach((request, position) => {
        const text = truncateUtf8(request.text.trim(), MAX_DOCUMENT_BYTES);
        const language = request.language ? languageOfLocale(request.language) : '';
        const pending: Pending = { position, id: request.id, text };
        if (text === '') {
          // nothing to score (Comprehend rejects empty documents, which would fail the whole call)
          outcomes.set(position, unscored(request, language || UNDETERMINED_LANGUAGE, 'undetermined-language'));
        } else if (language === '') {
          toDetect.push(pending);
        } else {
          route(pending, language);
        }
      });

      function route(pending: Pending, language: string): void {
        if (!isSentimentLanguage(language)) {
          outcomes.set(pending.position, unscored(pending, language, 'unsupported-language'));
          return;
        }
        const group = toScore.get(language) ?? [];
        group.push(pending);
        toScore.set(language, group);
      }

      // 1. detect the language of requests that came without one
      await runLimited(chunksOf(toDetect, MAX_DOCUMENTS_PER_CALL), MAX_CONCURRENT_CALLS, async (batch) => {
        for (const [pending, result] of await detectLanguages(client, run, batch)) {
          if (result.kind === 'detected') route(pending, result.language);
          else outcomes.set(pending.position, result.outcome);
        }
      });

      // 2. score each language in chunks of 25
      const calls = [...toScore].flatMap(([language, group]) =>
        chunksOf(group, MAX_DOCUMENTS_PER_CALL).map((batch) => ({ language, batch })),
      );
      await runLimited(calls, MAX_CONCURRENT_CALLS, async ({ language, batch }) => {
        for (const [pending, outcome] of await scoreSentiment(client, run, language, batch)) outcomes.set(pending.position, outcome);
      });

      return requests.map(
        (request, position) =>
          outcomes.get(position) ?? { id: request.id, status: 'failed', reason: 'comprehend:no-outcome' },
      );
    },
  };
}

/** one Comprehend call through the gate, within the deadline of the `analyze` it belongs to */
type Run = <T>(call: () => Promise<T>) => Promise<T>;

interface Pending {
  /** index into the caller's requests */
  position: number;
  id: string;
  /** trimmed and truncated to MAX_DOCUMENT_BYTES */
  text: string;
}

type Detection = { kind: 'detected'; language: string } | { kind: 'settled'; outcome: SentimentOutcome };

async function detectLanguages(client: ComprehendClient, run: Run, batch: readonly Pending[]): Promise<[Pending, Detection][]> {
  let response;
  try {
    response = await run(() => client.send(new BatchDetectDominantLanguageCommand({ TextList: batch.map((p) => p.text) })));
  } catch (error) {
    const outcome = outcomeOfCallError(error, UNDETERMINED_LANGUAGE, 'undetermined-language');
    return batch.map((pending) => [pending, { kind: 'settled', outcome: outcome(pending, undefined) }]);
  }
  // an item in neither list (or no response at all) ends up `failed` as missing, never as a rejection
  const results = new Map((response?.ResultList ?? []).map((result) => [result.Index, result]));
  const errors = new Map((response?.ErrorList ?? []).map((error) => [error.Index, error]));

  return batch.map((pending, index): [Pending, Detection] => {
    const error = errors.get(index);
    if (error) {
      return [pending, { kind: 'settled', outcome: outcomeOfItemError(error, pending, UNDETERMINED_LANGUAGE, 'undetermined-language') }];
    }
    const result = results.get(index);
    if (!result) return [pending, { kind: 'settled', outcome: failed(pending, undefined, 'comprehend:missing-result') }];
    const language = dominantLanguageOf(result.Languages);
    if (!language) return [pending, { kind: 'settled', outcome: unscored(pending, UNDETERMINED_LANGUAGE, 'undetermined-language') }];
    return [pending, { kind: 'detected', language }];
  });
}

/**
 * the language a BatchDetectDominantLanguage result names, or undefined when its best score is below
 * MIN_LANGUAGE_SCORE: "zh-TW" stays as is, anything else by its primary subtag ("pt-BR" → "pt")
 */
export function dominantLanguageOf(languages: readonly { LanguageCode?: string; Score?: number }[] = []): string | undefined {
  const top = languages.reduce<{ LanguageCode?: string; Score?: number } | undefined>(
    (best, candidate) => ((candidate.Score ?? 0) > (best?.Score ?? -1) ? candidate : best),
    undefined,
  );
  return top?.LanguageCode && (top.Score ?? 0) >= MIN_LANGUAGE_SCORE ? languageOfLocale(top.LanguageCode) : undefined;
}

async function scoreSentiment(
  client: ComprehendClient,
  run: Run,
  language: LanguageCode,
  batch: readonly Pending[],
): Promise<[Pending, SentimentOutcome][]> {
  let response;
  try {
    response = await run(() =>
      client.send(new BatchDetectSentimentCommand({ LanguageCode: language, TextList: batch.map((p) => p.text) })),
    );
  } catch (error) {
    const outcome = outcomeOfCallError(error, language, 'unsupported-language');
    return batch.map((pending) => [pending, outcome(pending, language)]);
  }
  // an item in neither list (or no response at all) ends up `failed` as missing, never as a rejection
  const results = new Map((response?.ResultList ?? []).map((result) => [result.Index, result]));
  const errors = new Map((response?.ErrorList ?? []).map((error) => [error.Index, error]));

  return batch.map((pending, index): [Pending, SentimentOutcome] => {
    const error = errors.get(index);
    if (error) return [pending, outcomeOfItemError(error, pending, language, 'unsupported-language')];
    const result = results.get(index);
    const label = result?.Sentiment;
    const scores = result?.SentimentScore;
    if (!result) return [pending, failed(pending, language, 'comprehend:missing-result')];
    if (!label || !isSentimentLabel(label) || !scores) return [pending, failed(pending, language, 'comprehend:malformed-result')];
    return [
      pending,
      {
        id: pending.id,
        status: 'scored',
        language,
        label,
        scores: {
          positive: scores.Positive ?? 0,
          negative: scores.Negative ?? 0,
          neutral: scores.Neutral ?? 0,
          mixed: scores.Mixed ?? 0,
        },
      },
    ];
  });
}

/**
 * A whole call failed: every item of it gets the same fate. Classified by the SDK's exception classes and
 * metadata, never by `error.name`; the name only goes into the `reason` text for operators.
 * - UnsupportedLanguageException → unscored (the one thing retrying cannot fix and that is not a bug)
 * - TooManyRequestsException / a throttling-flagged error (ThrottlingException arrives unmodeled) / the instance's own
 *   rate cap → failed "throttled"
 * - InternalServerException, network faults, timeouts, size/validation errors (a bug here, given truncation and
 *   chunking: kept pending so the rescore picks them up once fixed), anything unknown → failed
 */
function outcomeOfCallError(
  error: unknown,
  language: string,
  unsupportedReason: 'unsupported-language' | 'undetermined-language',
): (pending: Pending, knownLanguage: string | undefined) => SentimentOutcome {
  if (error instanceof UnsupportedLanguageException) return (pending) => unscored(pending, language, unsupportedReason);
  const reason = isThrottling(error) ? 'comprehend:throttled' : `comprehend:${describe(error)}`;
  return (pending, knownLanguage) => failed(pending, knownLanguage, reason);
}

function isThrottling(error: unknown): boolean {
  if (error instanceof TooManyRequestsException || error instanceof ComprehendRateCapError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { $retryable, $metadata } = error as { $retryable?: { throttling?: boolean }; $metadata?: { httpStatusCode?: number } };
  return $retryable?.throttling === true || $metadata?.httpStatusCode === 429;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.name || 'Error';
  return 'unknown-error';
}

/** normalised so "UNSUPPORTED_LANGUAGE", "UnsupportedLanguage" and "UnsupportedLanguageException" are one code */
const normalizeCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, '').replace(/(exception|error)$/, '');
const UNSUPPORTED_LANGUAGE_CODE = normalizeCode('UnsupportedLanguageException');

/** item codes that name a fault of the service, not of the document: retried for as long as they last */
const SERVICE_FAULT_CODES = new Set(
  ['InternalServerException', 'ServiceUnavailableException', 'TooManyRequestsException', 'ThrottlingException'].map(normalizeCode),
);

/** whether a BatchItemError code names a fault of the service (retried) rather than a refusal of the document */
export const isServiceFaultCode = (code: string): boolean => SERVICE_FAULT_CODES.has(normalizeCode(code));

/**
 * one document of a batch failed (BatchItemError): an unsupported language is final; a service fault (the one
 * documented example, InternalServerException) is a provider failure like a failed call; any other code, known
 * or not, is Comprehend refusing this document (`rejected`): the rescore tries it a few times, then gives up
 */
function outcomeOfItemError(
  error: BatchItemError,
  pending: Pending,
  language: string,
  unsupportedReason: 'unsupported-language' | 'undetermined-language',
): SentimentOutcome {
  const code = error.ErrorCode ?? 'unknown';
  const normalized = normalizeCode(code);
  if (normalized === UNSUPPORTED_LANGUAGE_CODE) return unscored(pending, language, unsupportedReason);
  const outcome = failed(pending, language === UNDETERMINED_LANGUAGE ? undefined : language, `comprehend-item:${code}`);
  return isServiceFaultCode(code) ? outcome : { ...outcome, rejected: true };
}

function unscored(
  request: Pick<SentimentRequest, 'id'>,
  language: string,
  reason: 'unsupported-language' | 'undetermined-language',
): SentimentOutcome {
  return { id: request.id, status: 'unscored', language, reason };
}

function failed(request: Pick<SentimentRequest, 'id'>, language: string | undefined, reason: string): Extract<SentimentOutcome, { status: 'failed' }> {
  return language === undefined
    ? { id: request.id, status: 'failed', reason }
    : { id: request.id, status: 'failed', language, reason };
}

function isSentimentLanguage(language: string): language is LanguageCode {
  return (COMPREHEND_SENTIMENT_LANGUAGES as readonly string[]).includes(language);
}

function isSentimentLabel(label: string): label is SentimentLabel {
  return (SENTIMENT_LABELS as readonly string[]).includes(label);
}

/** runs `work` over `items` with at most `limit` in flight; `work` must not reject (it maps errors to outcomes) */
async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
