// deploy-faithful runner: the Comprehend operations the functions' Comprehend adapters call, answered over
// Comprehend's own JSON protocol by the local scorer and redactor, with Comprehend's limits (≤ 25 documents a batch,
// ≤ 5,000 UTF-8 bytes a document) so an adapter that breaks them fails here as it would in AWS. The scores are the
// local scorer's (English lexicon), not Comprehend's: what is under test is the adapters and the wiring.
import { redactLocally } from '../../shared/privacy/local-redactor.js';
import { languageOfText, scoreEnglish } from '../../shared/sentiment/local-analyzer.js';
import { ServiceError } from './service-error.js';

const MAX_BATCH = 25;
const MAX_DOCUMENT_BYTES = 5_000;
const MAX_PII_DOCUMENT_BYTES = 100_000;

function checkDocuments(texts: unknown, maxBytes: number, batch: boolean): string[] {
  const list = batch ? texts : [texts];
  if (!Array.isArray(list) || list.some((text) => typeof text !== 'string')) throw new ServiceError('InvalidRequestException', 'TextList must be a list of strings');
  if (batch && list.length > MAX_BATCH) throw new ServiceError('BatchSizeLimitExceededException', `at most ${MAX_BATCH} documents per batch`);
  for (const text of list as string[]) {
    if (Buffer.byteLength(text, 'utf8') > maxBytes) throw new ServiceError('TextSizeLimitExceededException', `a document is over ${maxBytes} bytes`);
    if (text.length === 0) throw new ServiceError('InvalidRequestException', 'a document is empty');
  }
  return list as string[];
}

/**
 * what the local redactor finds, as Comprehend entities: none, or one over the whole text. The adapter redacts locally
 * before it calls, so text with a local finding reaches here only from a caller that skipped that; marking all of it
 * keeps such text from passing as clean without guessing where each finding starts.
 */
function piiEntities(text: string) {
  const redaction = redactLocally(text);
  const [type] = Object.keys(redaction.found);
  if (type === undefined) return [];
  return [{ Type: type === 'PHONE' ? 'PHONE' : type === 'CARD' ? 'CREDIT_DEBIT_NUMBER' : type === 'IBAN' ? 'INTERNATIONAL_BANK_ACCOUNT_NUMBER' : 'EMAIL', Score: 0.99, BeginOffset: 0, EndOffset: Array.from(text).length }];
}

export function comprehend(operation: string, body: Record<string, unknown>): unknown {
  switch (operation) {
    case 'BatchDetectDominantLanguage': {
      const texts = checkDocuments(body.TextList, MAX_DOCUMENT_BYTES, true);
      return {
        ResultList: texts.map((text, Index) => {
          const { language, known } = languageOfText(text);
          return { Index, Languages: known ? [{ LanguageCode: language, Score: 0.95 }] : [] };
        }),
        ErrorList: [],
      };
    }
    case 'BatchDetectSentiment': {
      const texts = checkDocuments(body.TextList, MAX_DOCUMENT_BYTES, true);
      if (typeof body.LanguageCode !== 'string') throw new ServiceError('InvalidRequestException', 'LanguageCode is required');
      return {
        ResultList: texts.map((text, Index) => {
          const { label, scores } = scoreEnglish(text);
          return { Index, Sentiment: label, SentimentScore: { Positive: scores.positive, Negative: scores.negative, Neutral: scores.neutral, Mixed: scores.mixed } };
        }),
        ErrorList: [],
      };
    }
    case 'DetectPiiEntities': {
      const [text] = checkDocuments(body.Text, MAX_PII_DOCUMENT_BYTES, false) as [string];
      if (body.LanguageCode !== 'en' && body.LanguageCode !== 'es') throw new ServiceError('UnsupportedLanguageException', 'DetectPiiEntities supports en and es');
      return { Entities: piiEntities(text) };
    }
    default:
      throw new ServiceError('UnknownOperationException', `comprehend: ${operation} is not served locally`);
  }
}
