// adapter (cloud): the PiiRedactor port (./port.ts) with Amazon Comprehend DetectPiiEntities on top of the local
// redactor. Used by the process and rescore Lambdas.
//
// - The local redactor runs first, in every language; Comprehend then sees the locally redacted text and finds what
//   a pattern cannot (names, addresses, ...). DetectPiiEntities takes English and Spanish only
//   (https://docs.aws.amazon.com/comprehend/latest/APIReference/API_DetectPiiEntities.html: "en | es"), so other
//   languages get the local redaction alone. A comment without a locale (an API submission, say) has its language
//   detected first (BatchDetectDominantLanguage, 25 a call), so an English one still loses its names and addresses;
//   the outcome carries that language, and the sentiment step uses it rather than asking again. A failed detection
//   is a failed redaction (retried), as a failed DetectPiiEntities is.
// - Offsets: BeginOffset/EndOffset count Unicode code points, not UTF-16 code units (an emoji before a name would
//   shift a String.slice by one), so spans are applied on the text's code points.
// - One call per comment (there is no batch PII API), a few at a time, through the instance's ComprehendCalls gate
//   (../sentiment/comprehend-calls.ts: its rate cap, and retries of throttling and service faults within one deadline
//   per `redact`). A call still failing then never rejects: the outcome is `failed` with the local redaction applied,
//   and the caller keeps it pending (see process-responses.ts).
// - A failure is `rejected` only when Comprehend refused the document itself: DetectPiiEntities answering
//   InvalidRequestException, TextSizeLimitExceededException or UnsupportedLanguageException (one document a call, so
//   the call's error is the document's), or a BatchDetectDominantLanguage ErrorList entry whose code is not a service
//   fault. Anything else is a fault of the provider or of the way to it, retried for as long as it lasts: throttling,
//   a 5xx, a network fault or timeout, a whole detection call failing, and errors of this account rather than of the
//   text (access denied, expired credentials). A call the gate's rate cap never let out is `untried`. Classified by
//   the exception classes, never by `error.name`, which only goes into `reason` for operators.
import {
  BatchDetectDominantLanguageCommand,
  DetectPiiEntitiesCommand,
  InvalidRequestException,
  TextSizeLimitExceededException,
  UnsupportedLanguageException,
  type ComprehendClient,
  type PiiEntity,
} from '../aws/comprehend.js';
import { dominantLanguageOf, isServiceFaultCode, MAX_DOCUMENT_BYTES, truncateUtf8 } from '../sentiment/comprehend-analyzer.js';
import { MAX_DOCUMENTS_PER_CALL } from '../sentiment/comprehend-limits.js';
import { ComprehendRateCapError, type ComprehendCalls } from '../sentiment/comprehend-calls.js';
import { redactLocally } from './local-redactor.js';
import { addFound, type PiiRedactor, type RedactionOutcome, type RedactionRequest } from './port.js';

/** the languages DetectPiiEntities accepts */
export const COMPREHEND_PII_LANGUAGES: readonly string[] = ['en', 'es'];
/** entities below this confidence are left in the text */
export const MIN_PII_SCORE = 0.5;
const MAX_CONCURRENT_CALLS = 4;

/** replaces each entity span (code-point offsets) with `[TYPE]`; overlapping spans are merged */
export function applyEntities(text: string, entities: readonly PiiEntity[]): { text: string; found: Record<string, number> } {
  const codePoints = Array.from(text);
  const spans = entities
    .filter((e) => typeof e.BeginOffset === 'number' && typeof e.EndOffset === 'number' && (e.Score ?? 1) >= MIN_PII_SCORE)
    .map((e) => ({ begin: Math.max(0, e.BeginOffset as number), end: Math.min(codePoints.length, e.EndOffset as number), type: e.Type ?? 'PII' }))
    .filter((s) => s.end > s.begin)
    .sort((a, b) => a.begin - b.begin);
  const found: Record<string, number> = {};
  let out = '';
  let at = 0;
  for (const span of spans) {
    if (span.begin < at) {
      // overlaps the previous span: extend it
      at = Math.max(at, span.end);
      continue;
    }
    out += codePoints.slice(at, span.begin).join('') + `[${span.type}]`;
    found[span.type] = (found[span.type] ?? 0) + 1;
    at = span.end;
  }
  return { text: out + codePoints.slice(at).join(''), found };
}

/** a detected language (primary subtag), `undefined` when Comprehend is not sure of one, or why detection failed */
type Detected = { language?: string } | { failed: string; rejected?: true; untried?: true };

/** DetectPiiEntities refusing the one document it was sent, as opposed to a fault on the way to an answer */
const isRejection = (error: unknown): boolean =>
  error instanceof InvalidRequestException || error instanceof TextSizeLimitExceededException || error instanceof UnsupportedLanguageException;

/** why a call failed, for the outcome: `rejected` (the document refused), `untried` (never sent), or neither (a fault) */
const failureOf = (error: unknown, rejectable: boolean) => ({
  reason: `comprehend:${error instanceof Error ? error.name : 'error'}`,
  ...(error instanceof ComprehendRateCapError ? { untried: true as const } : {}),
  ...(rejectable && isRejection(error) ? { rejected: true as const } : {}),
});

export function createComprehendPiiRedactor(client: ComprehendClient, calls: ComprehendCalls): PiiRedactor {
  /** the dominant language of each text, by request id, 25 texts a call */
  async function detectLanguages(pending: readonly { id: string; text: string }[], deadline: number): Promise<Map<string, Detected>> {
    const detected = new Map<string, Detected>();
    for (let start = 0; start < pending.length; start += MAX_DOCUMENTS_PER_CALL) {
      const batch = pending.slice(start, start + MAX_DOCUMENTS_PER_CALL);
      try {
        const command = new BatchDetectDominantLanguageCommand({ TextList: batch.map((p) => truncateUtf8(p.text, MAX_DOCUMENT_BYTES)) });
        const response = await calls.run(() => client.send(command), deadline);
        const itemErrors = new Map((response?.ErrorList ?? []).map((error) => [error.Index, error.ErrorCode ?? 'unknown']));
        const results = new Map((response?.ResultList ?? []).map((result) => [result.Index, result]));
        batch.forEach(({ id }, index) => {
          const code = itemErrors.get(index);
          if (code !== undefined) return detected.set(id, { failed: `comprehend-item:${code}`, ...(isServiceFaultCode(code) ? {} : { rejected: true as const }) });
          const result = results.get(index);
          if (!result) return detected.set(id, { failed: 'comprehend:language-not-detected' });
          const language = dominantLanguageOf(result.Languages);
          detected.set(id, language ? { language } : {});
        });
      } catch (error) {
        // a whole call failing is not about one document: never a rejection
        const { reason, ...how } = failureOf(error, false);
        for (const { id } of batch) detected.set(id, { failed: reason, ...how });
      }
    }
    return detected;
  }

  async function redactOne(request: RedactionRequest, local: ReturnType<typeof redactLocally>, deadline: number, detected?: Detected): Promise<RedactionOutcome> {
    if (detected && 'failed' in detected) {
      const { failed: reason, ...how } = detected;
      return { id: request.id, status: 'failed', text: local.text, found: local.found, reason, ...how };
    }
    const language = request.language?.toLowerCase() ?? detected?.language;
    // a language found here goes back to the caller, which then need not detect it again
    const learnt = request.language === undefined && language ? { language } : {};
    if (!language || !COMPREHEND_PII_LANGUAGES.includes(language) || local.text.trim() === '') {
      return { id: request.id, status: 'redacted', ...local, ...learnt };
    }
    try {
      const command = new DetectPiiEntitiesCommand({ LanguageCode: language as 'en' | 'es', Text: local.text });
      const response = await calls.run(() => client.send(command), deadline);
      const cloud = applyEntities(local.text, response?.Entities ?? []);
      return { id: request.id, status: 'redacted', text: cloud.text, found: addFound(local.found, cloud.found), ...learnt };
    } catch (error) {
      return { id: request.id, status: 'failed', text: local.text, found: local.found, ...failureOf(error, true) };
    }
  }

  return {
    async redact(requests) {
      const deadline = calls.deadline();
      const locals = requests.map((request) => redactLocally(request.text));
      // the languages of comments that came without one, detected on their locally redacted text
      const detected = await detectLanguages(
        requests.flatMap((r, i) => (r.language === undefined && locals[i]!.text.trim() !== '' ? [{ id: r.id, text: locals[i]!.text.trim() }] : [])),
        deadline,
      );
      const outcomes: RedactionOutcome[] = new Array(requests.length);
      let next = 0;
      const worker = async () => {
        while (next < requests.length) {
          const i = next++;
          const request = requests[i] as RedactionRequest;
          outcomes[i] = await redactOne(request, locals[i]!, deadline, detected.get(request.id));
        }
      };
      await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT_CALLS, requests.length) }, worker));
      return outcomes;
    },
  };
}
