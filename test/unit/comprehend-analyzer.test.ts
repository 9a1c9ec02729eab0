import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatchDetectDominantLanguageCommand,
  BatchDetectSentimentCommand,
  ComprehendClient,
  InternalServerException,
  TooManyRequestsException,
  UnsupportedLanguageException,
} from '../../shared/aws/comprehend.js';
import type { BatchDetectSentimentCommandInput, BatchDetectSentimentCommandOutput } from '@aws-sdk/client-comprehend';
import { mockAws, type AnyCommand, type CommandClass } from '../support/aws-mock.js';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  createComprehendClient,
  createComprehendSentimentAnalyzer,
  truncateUtf8,
} from '../../shared/sentiment/comprehend-analyzer.js';
import type { SentimentOutcome, SentimentRequest } from '../../shared/sentiment/port.js';
import { oneAttemptCalls } from '../support/comprehend-calls.js';

const comprehend = mockAws(ComprehendClient);
const inputsOf = <C extends AnyCommand>(command: CommandClass<C>) => comprehend.commandCalls(command).map((call) => call.args[0].input);

const metadata = { $metadata: { httpStatusCode: 400 } };
const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');
/** valid UTF-8 with no half surrogate pair: encoding and decoding gives the same string back */
const roundTripsThroughUtf8 = (text: string) =>
  new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(text, 'utf8')) === text;

/** a Comprehend stand-in that scores every document POSITIVE */
function scoreEverything(input: BatchDetectSentimentCommandInput): BatchDetectSentimentCommandOutput {
  return {
    ...metadata,
    ResultList: (input.TextList ?? []).map((_, index) => ({
      Index: index,
      Sentiment: 'POSITIVE',
      SentimentScore: { Positive: 0.91, Negative: 0.02, Neutral: 0.05, Mixed: 0.02 },
    })),
    ErrorList: [],
  };
}

const englishRequests = (count: number): SentimentRequest[] =>
  Array.from({ length: count }, (_, index) => ({ id: `r${index}`, text: `comment ${index}`, language: 'en' }));

const byId = (outcomes: SentimentOutcome[]) => new Map(outcomes.map((outcome) => [outcome.id, outcome]));
const statuses = (outcomes: SentimentOutcome[]) => outcomes.map((outcome) => outcome.status);

describe('comprehend sentiment analyzer', () => {
  beforeEach(() => {
    comprehend.reset();
  });

  it('scores 60 English comments in three calls of 25, 25 and 10 documents', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).callsFake(scoreEverything);
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(60));

    // Assess
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(3);
    const sizes = comprehend.commandCalls(BatchDetectSentimentCommand).map((call) => call.args[0].input.TextList?.length);
    expect(sizes).toEqual([25, 25, 10]);
    for (const call of comprehend.commandCalls(BatchDetectSentimentCommand)) {
      expect(call.args[0].input.LanguageCode).toBe('en');
    }
    expect(outcomes).toHaveLength(60);
    expect(new Set(statuses(outcomes))).toEqual(new Set(['scored']));
    expect(byId(outcomes).get('r59')).toEqual({
      id: 'r59',
      status: 'scored',
      language: 'en',
      label: 'POSITIVE',
      scores: { positive: 0.91, negative: 0.02, neutral: 0.05, mixed: 0.02 },
    });
  });

  it('makes one call per language when comments come in several languages', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).callsFake(scoreEverything);
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());
    const requests: SentimentRequest[] = [
      { id: 'en1', text: 'Great service', language: 'en' },
      { id: 'es1', text: 'Muy bueno', language: 'es' },
      { id: 'en2', text: 'Slow delivery', language: 'en-GB' },
      { id: 'fr1', text: 'Très bien', language: 'fr' },
      { id: 'tw1', text: '服務很好', language: 'zh-TW' },
    ];

    // Act
    const outcomes = await analyzer.analyze(requests);

    // Assess
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(4);
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({
      LanguageCode: 'en',
      TextList: ['Great service', 'Slow delivery'],
    });
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'es', TextList: ['Muy bueno'] });
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'fr', TextList: ['Très bien'] });
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'zh-TW', TextList: ['服務很好'] });
    expect(outcomes.map((outcome) => [outcome.id, outcome.status, outcome.language])).toEqual([
      ['en1', 'scored', 'en'],
      ['es1', 'scored', 'es'],
      ['en2', 'scored', 'en'],
      ['fr1', 'scored', 'fr'],
      ['tw1', 'scored', 'zh-TW'],
    ]);
  });

  it('truncates a 7,000-byte multibyte comment to at most 5,000 bytes of valid UTF-8', async () => {
    // Prepare: 1 + 1,749 × 4 + 3 = 7,000 bytes; the 5,000-byte mark falls inside an emoji
    comprehend.on(BatchDetectSentimentCommand).callsFake(scoreEverything);
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());
    const text = `a${'😀'.repeat(1_749)}bbb`;
    expect(utf8Bytes(text)).toBe(7_000);

    // Act
    const [outcome] = await analyzer.analyze([{ id: 'long', text, language: 'en' }]);

    // Assess
    const sent = comprehend.commandCalls(BatchDetectSentimentCommand)[0]?.args[0].input.TextList?.[0] ?? '';
    expect(utf8Bytes(sent)).toBeLessThanOrEqual(5_000);
    expect(utf8Bytes(sent)).toBe(4_997);
    expect(roundTripsThroughUtf8(sent)).toBe(true);
    expect(text.startsWith(sent)).toBe(true);
    expect(outcome?.status).toBe('scored');
  });

  it('detects the language of comments without one, then scores them in the detected language', async () => {
    // Prepare
    comprehend.on(BatchDetectDominantLanguageCommand).resolves({
      ...metadata,
      ResultList: [
        { Index: 0, Languages: [{ LanguageCode: 'de', Score: 0.98 }] },
        { Index: 1, Languages: [{ LanguageCode: 'en', Score: 0.2 }, { LanguageCode: 'pt-BR', Score: 0.7 }] },
        { Index: 2, Languages: [{ LanguageCode: 'zh-TW', Score: 0.9 }] },
        { Index: 3, Languages: [{ LanguageCode: 'nl', Score: 0.31 }] },
        { Index: 4, Languages: [{ LanguageCode: 'sv', Score: 0.95 }] },
      ],
      ErrorList: [],
    });
    comprehend.on(BatchDetectSentimentCommand).callsFake(scoreEverything);
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());
    const [german, portuguese, taiwanese] = ['Das war ein wunderbarer Service', 'O atendimento foi excelente', '這次的服務非常好，謝謝你們'];
    const requests: SentimentRequest[] = [
      { id: 'de', text: german },
      { id: 'pt', text: portuguese },
      { id: 'tw', text: taiwanese },
      { id: 'unsure', text: 'ok ok ok' },
      { id: 'sv', text: 'Det var en fantastisk service' },
    ];

    // Act
    const outcomes = byId(await analyzer.analyze(requests));

    // Assess
    expect(inputsOf(BatchDetectDominantLanguageCommand)).toEqual([{ TextList: requests.map((request) => request.text) }]);
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(3);
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'de', TextList: [german] });
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'pt', TextList: [portuguese] });
    expect(inputsOf(BatchDetectSentimentCommand)).toContainEqual({ LanguageCode: 'zh-TW', TextList: [taiwanese] });
    expect(outcomes.get('de')).toMatchObject({ status: 'scored', language: 'de', label: 'POSITIVE' });
    expect(outcomes.get('pt')).toMatchObject({ status: 'scored', language: 'pt' });
    expect(outcomes.get('tw')).toMatchObject({ status: 'scored', language: 'zh-TW' });
    expect(outcomes.get('unsure')).toMatchObject({ status: 'unscored', reason: 'undetermined-language' });
    expect(outcomes.get('sv')).toEqual({ id: 'sv', status: 'unscored', language: 'sv', reason: 'unsupported-language' });
  });

  it('leaves a Swedish comment unscored without calling Comprehend', async () => {
    // Prepare
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze([{ id: 'sv', text: 'Mycket bra service', language: 'sv' }]);

    // Assess
    expect(comprehend.calls()).toHaveLength(0);
    expect(outcomes).toEqual([{ id: 'sv', status: 'unscored', language: 'sv', reason: 'unsupported-language' }]);
  });

  it('fails only the comments of a throttled call and still scores the other calls', async () => {
    // Prepare: the second of three English chunks is throttled
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: BatchDetectSentimentCommandInput) => {
      if (input.TextList?.[0] === 'comment 25') {
        throw new TooManyRequestsException({ message: 'Rate exceeded', ...metadata });
      }
      return scoreEverything(input);
    });
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(60));

    // Assess
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(3);
    const failed = outcomes.filter((outcome) => outcome.status === 'failed');
    expect(failed.map((outcome) => outcome.id)).toEqual(englishRequests(60).slice(25, 50).map((request) => request.id));
    expect(failed[0]).toEqual({ id: 'r25', status: 'failed', language: 'en', reason: 'comprehend:throttled' });
    expect(outcomes.filter((outcome) => outcome.status === 'scored')).toHaveLength(35);
  });

  it('treats a throttling error the SDK did not model (ThrottlingException, HTTP 429) as throttled', async () => {
    // Prepare: what the SDK builds for an unmodeled error code is a plain service exception
    const throttling = Object.assign(new Error('Rate exceeded'), {
      name: 'ThrottlingException',
      $fault: 'client',
      $metadata: { httpStatusCode: 429 },
    });
    comprehend.on(BatchDetectSentimentCommand).rejects(throttling);
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(2));

    // Assess
    expect(outcomes.map((outcome) => [outcome.status, outcome.status === 'failed' && outcome.reason])).toEqual([
      ['failed', 'comprehend:throttled'],
      ['failed', 'comprehend:throttled'],
    ]);
  });

  it('fails or leaves unscored only the documents listed in ErrorList and scores the rest, marking a refused document rejected', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ...metadata,
      ResultList: [
        { Index: 0, Sentiment: 'NEGATIVE', SentimentScore: { Positive: 0.01, Negative: 0.9, Neutral: 0.08, Mixed: 0.01 } },
        { Index: 3, Sentiment: 'MIXED', SentimentScore: { Positive: 0.3, Negative: 0.3, Neutral: 0.1, Mixed: 0.3 } },
      ],
      ErrorList: [
        { Index: 1, ErrorCode: 'InternalServerException', ErrorMessage: 'Unexpected Server Error. Please try again.' },
        { Index: 2, ErrorCode: 'UNSUPPORTED_LANGUAGE', ErrorMessage: 'Unsupported language' },
        { Index: 4, ErrorCode: 'SOMETHING_NEW', ErrorMessage: 'not documented' },
      ],
    });
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = byId(await analyzer.analyze(englishRequests(5)));

    // Assess
    expect(outcomes.get('r0')).toMatchObject({ status: 'scored', label: 'NEGATIVE', scores: { negative: 0.9 } });
    expect(outcomes.get('r1')).toEqual({ id: 'r1', status: 'failed', language: 'en', reason: 'comprehend-item:InternalServerException' });
    expect(outcomes.get('r2')).toEqual({ id: 'r2', status: 'unscored', language: 'en', reason: 'unsupported-language' });
    expect(outcomes.get('r3')).toMatchObject({ status: 'scored', label: 'MIXED' });
    expect(outcomes.get('r4')).toEqual({ id: 'r4', status: 'failed', language: 'en', reason: 'comprehend-item:SOMETHING_NEW', rejected: true });
  });

  it('counts a per-document throttling or service fault as a provider failure, not as a refusal of the document', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).resolves({
      ...metadata,
      ResultList: [],
      ErrorList: [
        { Index: 0, ErrorCode: 'TOO_MANY_REQUESTS', ErrorMessage: 'Rate exceeded' },
        { Index: 1, ErrorCode: 'ServiceUnavailableException', ErrorMessage: 'try again' },
        { Index: 2, ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' },
        { Index: 3, ErrorCode: 'InvalidRequestException', ErrorMessage: 'invalid document' },
      ],
    });
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(4));

    // Assess
    expect(outcomes.map((outcome) => outcome.status === 'failed' && (outcome.rejected ?? false))).toEqual([false, false, false, true]);
  });

  it('fails every comment of a call that ends in InternalServerException, without rejecting', async () => {
    // Prepare
    comprehend
      .on(BatchDetectSentimentCommand)
      .rejects(new InternalServerException({ message: 'Internal error', $metadata: { httpStatusCode: 500 } }));
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(3));

    // Assess
    expect(outcomes).toEqual(
      englishRequests(3).map((request) => ({
        id: request.id,
        status: 'failed',
        language: 'en',
        reason: 'comprehend:InternalServerException',
      })),
    );
  });

  it('fails the comments of a call lost to a network fault', async () => {
    // Prepare
    comprehend.on(BatchDetectSentimentCommand).rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze(englishRequests(2));

    // Assess
    expect(statuses(outcomes)).toEqual(['failed', 'failed']);
  });

  it('leaves the comments of a call rejected with UnsupportedLanguageException unscored', async () => {
    // Prepare
    comprehend
      .on(BatchDetectSentimentCommand)
      .rejects(new UnsupportedLanguageException({ message: 'Unsupported language', ...metadata }));
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze([{ id: 'hi', text: 'बहुत अच्छा', language: 'hi' }]);

    // Assess
    expect(outcomes).toEqual([{ id: 'hi', status: 'unscored', language: 'hi', reason: 'unsupported-language' }]);
  });

  it('fails comments whose language detection call is throttled, without scoring them', async () => {
    // Prepare
    comprehend
      .on(BatchDetectDominantLanguageCommand)
      .rejects(new TooManyRequestsException({ message: 'Rate exceeded', ...metadata }));
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze([{ id: 'x', text: 'no language given here' }]);

    // Assess
    expect(comprehend.commandCalls(BatchDetectSentimentCommand)).toHaveLength(0);
    expect(outcomes).toEqual([{ id: 'x', status: 'failed', reason: 'comprehend:throttled' }]);
  });

  it('does not send blank comments to Comprehend', async () => {
    // Prepare
    const analyzer = createComprehendSentimentAnalyzer(new ComprehendClient({}), oneAttemptCalls());

    // Act
    const outcomes = await analyzer.analyze([{ id: 'blank', text: '   ', language: 'en' }]);

    // Assess
    expect(comprehend.calls()).toHaveLength(0);
    expect(outcomes).toEqual([{ id: 'blank', status: 'unscored', language: 'en', reason: 'undetermined-language' }]);
  });
});

describe('truncateUtf8', () => {
  it('returns text that already fits unchanged', () => {
    // Prepare / Act / Assess
    expect(truncateUtf8('héllo', 6)).toBe('héllo');
  });

  it('cuts before a character that would cross the byte limit', () => {
    // Prepare: "é" is 2 bytes, "€" 3, "😀" 4
    const text = 'aé€😀';

    // Act
    const cuts = [1, 2, 3, 4, 5, 6, 9, 10].map((limit) => truncateUtf8(text, limit));

    // Assess
    expect(cuts).toEqual(['a', 'a', 'aé', 'aé', 'aé', 'aé€', 'aé€', 'aé€😀']);
    for (const cut of cuts) expect(roundTripsThroughUtf8(cut)).toBe(true);
  });

  it('rejects a negative limit', () => {
    // Prepare / Act / Assess
    expect(() => truncateUtf8('x', -1)).toThrow(RangeError);
  });
});

describe('createComprehendClient', () => {
  it('builds a client that sends each call once, the ComprehendCalls gate retrying within its deadline', async () => {
    // Prepare: a Comprehend endpoint that fails every call with a service fault, which a default client retries
    let requests = 0;
    const server = createServer((request, response) => {
      requests += 1;
      request.resume();
      response.writeHead(500, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: 'InternalServerException', message: 'down' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    comprehend.restore();
    const client = createComprehendClient({ region: 'eu-west-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'k', secretAccessKey: 's' } });

    try {
      // Act
      const sent = client.send(new BatchDetectSentimentCommand({ LanguageCode: 'en', TextList: ['fine'] }));

      // Assess
      await expect(sent).rejects.toBeInstanceOf(InternalServerException);
      expect(requests).toBe(1);
    } finally {
      client.destroy();
      server.close();
    }
  });
});
