// use case: the stored responses of a survey as CSV, with the filters of list-responses (the console's "Export CSV").
//   1. check the query as list-responses does (400 naming every bad parameter; 404 unknown survey)
//   2. read pages of up to 100 newest first until `limit` rows (default and at most 5,000), MAX_EXPORT_SCANNED items
//      read, or a page that would take the CSV past MAX_EXPORT_BYTES of the answer, whichever comes first (that page is
//      left for the next export: its cursor is the one it was read from)
//   3. the CSV (header, then responsesCsvRows), and the cursor to go on from when it stopped early (else null)
import { answerBytesOf, MAX_ANSWER_BODY_BYTES } from '../answer-size.js';
import { csvRecord, csvRecords } from '../csv.js';
import { scoredQuestions, type Survey } from '../survey/schema.js';
import { MAX_SCANNED_PER_PAGE, type makeListResponses } from './list-responses.js';
import type { StoredResponse } from './stored-response.js';

/**
 * the CSV's bytes in the Lambda answer at most (answer-size.ts: a `"` in a comment takes 2 bytes in the CSV and 4 in
 * the answer, a control character 6)
 */
export const MAX_EXPORT_BYTES = MAX_ANSWER_BODY_BYTES;
/** items read for one export at most (with filters): 20 filtered pages */
export const MAX_EXPORT_SCANNED = 20 * MAX_SCANNED_PER_PAGE;
/** rows per read: a page of the longest comments (5,000 control characters: 30 KB each in the answer) takes 3 MB */
const PAGE = 100;

/** the header: fixed columns, one per scored question of the survey (in survey order), then the comment's */
export function responsesCsvColumns(survey: Survey): string[] {
  return ['id', 'receivedAt', 'channel', 'touchpoint', 'journeyStage', 'locale', 'customerRef', ...scoredQuestions(survey).map((q) => q.id), 'comment', 'sentiment'];
}

/** one row per response; text cells that a spreadsheet would run as a formula are guarded (see shared/csv.ts) */
export function responsesCsvRows(survey: Survey, responses: readonly StoredResponse[]): string {
  const questions = scoredQuestions(survey);
  return csvRecords(
    responses.map((r) => {
      const sentiment = r.sentiment?.status === 'scored' ? r.sentiment.label : r.sentiment?.status;
      return [r.id, r.receivedAt, r.channel, r.touchpoint, r.journeyStage, r.locale, r.customerRef, ...questions.map((q) => r.answers[q.id]), r.comment, sentiment];
    }),
  );
}

export interface ResponsesExport {
  csv: string;
  rows: number;
  /** where to go on from (pass it as `cursor`) when the export stopped before the end; null when complete */
  cursor: string | null;
}

export function makeExportResponses({ list }: { list: ReturnType<typeof makeListResponses> }) {
  return async function exportResponses(surveyId: string, rawQuery: Record<string, string | undefined>): Promise<ResponsesExport> {
    // 1.
    const { query, filter, survey } = await list.checked(surveyId, rawQuery);
    // 2.
    let csv = csvRecord(responsesCsvColumns(survey));
    let bytes = answerBytesOf(csv);
    let rows = 0;
    let scanned = 0;
    let cursor: string | null | undefined = query.cursor;
    do {
      const page = await list.page(surveyId, query, filter, Math.min(PAGE, query.limit - rows), cursor ?? undefined);
      const chunk = responsesCsvRows(survey, page.items);
      const chunkBytes = answerBytesOf(chunk);
      // past the cap, the page is left for the next export (the first page always goes: at most 3 MB)
      if (rows > 0 && bytes + chunkBytes > MAX_EXPORT_BYTES) break;
      csv += chunk;
      bytes += chunkBytes;
      rows += page.items.length;
      scanned += page.scanned ?? page.items.length;
      cursor = page.cursor;
    } while (cursor && rows < query.limit && scanned < MAX_EXPORT_SCANNED);
    // 3.
    return { csv, rows, cursor: cursor ?? null };
  };
}
