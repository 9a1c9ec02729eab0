// bench: what compressing a full page costs in the function (functions/commons/content-encoding.ts). A page of
// GET /v1/surveys/{id}/responses filled to the 5 MB of answer a page may take, and a CSV download of its 5,000 rows at
// most, with comments drawn from the UCI review sentences (test/fixtures/sentiment); the median time of
// compressedAnswer() over a few runs, the size on the wire and in Lambda's answer. Brotli at qualities 4 and 11 on the
// same page for comparison (not shipped: the comments' 2,000 sentences recur across the page, which brotli's 4 MB
// window finds and gzip's 32 KB one does not, so its lead here is larger than real comments would give it).
// `BENCH_CASES=answers npm run bench`, or `npx tsx test/bench/compressed-answers.ts`.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { brotliCompressSync, constants } from 'node:zlib';
import { compressedAnswer } from '../../functions/commons/content-encoding.js';
import { csv, json, type HttpResult } from '../../functions/commons/http.js';
import { answerBytesOf, MAX_ANSWER_BODY_BYTES } from '../../shared/answer-size.js';
import { responsesCsvColumns, responsesCsvRows } from '../../shared/response/export-responses.js';
import type { StoredResponse } from '../../shared/response/stored-response.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';

const RUNS = 5;

const sentences = ['amazon_cells_labelled.txt', 'yelp_labelled.txt'].flatMap((name) =>
  readFileSync(new URL(`../fixtures/sentiment/${name}`, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.split('\t')[0]!)
    .filter(Boolean),
);

/** stored responses of one to three review sentences each, until their JSON takes `maxAnswerBytes` of an answer */
function storedResponses(maxAnswerBytes: number): StoredResponse[] {
  const items: StoredResponse[] = [];
  for (let i = 0, bytes = 0; bytes < maxAnswerBytes; i++) {
    const comment = Array.from({ length: 1 + (i % 3) }, (_, k) => sentences[(i * 7 + k * 131) % sentences.length]).join(' ');
    const receivedAt = new Date(Date.UTC(2026, 11, 1) - i * 60_000).toISOString();
    const item = storedResponse({
      id: randomUUID(),
      receivedAt,
      storedAt: receivedAt,
      touchpoint: i % 2 ? 'checkout' : 'delivery',
      locale: 'en-GB',
      customerRef: `crm-${(i * 7919) % 100_000}`,
      answers: { nps: i % 11, csat: 1 + (i % 5) },
      comment,
      sentiment: { status: 'scored', label: i % 3 ? 'POSITIVE' : 'NEGATIVE', language: 'en', scores: { positive: ((i * 37) % 100) / 100, negative: ((i * 53) % 100) / 100, neutral: 0.1, mixed: 0.01 } },
    });
    items.push(item);
    bytes += answerBytesOf(JSON.stringify(item)) + 1;
  }
  return items;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

function timed(compress: () => number, runs = RUNS): { ms: number; bytes: number } {
  if (runs > 1) compress();
  const times: number[] = [];
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    bytes = compress();
    times.push(performance.now() - started);
  }
  return { ms: median(times), bytes };
}

function row(label: string, result: HttpResult): string {
  const body = Buffer.from(result.body!, 'utf8');
  let answer = result;
  const { ms } = timed(() => {
    answer = compressedAnswer(result, 'gzip');
    return answer.body!.length;
  });
  const wire = Buffer.from(answer.body!, 'base64').length;
  return (
    `  ${label.padEnd(34)} body ${mb(body.length)}, ${mb(answerBytesOf(result.body!))} of answer → gzip ${mb(wire)} on the wire (${((100 * wire) / body.length).toFixed(1)}%), ` +
    `${mb(JSON.stringify(answer).length)} of answer (was ${mb(JSON.stringify(result).length)}); ${ms.toFixed(0)} ms (median of ${RUNS})`
  );
}

export function benchCompressedAnswers(): string {
  const items = storedResponses(MAX_ANSWER_BODY_BYTES - 1024);
  const page = json(200, { items, cursor: 'next' });
  const survey = surveyWith([
    { id: 'nps', type: 'nps' },
    { id: 'csat', type: 'csat' },
  ]);
  // the CSV as the export fills it: a hundred rows at a time while they fit, up to its 5,000 rows at most
  const more = storedResponses(2.5 * MAX_ANSWER_BODY_BYTES).slice(0, 5_000);
  let rows = `${responsesCsvColumns(survey).join(',')}\n`;
  let bytes = answerBytesOf(rows);
  for (let from = 0; from < more.length; from += 100) {
    const chunk = responsesCsvRows(survey, more.slice(from, from + 100));
    if (bytes + answerBytesOf(chunk) > MAX_ANSWER_BODY_BYTES) break;
    rows += chunk;
    bytes += answerBytesOf(chunk);
  }
  const download = csv(200, rows, 'shop-responses.csv');
  const body = Buffer.from(page.body!, 'utf8');
  const brotli = (quality: number, runs?: number) => timed(() => brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }).length, runs);
  // quality 11 takes seconds: one run
  const [br4, br11] = [brotli(4), brotli(11, 1)];
  return [
    row(`GET responses, ${items.length} items`, page),
    row(`CSV download, ${download.body!.split('\n').length - 2} rows`, download),
    `  for comparison (not shipped), brotli on the same page: quality 4 ${br4.ms.toFixed(0)} ms → ${mb(br4.bytes)} (${((100 * br4.bytes) / body.length).toFixed(1)}%); quality 11 (zlib's default) ${br11.ms.toFixed(0)} ms (one run) → ${mb(br11.bytes)} (${((100 * br11.bytes) / body.length).toFixed(1)}%)`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(benchCompressedAnswers());
