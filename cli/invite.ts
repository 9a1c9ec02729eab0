// CLI: `invite` mints a campaign's personal survey links from a CSV of recipients, streaming: the file is parsed as it
// is read (csv-parse: quoted fields, embedded commas and newlines), valid rows are sent in chunks of 500, and each
// chunk's links are written to the output CSV as soon as the API answers, so memory stays flat whatever the size.
//   - a bad row (wrong number of cells, a cell the recipient schema refuses, broken quoting) is reported with its line
//     number on stderr and skipped; the good rows go on
//   - "nothing partial": a row is written to the output only once the API has minted its invitation, with its complete
//     link. A chunk the API refuses as a whole (unknown survey, bad token) stops the run; a fault (network, 5xx, 429)
//     is retried 4 times, then stops the run. Minting is idempotent per (survey, campaign, customerRef), so re-running
//     the same file afterwards re-issues the same links for the rows already done and never duplicates an invitation.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { parse } from 'csv-parse';
import { csvRecord, csvRecords } from '../shared/csv.js';
import { campaignSchema, recipientSchema, type Recipient } from '../shared/invitations/invitation.js';
import type { MintedInvitation } from '../shared/invitations/mint-invitations.js';

export const CHUNK_SIZE = 500;

export class InviteError extends Error {}

/** a chunk whose links (and snippets) would not fit in one API answer: the API says how many would */
class ChunkTooLarge extends InviteError {
  constructor(
    readonly maxRecipients: number,
    message: string,
  ) {
    super(message);
  }
}

export interface InviteProgress {
  bytesRead: number;
  totalBytes: number;
  rows: number;
  invited: number;
  skipped: number;
}

export interface InviteOptions {
  endpoint: string;
  token: string;
  surveyId: string;
  campaign: string;
  csvPath: string;
  outPath: string;
  validDays?: number;
  /** also write each invitation's HTML snippet (a `snippet` column) */
  snippets?: boolean;
  chunkSize?: number;
  /** a bad row, by line number */
  onBadRow?: (line: number, reason: string) => void;
  onProgress?: (progress: InviteProgress) => void;
  /** waits before a retry (tests pass a short one) */
  retryDelaysMs?: number[];
}

export interface InviteSummary extends InviteProgress {
  minted: number;
  existing: number;
}


const COLUMN_ALIASES: Record<string, keyof Omit<Recipient, 'fields'>> = {
  customerref: 'customerRef',
  customer_ref: 'customerRef',
  'customer-ref': 'customerRef',
  email: 'email',
  name: 'name',
  locale: 'locale',
  touchpoint: 'touchpoint',
  journeystage: 'journeyStage',
  journey_stage: 'journeyStage',
  'journey-stage': 'journeyStage',
};

/** a CSV row as a recipient, or the reason it is refused */
export function recipientOf(header: readonly string[], cells: readonly string[]): { recipient: Recipient } | { reason: string } {
  if (cells.length !== header.length) return { reason: `${cells.length} cells where the header has ${header.length}` };
  const raw: Record<string, unknown> = {};
  const fields: Record<string, string> = {};
  header.forEach((column, i) => {
    const value = cells[i]!.trim();
    if (value === '') return;
    const known = COLUMN_ALIASES[column.toLowerCase()];
    if (known) raw[known] = value;
    else fields[column] = value;
  });
  if (Object.keys(fields).length > 0) raw.fields = fields;
  const parsed = recipientSchema.safeParse(raw);
  if (parsed.success) return { recipient: parsed.data };
  return { reason: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ') };
}

export async function inviteFromCsv(options: InviteOptions): Promise<InviteSummary> {
  const { endpoint, token, surveyId, csvPath, outPath, chunkSize = CHUNK_SIZE, retryDelaysMs = [500, 1000, 2000, 4000] } = options;
  const campaign = campaignSchema.safeParse(options.campaign);
  if (!campaign.success) throw new InviteError(`--campaign: ${campaign.error.issues[0]?.message}`);
  let totalBytes: number;
  try {
    totalBytes = statSync(csvPath).size;
  } catch {
    throw new InviteError(`cannot read ${csvPath}`);
  }

  const summary: InviteSummary = { bytesRead: 0, totalBytes, rows: 0, invited: 0, skipped: 0, minted: 0, existing: 0 };
  const out = createWriteStream(outPath, { encoding: 'utf8' });
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(csvRecord(['line', 'customerRef', 'invitationId', 'link', 'expiresAt', 'existing', ...(options.snippets ? ['snippet'] : [])]));

  const bad = (line: number, reason: string) => {
    summary.skipped += 1;
    options.onBadRow?.(line, reason);
  };

  async function post(recipients: Recipient[]): Promise<MintedInvitation[]> {
    const body = JSON.stringify({ campaign: campaign.data, recipients, includeSnippet: !!options.snippets, ...(options.validDays ? { validDays: options.validDays } : {}) });
    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let text = '';
      try {
        const response = await fetch(`${endpoint}/v1/surveys/${encodeURIComponent(surveyId)}/invitations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        status = response.status;
        text = await response.text();
      } catch {
        // a network fault: retried below
      }
      if (status === 201) return (JSON.parse(text) as { invitations: MintedInvitation[] }).invitations;
      const retriable = status === 0 || status === 429 || status >= 500;
      if (!retriable || attempt >= retryDelaysMs.length) {
        let reply: { error?: string; details?: { path: string; reason: string }[]; maxRecipients?: unknown } = {};
        try {
          reply = JSON.parse(text) as typeof reply;
        } catch {
          // not JSON: the status says it all
        }
        const details = (reply.details ?? []).slice(0, 10).map((d) => `\n  ${d.path || '(body)'}: ${d.reason}`).join('');
        const message = `${status === 0 ? `cannot reach ${endpoint}` : `${status} ${reply.error ?? ''}`}${details}`;
        const { maxRecipients } = reply;
        if (status === 400 && typeof maxRecipients === 'number' && maxRecipients >= 1 && maxRecipients < recipients.length) throw new ChunkTooLarge(maxRecipients, message);
        throw new InviteError(message);
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelaysMs[attempt]));
    }
  }

  /**
   * mints these rows' invitations and writes their links as soon as the API answers; a chunk the API cannot answer in
   * one goes in the smaller ones it says would fit, each written as it is answered
   */
  async function mintAndWrite(rows: { line: number; recipient: Recipient }[]): Promise<void> {
    let minted: MintedInvitation[];
    try {
      minted = await post(rows.map((row) => row.recipient));
    } catch (error) {
      if (error instanceof ChunkTooLarge) {
        for (let i = 0; i < rows.length; i += error.maxRecipients) await mintAndWrite(rows.slice(i, i + error.maxRecipients));
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      throw new InviteError(
        `the API did not mint lines ${rows[0]!.line}–${rows.at(-1)!.line}: ${message}\n` +
          `stopped; ${outPath} holds the ${summary.invited} links minted before. Re-running the same file is safe: ` +
          'recipients already invited get the same link again, never a second invitation.',
      );
    }
    // customerRefs and snippets come from the recipients' file: the writer guards them against formulas
    await write(csvRecords(minted.map((row, i) => [rows[i]!.line, row.customerRef, row.invitationId, row.link, row.expiresAt, row.existing, ...(options.snippets ? [row.snippet] : [])])));
    for (const row of minted) {
      if (row.existing) summary.existing += 1;
      else summary.minted += 1;
    }
    summary.invited += minted.length;
    options.onProgress?.({ ...summary });
  }

  let chunk: { line: number; recipient: Recipient }[] = [];
  async function flush() {
    if (chunk.length === 0) return;
    const sent = chunk;
    chunk = [];
    await mintAndWrite(sent);
  }

  const parser = createReadStream(csvPath).pipe(
    parse({ info: true, bom: true, skip_empty_lines: true, skip_records_with_error: true, relax_column_count: true, max_record_size: 64 * 1024 }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => bad(error.lines ?? summary.rows + 2, `unreadable CSV (${error.message})`));
  let header: string[] | undefined;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number; bytes: number } }>) {
      summary.bytesRead = info.bytes;
      if (!header) {
        header = record.map((h) => h.trim());
        if (!header.some((h) => COLUMN_ALIASES[h.toLowerCase()] === 'customerRef')) {
          throw new InviteError(`line ${info.lines}: the header needs a customerRef column (got: ${header.join(', ')})`);
        }
        continue;
      }
      summary.rows += 1;
      const result = recipientOf(header, record);
      if ('reason' in result) bad(info.lines, result.reason);
      else chunk.push({ line: info.lines, recipient: result.recipient });
      if (chunk.length >= chunkSize) await flush();
    }
    await flush();
  } finally {
    parser.destroy();
    out.end();
    await once(out, 'close');
  }
  if (!header) throw new InviteError(`${csvPath} is empty: expected a header line with a customerRef column`);
  summary.bytesRead = totalBytes;
  return summary;
}
