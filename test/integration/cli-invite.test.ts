// integration: `npm run cli -- invite` and `campaign` against a running local runtime, as a user runs them: a CSV of
// 3,000 recipients with quoted fields and broken rows, streamed in chunks; bad rows reported by line and skipped, every
// good row's link written; a rerun re-issues the same links; a refused request stops with nothing partial written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_TEST_TIMEOUT_MS, runCli } from '../support/cli.js';
import { demoSurvey } from '../../shared/survey/demo-survey.js';
import { request, startTestRuntime } from '../support/local-runtime.js';

let env: Awaited<ReturnType<typeof startTestRuntime>>;

beforeAll(async () => {
  env = await startTestRuntime({ scheduleEveryMs: 3_600_000 });
});
afterAll(async () => {
  await env?.close();
});

const cli = (args: string[]) => runCli(env.runtime.url, args);

const rowsOf = (csv: string) => parse(csv) as string[][];

describe('the invite CLI', { timeout: CLI_TEST_TIMEOUT_MS }, () => {
  it('mints a link per good row of a large CSV, reports each bad row by line, and a rerun re-issues the same links', async () => {
    // Prepare: 3,000 rows; every 500th has a bad e-mail, every 700th a missing cell, one a bad locale; quoted names
    // with commas, a multi-line custom field, a custom column
    const lines = ['customerRef,email,name,locale,touchpoint,plan'];
    const badLines: number[] = [];
    for (let i = 1; i <= 3000; i++) {
      const line = lines.length + 1;
      if (i % 500 === 0) {
        lines.push(`c-${i},not-an-email,"Doe, Jane",en,checkout,pro`);
        badLines.push(line);
      } else if (i % 700 === 0) {
        lines.push(`c-${i},c${i}@example.com,Only three cells`);
        badLines.push(line);
      } else if (i === 1234) {
        lines.push(`c-${i},c${i}@example.com,"Li, Wei",not a locale,checkout,pro`);
        badLines.push(line);
      } else lines.push(`c-${i},c${i}@example.com,"Smith, ""Al""",${i % 2 ? 'en' : 'zh-CN'},checkout,${i === 2 ? '"two\nlines"' : 'basic'}`);
    }
    const csv = join(env.dataDir, 'recipients.csv');
    const out = join(env.dataDir, 'links.csv');
    writeFileSync(csv, `${lines.join('\n')}\n`);

    // Act
    const first = await cli(['invite', 'demo', '--campaign', 'big', '--csv', csv, '--out', out]);
    const links = rowsOf(readFileSync(out, 'utf8'));
    const rerunOut = join(env.dataDir, 'links-again.csv');
    const rerun = await cli(['invite', 'demo', '--campaign', 'big', '--csv', csv, '--out', rerunOut]);
    const again = rowsOf(readFileSync(rerunOut, 'utf8'));
    const report = await cli(['campaign', 'demo', 'big']);
    const api = await request(env.runtime, 'GET', '/v1/surveys/demo/campaigns/big', { admin: true });

    // Assess
    const good = 3000 - badLines.length;
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`${good.toLocaleString('en-US')} invitations in ${out} (${good.toLocaleString('en-US')} new, 0 already invited); ${badLines.length} bad rows skipped, of 3,000 rows`);
    const reported = [...first.stderr.matchAll(/^line (\d+): skipped: (.*)$/gm)].map((m) => Number(m[1]));
    // the multi-line field moves every later line number down by one
    expect(reported).toEqual(badLines.map((line) => (line > 3 ? line + 1 : line)));
    expect(first.stderr).toMatch(/line \d+: skipped: email: an e-mail address/);
    expect(first.stderr).toMatch(/line \d+: skipped: 3 cells where the header has 6/);
    expect(first.stderr).toMatch(/line \d+: skipped: locale: a BCP 47 language tag/);
    expect(links[0]).toEqual(['line', 'customerRef', 'invitationId', 'link', 'expiresAt', 'existing']);
    expect(links).toHaveLength(good + 1);
    expect(new Set(links.slice(1).map((row) => row[2])).size).toBe(good);
    expect(links.slice(1).every((row) => row[3]!.startsWith(`${env.runtime.url}/s/`) && row[5] === 'false')).toBe(true);
    expect(rerun.stdout).toContain(`(0 new, ${good.toLocaleString('en-US')} already invited)`);
    expect(again.slice(1).map((row) => row[3])).toEqual(links.slice(1).map((row) => row[3]));
    expect(api.body).toMatchObject({ invitations: good, opened: 0, final: 0 });
    expect(report.stdout).toContain(`invitations minted   ${good.toLocaleString('en-US')}`);
  });

  it('stops at a request the API refuses, with a clear message, and writes no link it did not mint', async () => {
    // Prepare
    const csv = join(env.dataDir, 'few.csv');
    const out = join(env.dataDir, 'few-links.csv');
    writeFileSync(csv, 'customerRef\na\nb\n');

    // Act
    const unknownSurvey = await cli(['invite', 'no-such-survey', '--campaign', 'x', '--csv', csv, '--out', out]);
    const written = rowsOf(readFileSync(out, 'utf8'));
    const badCampaign = await cli(['invite', 'demo', '--campaign', 'Not Valid', '--csv', csv, '--out', out]);
    const noHeader = await cli(['invite', 'demo', '--campaign', 'x', '--csv', csv.replace('few', 'missing'), '--out', out]);

    // Assess
    expect(unknownSurvey.code).toBe(1);
    expect(unknownSurvey.stderr).toContain('the API did not mint lines 2–3: 404 survey not found');
    expect(unknownSurvey.stderr).toContain('Re-running the same file is safe');
    expect(written).toEqual([['line', 'customerRef', 'invitationId', 'link', 'expiresAt', 'existing']]);
    expect(badCampaign).toMatchObject({ code: 1 });
    expect(badCampaign.stderr).toContain('--campaign: lowercase letters');
    expect(noHeader.stderr).toContain('cannot read');
  });

  it("mints a chunk whose snippets would not fit in one answer in the smaller requests the API says would fit", async () => {
    // Prepare: a survey whose question labels are a letter and control characters (7 bytes each in the answer; a label
    // of nothing visible is refused): 500 snippets would take about 6 MB of the 5 an answer holds
    const labels = { label: `Q${'\u0007'.repeat(499)}`, minLabel: `L${'\u0007'.repeat(79)}`, maxLabel: `H${'\u0007'.repeat(79)}` };
    const survey = { ...demoSurvey([]), id: 'heavy', channels: ['web', 'email'] };
    survey.texts.en!.questions.nps = { ...survey.texts.en!.questions.nps!, ...labels };
    expect((await request(env.runtime, 'PUT', '/v1/surveys/heavy', { admin: true, body: survey })).status).toBe(200);
    const recipients = Array.from({ length: 500 }, (_, i) => ({ customerRef: `h-${i}` }));
    const csv = join(env.dataDir, 'heavy.csv');
    const out = join(env.dataDir, 'heavy-links.csv');
    writeFileSync(csv, `customerRef\n${recipients.map((r) => r.customerRef).join('\n')}\n`);

    // Act: the API asked directly, then the CLI
    const refused = await request(env.runtime, 'POST', '/v1/surveys/heavy/invitations', { admin: true, body: { campaign: 'heavy', includeSnippet: true, recipients } });
    const before = await request(env.runtime, 'GET', '/v1/surveys/heavy/campaigns/heavy', { admin: true });
    const result = await cli(['invite', 'heavy', '--campaign', 'heavy', '--csv', csv, '--out', out, '--snippets']);
    const links = rowsOf(readFileSync(out, 'utf8'));

    // Assess: refused as a whole with the number that fits, nothing minted; the CLI then mints all 500, in order
    expect(refused).toMatchObject({ status: 400, body: { details: [{ path: 'recipients', reason: expect.stringMatching(/^at most \d+ of these recipients per request: their links and snippets would not fit in one answer$/) }] } });
    expect(refused.body.maxRecipients).toBeGreaterThan(300);
    expect(refused.body.maxRecipients).toBeLessThan(500);
    expect(before).toMatchObject({ status: 404, body: { error: 'campaign not found' } });
    expect(result.code, result.stderr).toBe(0);
    expect(links.slice(1).map((row) => row[1])).toEqual(recipients.map((r) => r.customerRef));
    expect(links.slice(1).every((row) => row[6]!.includes(labels.label))).toBe(true);
  });

  it('writes a customerRef that a spreadsheet would run as a formula with a leading \' in links.csv', async () => {
    // Prepare: customerRefs are whatever the recipients' file holds
    const csv = join(env.dataDir, 'formulas.csv');
    const out = join(env.dataDir, 'formula-links.csv');
    writeFileSync(csv, 'customerRef\n"=HYPERLINK(""http://evil.example"",""open"")"\n@SUM(1)\n-5\nplain\n');

    // Act
    const result = await cli(['invite', 'demo', '--campaign', 'formulas', '--csv', csv, '--out', out]);
    const text = readFileSync(out, 'utf8');

    // Assess
    expect(result.code, result.stderr).toBe(0);
    expect(rowsOf(text).slice(1).map((row) => row[1])).toEqual([`'=HYPERLINK("http://evil.example","open")`, "'@SUM(1)", "'-5", 'plain']);
    // the same writer as the API's CSVs: CRLF line ends
    expect(text.split('\r\n')[0]).toBe('line,customerRef,invitationId,link,expiresAt,existing');
  });
});
