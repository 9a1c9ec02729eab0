// unit: the one CSV writer (shared/csv.ts) that metrics.csv, responses.csv and the CLI's links.csv go through.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvRecord, csvRecords } from '../../shared/csv.js';

describe('the CSV writer', () => {
  it('quotes fields as RFC 4180 asks, with CRLF line ends', () => {
    expect(csvRecord(['a,b', 'say "hi"', 'plain'])).toBe('"a,b","say ""hi""",plain\r\n');
    expect(csvRecord(['two\r\nlines'])).toBe('"two\r\nlines"\r\n');
    // a lone line feed or carriage return is quoted too, or a reader would split the record there
    expect(csvRecord(['one\nbreak', 'cr\ronly'])).toBe('"one\nbreak","cr\ronly"\r\n');
  });

  it('guards text cells that a spreadsheet would run as a formula with a leading \'', () => {
    expect(csvRecord(['=SUM(A1:A9)', '+1', '-1', '@cmd', '\tx'])).toBe("'=SUM(A1:A9),'+1,'-1,'@cmd,'\tx\r\n");
    expect(csvRecord(['=HYPERLINK("http://x","y")'])).toBe(`"'=HYPERLINK(""http://x"",""y"")"\r\n`);
    // the full-width signs that some spreadsheets read as their ASCII forms
    expect(csvRecord(['＝1+1'])).toBe("'＝1+1\r\n");
  });

  it('writes numbers as numbers rounded to 2 decimals, never −0, and no number as an empty cell', () => {
    expect(csvRecord([-12.5, -100, 33.33333, -0.001, 0, Number.NaN, Number.POSITIVE_INFINITY])).toBe('-12.5,-100,33.33,0,0,,\r\n');
  });

  it('writes null and undefined as empty cells and booleans as true or false', () => {
    expect(csvRecord([null, undefined, '', true, false])).toBe(',,,true,false\r\n');
  });

  it('writes records that a CSV reader reads back as the same cells, guards aside', () => {
    // Prepare
    const rows = [
      ['id', 'comment'],
      ['r1', 'fine, "really"\nthanks'],
      ['r2', ''],
    ];

    // Act
    const text = csvRecords(rows);

    // Assess
    expect(parse(text)).toEqual(rows);
    expect(csvRecords([])).toBe('');
  });
});
