// `npm start`: the whole platform on this machine. PORT (3000), DATA_DIR (.data), FEEDBACK_ADMIN_TOKEN (else one is
// generated once and kept in the data folder). Ctrl-C / SIGTERM: stop intake, drain the queue, then exit.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as z from 'zod';
import { readEnv } from '../../functions/commons/env.js';
import type { AdminTokenOrigin } from './demo-page.js';
import { startLocalRuntime } from './runtime.js';

const env = readEnv({
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  DATA_DIR: z.string().default('.data'),
  FEEDBACK_ADMIN_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  FEEDBACK_LINK_KEYS: z.string().min(1).optional(),
  // the queue's write-ahead journal (infra/local/queue-journal.ts): write (survives SIGKILL) | fsync (and a power cut) | off
  LOCAL_QUEUE_JOURNAL: z.enum(['write', 'fsync', 'off']).default('write'),
  LOCAL_QUEUE_TRANSPORT: z.enum(['in-process', 'sdk']).default('in-process'),
  // intake first (infra/local/intake-pressure.ts): the back end holds back while the gateway is busy
  LOCAL_INTAKE_FIRST: z.enum(['on', 'off']).default('on'),
  // every schedule at this rate instead of the topology's (the fault suite, demos); unset: the topology's rates
  LOCAL_SCHEDULE_EVERY_MS: z.coerce.number().int().min(100).optional(),
  // the functions' Powertools log level (their logs never carry comments, e-mails or tokens: test/integration/log-scan)
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('WARN'),
});

function adminToken(dataDir: string): { token: string; source: string; origin: AdminTokenOrigin } {
  if (env.FEEDBACK_ADMIN_TOKEN) return { token: env.FEEDBACK_ADMIN_TOKEN, source: 'FEEDBACK_ADMIN_TOKEN', origin: { from: 'environment' } };
  const file = join(dataDir, 'admin-token');
  const origin: AdminTokenOrigin = { from: 'data folder', dataDir };
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), source: file, origin };
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, source: `${file} (generated)`, origin };
}

/** the keys that sign re-survey links: FEEDBACK_LINK_KEYS, else generated once and kept in the data folder */
function linkKeys(dataDir: string): string {
  if (env.FEEDBACK_LINK_KEYS) return env.FEEDBACK_LINK_KEYS;
  const file = join(dataDir, 'link-keys.json');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const keys = JSON.stringify([{ kid: 'local-1', secret: randomBytes(32).toString('base64url') }]);
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  return keys;
}

const dataDir = resolve(env.DATA_DIR);
mkdirSync(dataDir, { recursive: true });
const { token, source, origin } = adminToken(dataDir);
const runtime = await startLocalRuntime({ dataDir, adminToken: token, linkKeys: linkKeys(dataDir), port: env.PORT, host: env.HOST, intakeFirst: env.LOCAL_INTAKE_FIRST === 'on', queueJournal: env.LOCAL_QUEUE_JOURNAL, queueTransport: env.LOCAL_QUEUE_TRANSPORT, adminTokenOrigin: origin, scheduleEveryMs: env.LOCAL_SCHEDULE_EVERY_MS, logLevel: env.LOG_LEVEL });

console.log(`feedback platform, local runtime
  demo page        ${runtime.url}/
  widget           ${runtime.url}/widget.js
  ingest API       POST ${runtime.url}/v1/responses
  admin API        ${runtime.url}/v1/surveys/{id}  (Authorization: Bearer <admin token>)
  CX API           ${runtime.url}/v1/followups  (Bearer <admin token or CX lead token>)
  CX console       ${runtime.url}/console/  (sign in with the admin token or a CX lead token)
  admin token      ${token}   (from ${source})
  data folder      ${dataDir}
  DynamoDB (dynalite) ${runtime.dynamoEndpoint}   SQS (fauxqs) ${new URL(runtime.queueUrls.responses).origin}${runtime.replayed > 0 ? `
  queue journal    ${runtime.replayed} message(s) replayed from the last run` : ''}
ready`);

let signals = 0;
const shutdown = (signal: string) => {
  signals += 1;
  if (signals > 1) {
    console.log('second signal: exiting without draining');
    process.exit(130);
  }
  console.log(`${signal}: no longer accepting requests; draining the queue…`);
  runtime.stop().then(
    ({ undelivered }) => {
      console.log(undelivered === 0 ? 'drained: every accepted response is stored. bye' : `stopped with ${undelivered} message(s) not drained`);
      process.exit(undelivered === 0 ? 0 : 1);
    },
    (error: unknown) => {
      console.error('stop failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
