// `npm run cli -- <command>`: the admin and CX APIs from a terminal. Talks HTTP, so it works the same against the local
// runtime and a deployed stack. FEEDBACK_ENDPOINT (default http://127.0.0.1:3000); FEEDBACK_TOKEN (a CX lead's token)
// or FEEDBACK_ADMIN_TOKEN (default: the token `npm start` keeps in DATA_DIR/admin-token). One operator command,
// `responses restore`, talks to DynamoDB instead, with the operator's AWS credentials (restore-responses.ts).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Metrics, Trend, Trends } from '../shared/metrics/indices.js';
import type { CustomerHistory } from '../shared/followups/customer-history.js';
import type { FollowUpBreakdown } from '../shared/followups/followup-breakdown.js';
import type { FollowUpMetrics } from '../shared/followups/followup-metrics.js';
import { breakdownLines, NO_VALUE, share } from './followup-breakdown-text.js';
import type { MetricsReport, SeriesPoint, Totals } from '../shared/metrics/report.js';
import type { CampaignReport } from '../shared/invitations/campaign-report.js';
import { asStoredParameter, customerRefSchema } from '../shared/privacy/customer-ref.js';
import type { SurveyWords } from '../shared/followups/task-wording.js';
import { adminTokenFromEnvironment } from './credentials.js';
import { inviteFromCsv, InviteError, type InviteProgress } from './invite.js';
import { taskText, type TaskForText } from './task-text.js';
import { historyText } from './history-text.js';
import { RESTORE_OPTIONS, restoreArgsOf, restoreResponses, RestoreStopped } from './restore-responses.js';

// a reader that stops early (`… | head`) closes the pipe: that is the reader's choice, not an error to report
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const USAGE = `usage:
  npm run cli -- surveys put <file.json>        create or replace the survey in the file (its "id" names it)
  npm run cli -- surveys get <surveyId>         print a survey definition
  npm run cli -- responses <surveyId> [--limit N] [--from ISO] [--to ISO]
                                                print stored responses, newest first
  npm run cli -- responses restore --restored TABLE --responses TABLE --erasures TABLE --dirty-buckets TABLE
                                   [--restored-at ISO] [--dry-run]
                                                (operator, AWS credentials) copy back, from a point-in-time restore
                                                of the responses table, the responses the live table lost; never
                                                what changed since, expired or was erased (docs/operations.md)
  npm run cli -- report <surveyId> [--interval hour|day|week|month] [--group-by channel|touchpoint|journeyStage|locale]
                                   [--from ISO] [--to ISO] [--csv]
                                                print NPS, CSAT, CES, CSI and net sentiment (positive − negative
                                                share of scored comments) per interval, with trends
                                                (--csv: the CSV export instead)
  npm run cli -- followups list [--status S[,S]] [--survey ID] [--overdue] [--assignee me|none|ACTOR] [--priority P[,P]]
                                [--sla breached|due-soon] [--touchpoint T] [--q TEXT] [--sort due|priority|newest|oldest]
                                [--limit N] [--cursor C] [--lang TAG]
                                                print follow-up tasks (a lead sees their surveys' only): customer,
                                                reasons, scores by question label (--lang, default en), comment,
                                                channel, touchpoint, stage, campaign; every status unless --status
                                                (the console's queue: --status open,claimed,contacted), or --sla,
                                                which lists open and claimed tasks only (those an SLA watches)
  npm run cli -- followups show <taskId>        print one task with its notes, history and notifications (JSON)
  npm run cli -- followups history <taskId> [--lang TAG]
                                                print the customer's NPS trend, other responses and tasks
  npm run cli -- followups claim|contacted <taskId> [--lang TAG]
  npm run cli -- followups note <taskId> <text…> [--lang TAG]
  npm run cli -- followups resolve <taskId> --root-cause NAME --action TEXT [--reason TEXT] [--lang TAG]
  npm run cli -- followups resolve <taskId> --no-action --reason TEXT [--root-cause NAME] [--lang TAG]
  npm run cli -- followups assign <taskId> <leadId> [--lang TAG]   (admin, or a lead allowed to assign)
  npm run cli -- followups bulk assign|no-action --ids a,b,c [--assignee ID] [--reason TEXT]   up to 100 tasks
  npm run cli -- cx-leads create <name> <surveyId…> [--can-assign]   (admin) create a CX lead; prints their token once
  npm run cli -- cx-leads list <surveyId>       the leads a survey's tasks may be assigned to
  npm run cli -- invite <surveyId> --campaign NAME --csv recipients.csv --out links.csv [--valid-days N] [--snippets]
                                                mint personal email survey links (CSV columns: customerRef, email,
                                                name, locale, touchpoint, journeyStage; others become custom fields)
  npm run cli -- campaign <surveyId> <campaign> print a campaign's report: opens, clicks, scanner hits, provisional
                                                and final answers, response rate, metrics
  npm run cli -- tokens create --role admin|cx --name NAME [--surveys a,b]
                                                (admin) create an access token; prints it once
  npm run cli -- tokens list                    (admin) list tokens (never their secrets)
  npm run cli -- tokens revoke <tokenId>        (admin) revoke a token: it is refused from the next request
  npm run cli -- audit [--from ISO] [--to ISO] [--limit N]
                                                (admin) print the audit log, newest first
  npm run cli -- customers export <customerRef> (admin) print everything held about a customer as JSON
  npm run cli -- customers erase <customerRef>  (admin) erase a customer's responses, tasks, notifications, invitations
                                                --as-stored: the ref exactly as stored before the customerRef rule
                                                (control characters, surrounding spaces), e.g. $'cust\t42'
  npm run cli -- help                           print this
an unknown option, a missing value or a missing argument stops with exit code 2; an error from the API with 1
environment: FEEDBACK_ENDPOINT (default http://127.0.0.1:3000), FEEDBACK_TOKEN (a CX lead's token) or
             FEEDBACK_ADMIN_TOKEN (default: DATA_DIR/admin-token); responses restore: AWS_REGION, AWS_ACCESS_KEY_ID,
             AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN`;

class CliError extends Error {
  readonly exitCode: number = 1;
}

/** the command line itself is wrong: nothing was sent; the usage follows the reason */
class UsageError extends CliError {
  override readonly exitCode = 2;
  constructor(reason?: string) {
    super(reason ? `${reason}\n${USAGE}` : USAGE);
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * a command's options and positional arguments (node:util parseArgs, strict): an unknown option, a value missing after
 * one, or fewer or more positionals than `positionals` allows is a UsageError naming it
 */
function parsed<const O extends Options>(command: string, args: string[], options: O, positionals: { min: number; max?: number }) {
  let result;
  try {
    result = parseArgs({ args, options, strict: true, allowPositionals: true });
  } catch (error) {
    // node's message adds a hint about `--` that only confuses here
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) throw new UsageError(`${command}: ${(error as Error).message.split('. ')[0]}`);
    throw error;
  }
  const { min, max = min } = positionals;
  if (result.positionals.length < min) throw new UsageError(`${command}: missing argument`);
  if (result.positionals.length > max) throw new UsageError(`${command}: unexpected argument ${result.positionals[max]}`);
  return result;
}

function adminToken(): string {
  const token = process.env.FEEDBACK_TOKEN || adminTokenFromEnvironment();
  if (token) return token;
  throw new CliError('no admin token: set FEEDBACK_ADMIN_TOKEN, or run `npm start` once to generate one');
}

/** the API's answer as text; an error status becomes a CliError with the API's `{ error, details }` */
async function callText(method: string, path: string, body?: unknown): Promise<string> {
  const endpoint = (process.env.FEEDBACK_ENDPOINT ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  let response: Response;
  try {
    response = await fetch(`${endpoint}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken()}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new CliError(`cannot reach ${endpoint}: is \`npm start\` running, or FEEDBACK_ENDPOINT set?`);
  }
  const text = await response.text().catch(() => '');
  if (!response.ok) {
    let reply: { error?: string; details?: { path: string; reason: string }[] } = {};
    try {
      reply = JSON.parse(text) as typeof reply;
    } catch {
      // not JSON: the status says it all
    }
    const details = (reply.details ?? []).map((d) => `  ${d.path || '(body)'}: ${d.reason}`).join('\n');
    throw new CliError(`${response.status} ${reply.error ?? response.statusText}${details ? `\n${details}` : ''}`);
  }
  return text;
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const text = await callText(method, path, body);
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    throw new CliError(`${path}: the API answered something that is not JSON`);
  }
}

/** a customer's whole export: its pages, followed by their nextCursor, as one document (its sections concatenated) */
async function wholeExport(path: string, query: Record<string, string>): Promise<Record<string, unknown>> {
  type Page = Record<string, unknown> & { nextCursor: string | null };
  let whole: Record<string, unknown> | undefined;
  let cursor: string | null = null;
  do {
    const { nextCursor, ...content } = (await call('GET', `${path}?${new URLSearchParams({ ...query, ...(cursor ? { cursor } : {}) })}`)) as Page;
    cursor = nextCursor;
    whole ??= content;
    for (const [name, value] of Object.entries(content)) if (Array.isArray(value) && whole[name] !== value) (whole[name] as unknown[]).push(...value);
  } while (cursor);
  return whole;
}

/** the query string of the options given, named as the API names them */
function queryOf(values: Record<string, string | boolean | undefined>, names: Record<string, string>): URLSearchParams {
  const query = new URLSearchParams();
  for (const [option, parameter] of Object.entries(names)) {
    const value = values[option];
    if (typeof value === 'string') query.set(parameter, value);
  }
  return query;
}

async function main(args: string[]): Promise<void> {
  const [group, action] = args;
  if (group === undefined || group === 'help' || group === '--help' || group === '-h') {
    console.log(USAGE);
    return;
  }
  if (group === 'surveys' && action === 'put') {
    const [target] = parsed('surveys put', args.slice(2), {}, { min: 1 }).positionals as [string];
    let definition: { id?: unknown };
    try {
      definition = JSON.parse(readFileSync(target, 'utf8')) as { id?: unknown };
    } catch (error) {
      throw new CliError(`cannot read ${target} as JSON: ${error instanceof Error ? error.message : error}`);
    }
    if (typeof definition.id !== 'string') throw new CliError(`${target}: the survey needs a string "id"`);
    await call('PUT', `/v1/surveys/${encodeURIComponent(definition.id)}`, definition);
    console.log(`survey ${definition.id} saved`);
    return;
  }
  if (group === 'surveys' && action === 'get') {
    const [target] = parsed('surveys get', args.slice(2), {}, { min: 1 }).positionals as [string];
    console.log(JSON.stringify(await call('GET', `/v1/surveys/${encodeURIComponent(target)}`), null, 2));
    return;
  }
  if (group === 'responses' && action === 'restore') {
    const { values } = parsed('responses restore', args.slice(2), RESTORE_OPTIONS, { min: 0 });
    const checked = restoreArgsOf(values);
    if (!checked.ok) throw new UsageError(`responses restore: ${checked.reason}`);
    try {
      console.log(await restoreResponses(checked.value));
    } catch (error) {
      if (error instanceof RestoreStopped) throw error.usage ? new UsageError(`responses restore: ${error.message}`) : new CliError(`responses restore: ${error.message}`);
      throw error;
    }
    return;
  }
  if (group === 'responses') {
    const { values, positionals } = parsed('responses', args.slice(1), { limit: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' } }, { min: 1 });
    const query = queryOf(values, { limit: 'limit', from: 'from', to: 'to' });
    const page = (await call('GET', `/v1/surveys/${encodeURIComponent(positionals[0]!)}/responses?${query}`)) as { items: Record<string, unknown>[] };
    for (const item of page.items) {
      const sentiment = item.sentiment as { status: string; label?: string } | null;
      console.log(
        [item.receivedAt, item.id, item.channel, JSON.stringify(item.answers), sentiment ? (sentiment.label ?? sentiment.status) : '-'].join('  '),
      );
    }
    return;
  }
  if (group === 'report') {
    const { values, positionals } = parsed(
      'report',
      args.slice(1),
      { interval: { type: 'string' }, 'group-by': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, csv: { type: 'boolean' } },
      { min: 1 },
    );
    const query = queryOf(values, { interval: 'interval', 'group-by': 'groupBy', from: 'from', to: 'to' });
    const path = `/v1/surveys/${encodeURIComponent(positionals[0]!)}/metrics`;
    if (values.csv) process.stdout.write(await callText('GET', `${path}.csv?${query}`));
    else console.log(reportTable((await call('GET', `${path}?${query}`)) as MetricsReport & { followups?: FollowUpMetrics }));
    return;
  }
  if (group === 'followups' && action) return followups(action, args.slice(2));
  if (group === 'cx-leads' && action === 'create') {
    const { values, positionals } = parsed('cx-leads create', args.slice(2), { 'can-assign': { type: 'boolean' } }, { min: 2, max: Infinity });
    const [name, ...surveys] = positionals;
    const lead = (await call('POST', '/v1/cx-leads', { name, surveys, ...(values['can-assign'] ? { canAssign: true } : {}) })) as { id: string; token: string };
    console.log(`lead ${lead.id} created; their token (shown once): ${lead.token}`);
    return;
  }
  if (group === 'cx-leads' && action === 'list') {
    const [surveyId] = parsed('cx-leads list', args.slice(2), {}, { min: 1 }).positionals as [string];
    const { items } = (await call('GET', `/v1/cx-leads?${new URLSearchParams({ surveyId })}`)) as { items: { actorId: string; name: string }[] };
    for (const lead of items) console.log(`${lead.actorId.padEnd(22)}  ${lead.name}`);
    if (items.length === 0) console.log(`no CX leads granted ${surveyId}`);
    return;
  }
  if (group === 'invite') return invite(args.slice(1));
  if (group === 'campaign') {
    const [surveyId, campaign] = parsed('campaign', args.slice(1), {}, { min: 2 }).positionals as [string, string];
    console.log(campaignText((await call('GET', `/v1/surveys/${encodeURIComponent(surveyId)}/campaigns/${encodeURIComponent(campaign)}`)) as CampaignReport));
    return;
  }
  // access tokens, audit log, customer erasure and export
  if (group === 'tokens' || group === 'audit' || group === 'customers') return access(group, args.slice(1));
  throw new UsageError(`unknown command: ${args.join(' ')}`);
}

// ---- access tokens, audit log, customers ----

interface TokenLine {
  id: string;
  actorId: string;
  name: string;
  role: string;
  surveys: string[] | 'all';
  createdAt: string;
  revokedAt?: string;
}

const tokenLine = (t: TokenLine) =>
  [t.actorId.padEnd(22), t.role.padEnd(5), t.name, t.surveys === 'all' ? 'all surveys' : t.surveys.join(','), `created ${t.createdAt}`, t.revokedAt ? `REVOKED ${t.revokedAt}` : 'active'].join('  ');

async function access(group: string, rest: string[]): Promise<void> {
  const [action] = rest;
  if (group === 'tokens' && action === 'create') {
    const { values } = parsed('tokens create', rest.slice(1), { role: { type: 'string' }, name: { type: 'string' }, surveys: { type: 'string' } }, { min: 0 });
    const { role, name, surveys } = values;
    if (!role || !name) throw new UsageError('tokens create needs --role admin|cx and --name NAME (and --surveys a,b for cx)');
    const created = (await call('POST', '/v1/tokens', { name, role, ...(surveys ? { surveys: surveys.split(',').filter(Boolean) } : {}) })) as TokenLine & { token: string };
    console.log(`token ${created.actorId} created (${created.role}); its secret (shown once): ${created.token}`);
    return;
  }
  if (group === 'tokens' && action === 'list') {
    parsed('tokens list', rest.slice(1), {}, { min: 0 });
    // every page, newest first
    let listed = 0;
    let cursor: string | null = null;
    do {
      const page = (await call('GET', `/v1/tokens${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`)) as { items: TokenLine[]; cursor: string | null };
      for (const token of page.items) console.log(tokenLine(token));
      listed += page.items.length;
      cursor = page.cursor;
    } while (cursor);
    if (listed === 0) console.log('no tokens (the bootstrap admin token is not listed)');
    return;
  }
  if (group === 'tokens' && action === 'revoke') {
    const [target] = parsed('tokens revoke', rest.slice(1), {}, { min: 1 }).positionals as [string];
    console.log(tokenLine((await call('DELETE', `/v1/tokens/${encodeURIComponent(target)}`)) as TokenLine));
    return;
  }
  if (group === 'audit') {
    const { values } = parsed('audit', rest, { from: { type: 'string' }, to: { type: 'string' }, limit: { type: 'string' } }, { min: 0 });
    const query = queryOf(values, { from: 'from', to: 'to', limit: 'limit' });
    const page = (await call('GET', `/v1/audit?${query}`)) as { items: { at: string; actorId: string; role: string; action: string; targets: Record<string, string>; status: number }[] };
    for (const e of page.items) {
      const targets = Object.entries(e.targets).map(([k, v]) => `${k}=${k === 'customerRefHash' ? `${v.slice(0, 12)}…` : v}`).join(' ');
      console.log([e.at, e.actorId, e.role, e.action, e.status, targets].join('  '));
    }
    if (page.items.length === 0) console.log('no entries');
    return;
  }
  if (group === 'customers' && (action === 'export' || action === 'erase')) {
    // always sent in the routes' base64url form: API Gateway decodes a path before routing it, so a ref holding "/"
    // (or "?", "#") would not reach the route percent-encoded. The ref as ingest takes it (trimmed, checked); with
    // --as-stored, exactly as an older version stored it (control characters, surrounding spaces)
    const { values, positionals } = parsed(`customers ${action}`, rest.slice(1), { 'as-stored': { type: 'boolean' } }, { min: 1, max: 1 });
    const given = positionals[0] as string;
    const checked = values['as-stored'] === true ? { success: true as const, data: given } : customerRefSchema.safeParse(given);
    if (!checked.success) throw new UsageError(`customers ${action}: the customer ref is refused (it needs ${checked.error.issues[0]?.message ?? 'a valid form'}); --as-stored takes one exactly as an older version stored it`);
    const path = `/v1/customers/${asStoredParameter(checked.data)}`;
    if (action === 'export') {
      console.log(JSON.stringify(await wholeExport(`${path}/export`, { encoding: 'base64url' }), null, 2));
      return;
    }
    const { erased } = (await call('DELETE', `${path}?encoding=base64url`)) as { erased: Record<string, number> };
    console.log(`erased: ${Object.entries(erased).map(([k, v]) => `${v} ${k}`).join(', ')}`);
    return;
  }
  throw new UsageError(`unknown command: ${group} ${rest.join(' ')}`);
}

// ---- email survey links ----

const count = (n: number) => n.toLocaleString('en-US');

/** a bar on a terminal (redrawn in place), a plain line every 10,000 rows otherwise (logs, CI) */
function progressReporter(): { update(p: InviteProgress): void; done(): void } {
  if (process.stderr.isTTY) {
    let drawn = false;
    return {
      update(p) {
        const share = p.totalBytes ? Math.min(1, p.bytesRead / p.totalBytes) : 1;
        const width = 30;
        const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
        process.stderr.write(`\r[${bar}] ${(share * 100).toFixed(0).padStart(3)}%  ${count(p.rows)} rows · ${count(p.invited)} invited · ${count(p.skipped)} skipped`);
        drawn = true;
      },
      done() {
        if (drawn) process.stderr.write('\n');
      },
    };
  }
  let reported = 0;
  return {
    update(p) {
      if (p.rows - reported < 10_000) return;
      reported = p.rows;
      process.stderr.write(`${count(p.rows)} rows read, ${count(p.invited)} invited, ${count(p.skipped)} skipped\n`);
    },
    done() {},
  };
}

async function invite(args: string[]): Promise<void> {
  const { values, positionals } = parsed(
    'invite',
    args,
    { campaign: { type: 'string' }, csv: { type: 'string' }, out: { type: 'string' }, 'valid-days': { type: 'string' }, snippets: { type: 'boolean' } },
    { min: 1 },
  );
  const { campaign, csv: csvPath, out: outPath, snippets = false } = values;
  if (!campaign || !csvPath || !outPath) throw new UsageError('invite needs --campaign, --csv and --out');
  const surveyId = positionals[0]!;
  const validDays = values['valid-days'] === undefined ? undefined : Number(values['valid-days']);
  if (validDays !== undefined && !(Number.isInteger(validDays) && validDays >= 1 && validDays <= 365)) throw new CliError('--valid-days: a whole number of days from 1 to 365');
  const progress = progressReporter();
  try {
    const summary = await inviteFromCsv({
      endpoint: (process.env.FEEDBACK_ENDPOINT ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
      token: adminToken(),
      surveyId,
      campaign,
      csvPath,
      outPath,
      validDays,
      snippets,
      onBadRow: (line, reason) => process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}line ${line}: skipped: ${reason}\n`),
      onProgress: (p) => progress.update(p),
    });
    progress.done();
    console.log(
      `${count(summary.invited)} invitations in ${outPath} (${count(summary.minted)} new, ${count(summary.existing)} already invited); ` +
        `${count(summary.skipped)} bad rows skipped, of ${count(summary.rows)} rows`,
    );
  } catch (error) {
    progress.done();
    if (error instanceof InviteError) throw new CliError(error.message);
    throw error;
  }
}

function campaignText(r: CampaignReport): string {
  const pct = (n: number) => `${(r.invitations ? (n / r.invitations) * 100 : 0).toFixed(1)}%`;
  const nps = r.metrics.nps ? `${signed(r.metrics.nps.score)} ±${r.metrics.nps.marginOfError.toFixed(0)} (${r.metrics.nps.answers} answers)` : NO_VALUE;
  const csat = r.metrics.csat ? `${r.metrics.csat.percentage.toFixed(1)}%` : NO_VALUE;
  const ces = r.metrics.ces ? r.metrics.ces.mean.toFixed(2) : NO_VALUE;
  const csi = r.metrics.csi ? r.metrics.csi.score.toFixed(1) : NO_VALUE;
  return [
    `campaign ${r.campaign} · survey ${r.surveyId} · minted ${r.firstMintedAt.slice(0, 10)}${r.lastMintedAt.slice(0, 10) !== r.firstMintedAt.slice(0, 10) ? ` … ${r.lastMintedAt.slice(0, 10)}` : ''}`,
    `  invitations minted   ${count(r.invitations)}`,
    `  pages opened         ${count(r.opened)} (${pct(r.opened)}; ${count(r.opens)} page views, ${count(r.clicks)} one-click score links)`,
    `  scanner hits         ${count(r.scanned)} invitations (${count(r.scannerHits)} honeypot hits)`,
    `  provisional          ${count(r.provisional)}`,
    `  final responses      ${count(r.final)} (${count(r.finalBy.submit)} submitted, ${count(r.finalBy.timeout)} provisional past the delay)`,
    `  response rate        ${r.responseRatePct.toFixed(1)}%`,
    `  metrics (final)      responses ${r.metrics.responses} · NPS ${nps} · CSAT ${csat} · CES ${ces} · CSI ${csi}`,
  ].join('\n');
}

// ---- follow-up tasks ----

function followUpLine(f: FollowUpMetrics & Partial<FollowUpBreakdown>): string {
  const contact = f.timeToFirstContactHours ? `${f.timeToFirstContactHours.median.toFixed(1)} h (p90 ${f.timeToFirstContactHours.p90.toFixed(1)} h)` : NO_VALUE;
  return [
    `follow-ups opened in the range: ${f.opened} · first contact median ${contact} · SLA met ${share(f.slaCompliancePct)}`,
    `  closed ${share(f.closureRatePct)} · recovered (re-survey 4–5) ${share(f.recovery.ratePct)} of ${f.recovery.answered} answered` +
      ` · NPS ≥ 7 on return ${share(f.recovery.returned.ratePct)} of ${f.recovery.returned.answered}`,
    ...breakdownLines(f),
  ].join('\n');
}

/** the language of the labels: --lang, else English (the survey's default language where it has no texts in it) */
const LANG_OPTION = { lang: { type: 'string' } } as const;

/** each survey's questions and texts, read once per command; without it (not granted, deleted) scores show their ids */
function surveyWords(): (surveyId: string) => Promise<SurveyWords | undefined> {
  const read = new Map<string, Promise<SurveyWords | undefined>>();
  return (surveyId) => {
    if (!read.has(surveyId)) read.set(surveyId, call('GET', `/v1/surveys/${encodeURIComponent(surveyId)}`).then((s) => s as SurveyWords, () => undefined));
    return read.get(surveyId)!;
  };
}

async function printTasks(tasks: TaskForText[], lang: string | undefined): Promise<void> {
  const words = surveyWords();
  for (const task of tasks) console.log(taskText(task, await words(task.surveyId), lang ?? 'en'));
}

async function followups(action: string, rest: string[]): Promise<void> {
  if (action === 'list') {
    const { values } = parsed(
      'followups list',
      rest,
      {
        status: { type: 'string' },
        survey: { type: 'string' },
        assignee: { type: 'string' },
        limit: { type: 'string' },
        overdue: { type: 'boolean' },
        priority: { type: 'string' },
        sla: { type: 'string' },
        touchpoint: { type: 'string' },
        q: { type: 'string' },
        sort: { type: 'string' },
        cursor: { type: 'string' },
        ...LANG_OPTION,
      },
      { min: 0 },
    );
    const query = queryOf(values, { status: 'status', survey: 'surveyId', assignee: 'assignee', limit: 'limit', priority: 'priority', sla: 'sla', touchpoint: 'touchpoint', q: 'q', sort: 'sort', cursor: 'cursor' });
    if (values.overdue) query.set('overdue', 'true');
    const page = (await call('GET', `/v1/followups?${query}`)) as { items: TaskForText[]; cursor: string | null };
    await printTasks(page.items, values.lang);
    // a list holding closed tasks reads a bounded slice a page: an empty page with a cursor is not the end
    if (page.items.length === 0) console.log(page.cursor ? 'no tasks among those read for this page' : 'no tasks');
    // paging beyond a page: the same filters with this cursor
    if (page.cursor) console.log(`more: --cursor ${page.cursor}`);
    return;
  }
  const command = `followups ${action}`;
  const path = (taskId: string, suffix = '') => `/v1/followups/${encodeURIComponent(taskId)}${suffix}`;
  if (action === 'show') {
    const [taskId] = parsed(command, rest, {}, { min: 1 }).positionals as [string];
    console.log(JSON.stringify(await call('GET', path(taskId)), null, 2));
    return;
  }
  if (action === 'history') {
    const { values, positionals } = parsed(command, rest, LANG_OPTION, { min: 1 });
    const { customerHistory } = (await call('GET', path(positionals[0]!))) as { customerHistory?: CustomerHistory | null };
    const wordsOf = surveyWords();
    const surveyIds = [...new Set(customerHistory?.responses.map((r) => r.surveyId))];
    const words = new Map(await Promise.all(surveyIds.map(async (id) => [id, await wordsOf(id)] as const)));
    console.log(historyText(customerHistory, words, values.lang ?? 'en'));
    return;
  }
  let task: TaskForText;
  let lang: string | undefined;
  if (action === 'claim' || action === 'contacted') {
    const { values, positionals } = parsed(command, rest, LANG_OPTION, { min: 1 });
    lang = values.lang;
    task = (await call('POST', path(positionals[0]!, `/${action}`))) as TaskForText;
  } else if (action === 'note') {
    // a note starting with - goes after --: `followups note t1 -- -5 points`
    const { values, positionals } = parsed(command, rest, LANG_OPTION, { min: 2, max: Infinity });
    const [taskId, ...words] = positionals as [string, ...string[]];
    lang = values.lang;
    task = (await call('POST', path(taskId, '/notes'), { text: words.join(' ') })) as TaskForText;
  } else if (action === 'resolve') {
    const options = { reason: { type: 'string' }, 'no-action': { type: 'boolean' }, 'root-cause': { type: 'string' }, action: { type: 'string' }, ...LANG_OPTION } as const;
    const { values, positionals } = parsed(command, rest, options, { min: 1 });
    const noAction = values['no-action'] === true;
    if (noAction && !values.reason) throw new UsageError('followups resolve --no-action needs --reason TEXT');
    if (!noAction && (!values['root-cause'] || !values.action)) throw new UsageError('followups resolve needs --root-cause NAME (one of the survey\'s root causes) and --action TEXT (what was done)');
    lang = values.lang;
    const body = { outcome: noAction ? 'no_action' : 'resolved', reason: values.reason, rootCause: values['root-cause'], action: values.action };
    task = (await call('POST', path(positionals[0]!, '/resolve'), body)) as TaskForText;
    const link = (task as TaskForText & { resurveyLink?: string }).resurveyLink;
    if (link) console.log(`re-survey link for the customer: ${(process.env.FEEDBACK_ENDPOINT ?? 'http://127.0.0.1:3000').replace(/\/$/, '')}${link}`);
  } else if (action === 'assign') {
    const { values, positionals } = parsed(command, rest, LANG_OPTION, { min: 2 });
    lang = values.lang;
    task = (await call('POST', path(positionals[0]!, '/assign'), { assignee: positionals[1] })) as TaskForText;
  } else if (action === 'bulk') {
    return bulk(rest);
  } else throw new UsageError(`unknown command: ${command}`);
  await printTasks([task], lang);
}

/** `followups bulk assign|no-action --ids a,b,c`: one line per task, ok or why not; exit code 1 if any failed */
async function bulk(rest: string[]): Promise<void> {
  const { values, positionals } = parsed('followups bulk', rest, { ids: { type: 'string' }, assignee: { type: 'string' }, reason: { type: 'string' } }, { min: 1 });
  const kind = positionals[0];
  if (kind !== 'assign' && kind !== 'no-action') throw new UsageError('followups bulk needs assign or no-action');
  if (!values.ids) throw new UsageError('followups bulk needs --ids a,b,c');
  const body = { action: kind === 'assign' ? 'assign' : 'no_action', taskIds: values.ids.split(',').filter(Boolean), ...(values.assignee ? { assignee: values.assignee } : {}), ...(values.reason ? { reason: values.reason } : {}) };
  const { results } = (await call('POST', '/v1/followups/bulk', body)) as { results: ({ id: string; ok: true; task: TaskForText } | { id: string; ok: false; status: number; error: string })[] };
  for (const r of results) console.log(r.ok ? `${r.id}  ok  ${r.task.status}  ${r.task.assignee?.name ?? '-'}` : `${r.id}  FAILED ${r.status}  ${r.error}`);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} of ${results.length} done`);
  if (failed > 0) process.exitCode = 1;
}

// ---- the report as aligned text tables ----

/** ▲ up, ▼ down, = unchanged, with * when the API calls the change significant (shared/metrics/significance.ts); blank with nothing to compare */
const marker = (trend: Trend | null | undefined) =>
  trend ? `${trend.change > 0 ? '▲' : trend.change < 0 ? '▼' : '='}${trend.significant ? '*' : ''}` : '';

/** +12, -3, 0: the sign of the figure as shown (0.004 is "0", not "+0") */
const signed = (value: number, digits = 0) => {
  const shown = Number(value.toFixed(digits)) + 0;
  return `${shown > 0 ? '+' : ''}${shown.toFixed(digits)}`;
};

/** one table row's cells: label, responses, then value and marker per index */
function cellsOf(label: string, metrics: Metrics, trend: Trends): string[] {
  const { nps, csat, ces, csi, sentiment } = metrics;
  return [
    label,
    String(metrics.responses),
    nps ? `${signed(nps.score)} ±${nps.marginOfError.toFixed(0)}` : NO_VALUE,
    marker(trend.nps),
    csat ? `${csat.percentage.toFixed(1)}%` : NO_VALUE,
    marker(trend.csat),
    ces ? ces.mean.toFixed(2) : NO_VALUE,
    marker(trend.ces),
    csi ? csi.score.toFixed(1) : NO_VALUE,
    marker(trend.csi),
    sentiment ? signed(sentiment.net) : NO_VALUE,
    marker(trend.sentiment),
  ];
}

const HEADER = ['', 'responses', 'NPS ±margin', '', 'CSAT', '', 'CES', '', 'CSI', '', 'net sentiment', ''];

/** columns padded to their widest cell: labels and markers to the left, figures to the right */
function aligned(rows: string[][]): string[] {
  const widths = HEADER.map((_, c) => Math.max(...rows.map((row) => [...(row[c] ?? '')].length)));
  const leftAligned = (c: number) => c === 0 || (c >= 3 && c % 2 === 1);
  return rows.map((row) =>
    row
      .map((cell, c) => (leftAligned(c) ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
      .join('  ')
      .trimEnd(),
  );
}

function startLabel(interval: MetricsReport['interval'], start: string): string {
  if (interval === 'hour') return `${start.slice(0, 10)} ${start.slice(11, 16)}`;
  return interval === 'month' ? start.slice(0, 7) : start.slice(0, 10);
}

function block(title: string, report: MetricsReport, series: SeriesPoint[], totals: Totals): string {
  const firstColumn = { hour: 'hour (UTC)', day: 'day', week: 'week of', month: 'month' }[report.interval];
  const rows = [
    [firstColumn, ...HEADER.slice(1)],
    ...series.map((point) => cellsOf(startLabel(report.interval, point.start), point.metrics, point.trend)),
    cellsOf('total', totals.metrics, totals.trend),
  ];
  return [title, ...aligned(rows).map((line) => `  ${line}`)].join('\n');
}

function reportTable(report: MetricsReport & { followups?: FollowUpMetrics & Partial<FollowUpBreakdown> }): string {
  const at = (iso: string) => (report.interval === 'hour' ? startLabel('hour', iso) : iso.slice(0, 10));
  const range = `${at(report.from)} … ${at(report.to)} (UTC, end excluded)`;
  const heading = `survey ${report.surveyId} · by ${report.interval} · ${range}${report.groupBy ? ` · grouped by ${report.groupBy}` : ''}`;
  const groups = (report.groups ?? []).map((g) => block(`${report.groupBy} ${g.key}`, report, g.series, g.totals));
  const rolling = aligned([
    ['rolling', ...HEADER.slice(1)],
    ...(['days7', 'days30', 'days90'] as const).map((name) => {
      const window = report.rolling[name];
      const lastDay = new Date(Date.parse(window.to) - 86_400_000).toISOString().slice(0, 10);
      return cellsOf(`${name.slice(4)} days through ${lastDay}`, window.metrics, window.trend);
    }),
  ]);
  return [
    heading,
    '',
    ...groups.flatMap((g) => [g, '']),
    block('all responses', report, report.series, report.totals),
    '',
    ...rolling.map((line) => `  ${line}`),
    '',
    ...(report.followups ? [followUpLine(report.followups), ''] : []),
    '▲/▼ change vs the previous interval (total: vs the previous range; rolling: vs the window before); * beyond the 95% margin of error; – no answers',
  ].join('\n');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof CliError ? error.message : error);
  process.exit(error instanceof CliError ? error.exitCode : 1);
});
