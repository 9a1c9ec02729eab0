// integration, on dynalite: the filtered read of stored responses (list-responses over the write-sharded bySurveyShard index) pages
// correctly whatever the filter, the page size and the scan bound, and the CSV export carries the same rows safely.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../shared/clock.js';
import { answerBytesOf, MAX_ANSWER_BODY_BYTES } from '../../shared/answer-size.js';
import { makeExportResponses, MAX_EXPORT_BYTES } from '../../shared/response/export-responses.js';
import { makeListResponses, responseMatches, type ResponseFilter } from '../../shared/response/list-responses.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import type { ResponsePage, StoredResponse } from '../../shared/response/stored-response.js';
import { createDynamoSurveyStore } from '../../shared/survey/dynamo-survey-store.js';
import { storedResponse, surveyWith } from '../support/fixtures.js';
import { startTestDynamo } from '../support/dynamo.js';
import { ApiError } from '../../shared/errors.js';

let dynamo: Awaited<ReturnType<typeof startTestDynamo>>;
const survey = surveyWith([
  { id: 'nps', type: 'nps' },
  { id: 'csat', type: 'csat' },
  { id: 'comment', type: 'text', shown: true },
]);
const LABELS = ['POSITIVE', 'NEGATIVE', 'NEUTRAL', 'MIXED'] as const;
const COMMENTS = ['Great service', 'The parcel was LATE again', '=HYPERLINK("http://evil")', 'late but fine', '+1 for the staff', undefined];
const seeded: StoredResponse[] = [];

beforeAll(async () => {
  dynamo = await startTestDynamo('filters');
  await createDynamoSurveyStore(dynamo.db, 'surveys').put(survey);
  const store = createDynamoResponseStore(dynamo.db, 'responses');
  for (let i = 0; i < 60; i += 1) {
    const comment = COMMENTS[i % COMMENTS.length];
    const response = storedResponse({
      id: `r${String(i).padStart(3, '0')}`,
      receivedAt: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
      channel: ['web', 'email', 'api'][i % 3]!,
      touchpoint: i % 4 === 0 ? 'checkout' : 'delivery',
      answers: i % 7 === 0 ? { csat: 1 + (i % 5) } : { nps: i % 11, csat: 1 + (i % 5) },
      ...(comment ? { comment, sentiment: { status: 'scored' as const, label: LABELS[i % 4]!, language: 'en', scores: { positive: 0.25, negative: 0.25, neutral: 0.25, mixed: 0.25 } } } : {}),
    });
    await store.putIfAbsent(response);
    seeded.push(response);
  }
  // expired: never listed, whatever the filter
  await store.putIfAbsent(storedResponse({ id: 'expired', receivedAt: '2026-11-01T05:00:00.000Z', expiresAt: 1, answers: { nps: 0 }, comment: 'late' }));
});
afterAll(async () => {
  await dynamo?.close();
});

const lister = (maxScannedPerPage?: number) =>
  makeListResponses({ surveys: createDynamoSurveyStore(dynamo.db, 'surveys'), responses: createDynamoResponseStore(dynamo.db, 'responses'), clock: systemClock, maxScannedPerPage });

async function readAll(list: ReturnType<typeof lister>, query: Record<string, string>) {
  const ids: string[] = [];
  const pages: { items: number; scanned?: number }[] = [];
  let cursor: string | null = null;
  do {
    const page: ResponsePage = await list('shop', { ...query, ...(cursor ? { cursor } : {}) });
    ids.push(...page.items.map((r) => r.id));
    pages.push({ items: page.items.length, scanned: page.scanned });
    cursor = page.cursor;
  } while (cursor && pages.length < 200);
  return { ids, pages };
}

const expected = (filter: ResponseFilter, from?: string, to?: string) =>
  seeded
    .filter((r) => responseMatches(r, filter) && (!from || r.receivedAt >= from) && (!to || r.receivedAt <= to))
    .map((r) => r.id)
    .reverse();

describe('filtered response pages', () => {
  it.each([
    [{ question: 'nps', min: '0', max: '6' }],
    [{ sentiment: 'NEGATIVE' }],
    [{ channel: 'email', touchpoint: 'checkout' }],
    [{ q: 'late' }],
    [{ question: 'csat', min: '4', q: 'LATE', channel: 'web' }],
  ])('return exactly the matching responses, newest first, across pages of 4 with at most 20 items read per page (%j)', async (filter) => {
    // Act: 20, about two reads per index shard (the store's least)
    const { ids, pages } = await readAll(lister(20), { ...filter, limit: '4' });

    // Assess
    const parsed: ResponseFilter = { ...filter, ...('min' in filter ? { min: Number(filter.min) } : {}), ...('max' in filter ? { max: Number(filter.max) } : {}) } as ResponseFilter;
    expect(ids).toEqual(expected(parsed));
    expect(ids.length).toBeGreaterThan(0);
    for (const page of pages) {
      expect(page.items).toBeLessThanOrEqual(4);
      expect(page.scanned).toBeLessThanOrEqual(20);
    }
  });

  it('keep from/to with filters, and an unfiltered read keeps its pages full', async () => {
    const from = '2026-11-01T00:10:00.000Z';
    const to = '2026-11-01T00:40:00.000Z';
    const filtered = await readAll(lister(20), { q: 'late', from, to, limit: '3' });
    const plain = await readAll(lister(20), { limit: '7' });

    expect(filtered.ids).toEqual(expected({ q: 'late' }, from, to));
    expect(plain.ids).toEqual(seeded.map((r) => r.id).reverse());
    expect(plain.pages.slice(0, -1).every((p) => p.items === 7 && p.scanned === undefined)).toBe(true);
  });

  it('stop at the scan bound with a cursor when a filter matches only old responses', async () => {
    // Act: a filter that only the oldest response matches
    const page = await lister(20)('shop', { question: 'csat', min: '1', max: '1', channel: 'web', touchpoint: 'checkout', q: 'great', limit: '10' });

    // Assess: up to 20 items read, none matched yet, and a cursor to go on from
    expect(page.items).toEqual([]);
    expect(page.scanned).toBeGreaterThan(0);
    expect(page.scanned).toBeLessThanOrEqual(20);
    expect(page.cursor).not.toBeNull();
  });

  it('find responses from a channel the survey has since dropped', async () => {
    // Arrange: the survey no longer takes api responses; those it took are still stored
    const surveys = createDynamoSurveyStore(dynamo.db, 'surveys');
    await surveys.put(surveyWith(survey.questions, { id: 'dropped', channels: ['web'] }));
    const store = createDynamoResponseStore(dynamo.db, 'responses');
    await store.putIfAbsent(storedResponse({ id: 'old-api', surveyId: 'dropped', channel: 'api', receivedAt: '2026-11-02T00:00:00.000Z' }));

    // Act
    const page = await lister()('dropped', { channel: 'api' });

    // Assess
    expect(page.items.map((r) => r.id)).toEqual(['old-api']);
  });

  it('are refused with a 400 naming every bad parameter, including those the survey decides', async () => {
    const list = lister();
    const problem = await list('shop', { question: 'nope', min: '11', max: '3', sentiment: 'ANGRY', channel: 'fax', limit: '0', extra: 'x' }).catch((error: unknown) => error);

    expect(problem).toBeInstanceOf(ApiError);
    const paths = (problem as ApiError).details.map((d) => d.path).sort();
    expect(paths).toEqual(['channel', 'extra', 'limit', 'min', 'question', 'sentiment']);
    const range = await list('shop', { question: 'csat', min: '0', max: '9' }).catch((error: unknown) => error);
    expect((range as ApiError).details).toEqual([
      { path: 'min', reason: 'within 1–5 for "csat"' },
      { path: 'max', reason: 'within 1–5 for "csat"' },
    ]);
    const missing = await list('shop', { min: '3' }).catch((error: unknown) => error);
    expect((missing as ApiError).details).toEqual([{ path: 'question', reason: expect.stringMatching(/required with min or max/) }]);
  });

  it.each([
    [{ question: 'nps', max: '' }, 'max', 'an integer, in decimal digits'],
    [{ question: 'nps', min: ' ' }, 'min', 'an integer, in decimal digits'],
    [{ question: 'nps', min: '0x5' }, 'min', 'an integer, in decimal digits'],
    [{ limit: '5,6' }, 'limit', 'an integer, in decimal digits'],
    [{ limit: '1e1' }, 'limit', 'an integer, in decimal digits'],
    [{ from: '9999-12-31T23:59:59-12:00' }, 'from', 'between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z'],
    [{ to: '9999-12-31T23:59:59.999-14:00' }, 'to', 'between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z'],
    [{ from: '0000-01-01T00:00:00+14:00' }, 'from', 'between 1970-01-01T00:00:00Z and 9999-01-01T00:00:00Z'],
  ])('are refused with a 400 naming the parameter when a number is blank or not decimal, or a time is past year 9999 or before 1970 (%j)', async (query, path, reason) => {
    // Act: before, a blank `max` read as 0 (only answers of 0 listed), and a `from` in the year 10000 listed everything
    const problem = await lister()('shop', query).catch((error: unknown) => error);

    // Assess
    expect(problem).toBeInstanceOf(ApiError);
    expect((problem as ApiError).details).toEqual([{ path, reason }]);
  });

  it('answers 404 for a survey id too long to be a key, without reading it', async () => {
    // Act: 3,000 characters, past DynamoDB's 2,048-byte key (the read used to fail: a 500)
    const problem = await lister()('x'.repeat(3000), {}).catch((error: unknown) => error);

    // Assess
    expect(problem).toMatchObject({ status: 404, message: 'survey not found' });
  });
});

/** 260 responses of a survey "quotes" whose comments take 5 times their characters in a Lambda answer; ids newest first */
let quotes: Promise<string[]> | undefined;
const quotesSurvey = () =>
  (quotes ??= (async () => {
    await createDynamoSurveyStore(dynamo.db, 'surveys').put(surveyWith([{ id: 'nps', type: 'nps' }], { id: 'quotes' }));
    const store = createDynamoResponseStore(dynamo.db, 'responses');
    const ids: string[] = [];
    for (let i = 0; i < 260; i += 1) {
      const id = `q${String(i).padStart(3, '0')}`;
      await store.putIfAbsent(storedResponse({ id, surveyId: 'quotes', receivedAt: new Date(Date.UTC(2026, 10, 2, 0, i)).toISOString(), answers: { nps: 3 }, comment: '"\u0001'.repeat(2500) }));
      ids.unshift(id);
    }
    return ids;
  })());

describe('a page of the listing', () => {
  it("ends before an item that would take it past Lambda's answer quota, with a cursor that goes on from there", async () => {
    // Prepare: 200 items a page would be 5.5 MB of JSON in the answer (`"` takes 4 bytes there, U+0001 7)
    const ids = await quotesSurvey();
    const list = lister();

    // Act
    const first = await list('quotes', { limit: '200' });
    const next = await list('quotes', { limit: '200', cursor: first.cursor! });

    // Assess: within the quota, short of the limit, and the next page carries on with no gap and no repeat
    expect(answerBytesOf(JSON.stringify(first))).toBeLessThanOrEqual(MAX_ANSWER_BODY_BYTES);
    expect(first.items.length).toBeGreaterThan(100);
    expect(first.items.length).toBeLessThan(200);
    expect(answerBytesOf(JSON.stringify(next))).toBeLessThanOrEqual(MAX_ANSWER_BODY_BYTES);
    expect([...first.items, ...next.items].map((r) => r.id)).toEqual(ids.slice(0, first.items.length + next.items.length));
  });
});

describe('the CSV export', () => {
  it('has the filtered rows with formula-like cells defused and quotes escaped', async () => {
    // Act
    const exported = await makeExportResponses({ list: lister(20) })('shop', { q: 'hyperlink' });

    // Assess
    const lines = exported.csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,receivedAt,channel,touchpoint,journeyStage,locale,customerRef,nps,csat,comment,sentiment');
    expect(lines).toHaveLength(1 + expected({ q: 'hyperlink' }).length);
    expect(lines[1]).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(exported).toMatchObject({ rows: lines.length - 1, cursor: null });
  });

  it('stops at its row limit with a cursor that goes on from there', async () => {
    const exportResponses = makeExportResponses({ list: lister() });
    const first = await exportResponses('shop', { sentiment: 'POSITIVE', limit: '3' });
    const rest = await exportResponses('shop', { sentiment: 'POSITIVE', cursor: first.cursor! });

    const idsOf = (csv: string) => csv.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect(first.rows).toBe(3);
    expect([...idsOf(first.csv), ...idsOf(rest.csv)]).toEqual(expected({ sentiment: 'POSITIVE' }));
    expect(rest.cursor).toBeNull();
    expect(rest.csv).toContain("'+1 for the staff");
  });

  it("stops before a page would take it past Lambda's answer quota, counting the bytes as the answer escapes them", async () => {
    // Prepare: 260 comments of quotes and control characters, 7.5 KB each in the CSV but 25 KB each in the answer
    // (`""` becomes `\"\"`, U+0001 `\u0001`): 2 MB of CSV that would make a 6.5 MB answer
    const ids = await quotesSurvey();
    const exportResponses = makeExportResponses({ list: lister() });

    // Act
    const first = await exportResponses('quotes', {});
    const rest = await exportResponses('quotes', { cursor: first.cursor! });

    // Assess: the first stops within the quota with a cursor; the two together have every row once, newest first
    expect(answerBytesOf(first.csv)).toBeLessThanOrEqual(MAX_EXPORT_BYTES);
    expect(first.rows).toBeLessThan(260);
    expect(first.cursor).not.toBeNull();
    expect(answerBytesOf(rest.csv)).toBeLessThanOrEqual(MAX_EXPORT_BYTES);
    const idsOf = (csv: string) => csv.trimEnd().split('\r\n').slice(1).map((line) => line.split(',')[0]);
    expect([...idsOf(first.csv), ...idsOf(rest.csv)]).toEqual(ids);
    expect(rest.cursor).toBeNull();
  });
});
