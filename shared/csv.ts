// domain: the one CSV writer, for every CSV the platform hands out (metrics.csv, responses.csv, the CLI's links.csv).
// Pure; csv-stringify does the quoting. RFC 4180: comma-separated, CRLF line ends, a field with a comma, quote or line
// break is quoted and its quotes doubled. A text cell starting with = + - @ (or a tab or carriage return) gets a
// leading ' so that no spreadsheet runs it as a formula (OWASP "CSV injection"): cells hold what customers typed.
// Numbers stay numbers (−12.5 is not guarded), rounded to 2 decimals; nulls are empty cells; booleans are true/false.
import { stringify, type Options } from 'csv-stringify/sync';

export type CsvCell = string | number | boolean | null | undefined;

const OPTIONS: Options = {
  record_delimiter: 'windows',
  // csv-stringify stops quoting a lone \n or \r once record_delimiter is set; a comment may hold either
  quote_record_delimiter: true,
  escape_formulas: true,
  cast: {
    // +0 turns −0 into 0; NaN and ±Infinity are no number a spreadsheet reads
    number: (value) => (Number.isFinite(value) ? String(+value.toFixed(2) + 0) : ''),
    boolean: (value) => String(value),
  },
};

/** rows as CSV records, each ending with CRLF */
export const csvRecords = (rows: readonly (readonly CsvCell[])[]): string => (rows.length === 0 ? '' : stringify(rows as CsvCell[][], OPTIONS));

/** one row as a CSV record ending with CRLF */
export const csvRecord = (cells: readonly CsvCell[]): string => csvRecords([cells]);
