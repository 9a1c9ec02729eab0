// `npm start`: the whole platform on this machine. PORT (3000), DATA_DIR (.data), FEEDBACK_ADMIN_TOKEN (else one is
// generated once and kept in the data folder). Ctrl-C / SIGTERM: stop intake, drain the queue, then exit.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv } from '../../functions/commons/env.js';
import * as z from '../../shared/validation.js';
import type { AdminTokenOrigin } from './demo-page.js';
import { startLocalRuntime } from './runtime.js';
import { startBanner } from './start-banner.js';
import { explainStartFailure, holdDataFolder, StartRefused } from './start-guards.js';

const env = readEnv({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65_535)), 3000),
  HOST: z._default(z.string(), '127.0.0.1'),
  DATA_DIR: z._default(z.string(), '.data'),
  FEEDBACK_ADMIN_TOKEN: z.optional(z.string().check(z.minLength(16, 'at least 16 characters'))),
  FEEDBACK_LINK_KEYS: z.optional(z.string().check(z.minLength(1))),
  // the queue's write-ahead journal (infra/local/queue-journal.ts): write (survives SIGKILL) | fsync (and a power cut) | off
  LOCAL_QUEUE_JOURNAL: z._default(z.enum(['write', 'fsync', 'off']), 'write'),
  LOCAL_QUEUE_TRANSPORT: z._default(z.enum(['in-process', 'sdk']), 'in-process'),
  // intake first (infra/local/intake-pressure.ts): the back end holds back while the gateway is busy
  LOCAL_INTAKE_FIRST: z._default(z.enum(['on', 'off']), 'on'),
  // every schedule at this rate instead of the topology's (the fault suite, demos); unset: the topology's rates
  LOCAL_SCHEDULE_EVERY_MS: z.optional(z.coerce.number().check(z.int(), z.gte(100))),
  // the functions' Powertools log level (their logs never carry comments, e-mails or tokens: test/integration/log-scan)
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']), 'WARN'),
});

function adminToken(dataDir: string): { token: string; generated: boolean; origin: AdminTokenOrigin } {
  if (env.FEEDBACK_ADMIN_TOKEN) return { token: env.FEEDBACK_ADMIN_TOKEN, generated: false, origin: { from: 'environment' } };
  const file = join(dataDir, 'admin-token');
  const origin: AdminTokenOrigin = { from: 'data folder', dataDir };
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), generated: false, origin };
  const token = randomBytes(24).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, generated: true, origin };
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
const { token, generated, origin, runtime } = await (async () => {
  try {
    holdDataFolder(dataDir, 'npm start');
    const { token, generated, origin } = adminToken(dataDir);
    return { token, generated, origin, runtime: await startLocalRuntime({ dataDir, adminToken: token, linkKeys: linkKeys(dataDir), port: env.PORT, host: env.HOST, intakeFirst: env.LOCAL_INTAKE_FIRST === 'on', queueJournal: env.LOCAL_QUEUE_JOURNAL, queueTransport: env.LOCAL_QUEUE_TRANSPORT, adminTokenOrigin: origin, scheduleEveryMs: env.LOCAL_SCHEDULE_EVERY_MS, logLevel: env.LOG_LEVEL }) };
  } catch (error) {
    const explained = explainStartFailure(error, () => 'PORT');
    if (!(explained instanceof StartRefused)) throw explained;
    console.error(`npm start: ${explained.message}`);
    process.exit(1);
  }
})();

console.log(startBanner({ url: runtime.url, token, tokenOrigin: origin, generated, dataDir, dynamoEndpoint: runtime.dynamoEndpoint, queueEndpoint: new URL(runtime.queueUrls.responses).origin, replayed: runtime.replayed }));

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
