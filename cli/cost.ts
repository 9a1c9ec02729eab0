// `npm run cost`: the monthly AWS cost of a deployment as a markdown table, item by item, at no traffic and at 10k,
// 100k and 1M responses a month (or `--responses N`), from list prices (cli/cost-prices.ts) and the deployment as the
// stacks synthesize it (cli/cost-deployment.ts). Exit code 2 on a usage error.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_RETENTION_CHOICES } from '../infra/log-retention.js';
import { topology } from '../infra/topology.js';
import { deploymentOf, synthesizedTemplates } from './cost-deployment.js';
import { ASSUMPTIONS, DEFAULT_USAGE, estimate, type Deployment, type Estimate, type Usage } from './cost-model.js';
import { PRICE_SOURCE, prices } from './cost-prices.js';

const USAGE = `usage: npm run cost -- [--responses N] [--comment-share 0..1] [--comment-chars N] [--detractor-share 0..1]
                      [--surveys N] [--no-waf] [--with-legacy-index] [--log-retention-days N]
  --responses        one column for N responses a month, with the billed quantities (default: 0, 10k, 100k, 1M)
  --comment-share    share of responses with a comment (default ${DEFAULT_USAGE.commentShare})
  --comment-chars    average comment length (default ${DEFAULT_USAGE.commentChars})
  --detractor-share  share of detractors, each opening a follow-up task (default ${DEFAULT_USAGE.detractorShare})
  --surveys          surveys the responses spread over (default ${DEFAULT_USAGE.surveys})
  --no-waf           without the edge web ACL (not deployed, or not attached)
  --with-legacy-index  as deployed with -c legacyBySurveyIndex=true (an upgrade before its backfill is done)
  --log-retention-days as deployed with -c logRetentionDays=N (default 30; CloudWatch Logs' periods only)`;

class UsageError extends Error {}

export const DEFAULT_COLUMNS = [0, 10_000, 100_000, 1_000_000];

export interface CostArguments {
  responses?: number;
  usage: Omit<Usage, 'responsesPerMonth'>;
  /** the deployment priced: without the legacy responses index (the stack's default) or with it */
  legacyIndex: boolean;
  /** the deployment priced: its logs' retention (-c logRetentionDays), when not the default */
  logRetentionDays?: number;
}

export function parseCostArguments(args: string[]): CostArguments {
  const usage = { ...DEFAULT_USAGE };
  let responses: number | undefined;
  let legacyIndex = false;
  let logRetentionDays: number | undefined;
  const number = (name: string, value: string | undefined, { max = Number.POSITIVE_INFINITY, integer = false } = {}) => {
    const n = Number(value);
    if (value === undefined || !Number.isFinite(n) || n < 0 || n > max || (integer && !Number.isInteger(n))) {
      throw new UsageError(`${name}: ${integer ? 'a whole number' : 'a number'} from 0${max < Number.POSITIVE_INFINITY ? ` to ${max}` : ''}\n${USAGE}`);
    }
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const name = args[i]!;
    if (name === '--no-waf') usage.waf = false;
    else if (name === '--with-legacy-index') legacyIndex = true;
    else if (name === '--log-retention-days') {
      logRetentionDays = number(name, args[++i], { integer: true });
      if (!LOG_RETENTION_CHOICES.includes(logRetentionDays)) throw new UsageError(`${name}: one of ${LOG_RETENTION_CHOICES.join(', ')}\n${USAGE}`);
    }
    else if (name === '--responses') responses = number(name, args[++i], { integer: true });
    else if (name === '--comment-share') usage.commentShare = number(name, args[++i], { max: 1 });
    else if (name === '--comment-chars') usage.commentChars = number(name, args[++i], { max: 5_000, integer: true });
    else if (name === '--detractor-share') usage.detractorShare = number(name, args[++i], { max: 1 });
    else if (name === '--surveys') usage.surveys = Math.max(1, number(name, args[++i], { integer: true }));
    else throw new UsageError(`unknown option ${name}\n${USAGE}`);
  }
  return { responses, usage, legacyIndex, ...(logRetentionDays === undefined ? {} : { logRetentionDays }) };
}

const dollars = (usd: number) => `$${usd.toFixed(2)}`;
const heading = (responses: number) =>
  responses === 0 ? 'idle' : responses >= 1e6 && responses % 1e6 === 0 ? `${responses / 1e6}M` : responses >= 1e3 && responses % 1e3 === 0 ? `${responses / 1e3}k` : responses.toLocaleString('en-US');

/** the markdown table: one row per item, one column per monthly volume (with the quantities when there is one) */
export function costTable(deployment: Deployment, usage: Omit<Usage, 'responsesPerMonth'>, columns: number[]): string {
  const estimates: Estimate[] = columns.map((responsesPerMonth) => estimate(deployment, { ...usage, responsesPerMonth }, prices));
  const single = columns.length === 1;
  const header = ['item', ...columns.map((n) => `${heading(n)}${n === 0 ? '' : ' responses'}`), ...(single ? ['billed'] : [])];
  const rows = estimates[0]!.lines.map((line, i) => [line.item, ...estimates.map((e) => dollars(e.lines[i]!.usd)), ...(single ? [line.quantity] : [])]);
  rows.push(['**total / month**', ...estimates.map((e) => `**${dollars(e.totalUsd)}**`), ...(single ? [''] : [])]);
  const align = ['---', ...columns.map(() => '---:'), ...(single ? ['---'] : [])];
  return [header, align, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** what the table rests on, in a few lines under it */
export function costNotes(usage: Omit<Usage, 'responsesPerMonth'>, deployment: Deployment): string {
  const a = ASSUMPTIONS;
  return [
    `Prices: ${PRICE_SOURCE}; on-demand, free tier ignored (it would lower the small columns: Lambda, SQS, CloudFront, DynamoDB, Scheduler and CloudWatch have monthly free allowances).`,
    `Usage: ${usage.commentShare * 100}% of responses with a comment of ${usage.commentChars} characters (Comprehend: sentiment on each, language detection on the ${usage.noLocaleShare * 100}% without a locale or in another script than it, PII detection on the ${usage.piiLanguageShare * 100}% in English or Spanish, by locale or as detected; at least 3 units per document per API), ` +
      `${usage.detractorShare * 100}% detractors, ${usage.surveys} survey(s), responses kept ${usage.retentionMonths} months, WAF ${usage.waf ? 'deployed and attached' : 'off'}.`,
    `Per response: ${a.apiRequestsPerResponse} API requests (survey read, submission), ${a.cloudfrontRequestsPerResponse} CloudFront requests and ${a.cloudfrontKbPerResponse} KB (with the widget loader), a ${a.responseKb} KB item in the table and ${deployment.responseIndexes} indexes; ` +
      `the rollup reads each response once, plus its minute's hour and day aggregates. Scheduled runs ${a.scheduledRunMs} ms, ingest ${a.ingestMs} ms, process ${a.processBaseMs} ms + ${a.processMsPerComment} ms per comment; ${a.hoursPerMonth} hours a month.`,
    'Admin, console and CLI traffic is not counted.',
  ].join('\n');
}

function main(args: string[]): void {
  const { responses, usage, legacyIndex, logRetentionDays } = parseCostArguments(args);
  process.stderr.write('synthesizing the stacks (no bundling) to count secrets, alarms, WAF rules and indexes…\n');
  const deployment = deploymentOf(topology, synthesizedTemplates({ legacyBySurveyIndex: legacyIndex, ...(logRetentionDays === undefined ? {} : { logRetentionDays }) }));
  console.log(costTable(deployment, usage, responses === undefined ? DEFAULT_COLUMNS : [responses]));
  console.log('');
  console.log(costNotes(usage, deployment));
}

// run as a script; importing this module (tests) only gets its functions
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof UsageError ? error.message : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  }
}
