// `npm run start:deployed`: the stack as `cdk deploy` would ship it, run on this machine (infra/deployed/runner.ts).
// It synthesizes the CDK app (bundling every function), then serves the template's HTTP API, polls its queues and runs
// its schedules, and the CX console's distribution on a port of its own. PORT (3100), CONSOLE_PORT (PORT + 1),
// DATA_DIR (.data-deployed), ASSEMBLY_DIR (a cdk.out to run instead of synthesizing).
// Ctrl-C / SIGTERM stops it. The local runtime (`npm start`) is faster to start and change; this one checks the
// bundles, the environments, the routes and the IAM grants that AWS would see.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readEnv } from '../../functions/commons/env.js';
import * as z from '../../shared/validation.js';
import { explainStartFailure, holdDataFolder, StartRefused } from '../local/start-guards.js';
import { startDeployedRunner } from './runner.js';
import { synthesizeAssembly } from './synth.js';

const env = readEnv({
  PORT: z._default(z.coerce.number().check(z.int(), z.gte(0), z.lte(65_535)), 3100),
  // the console's origin: the API allows it (CORS) as it allows the distribution's; default PORT + 1 (0 with PORT 0)
  CONSOLE_PORT: z.optional(z.coerce.number().check(z.int(), z.gte(0), z.lte(65_535))),
  HOST: z._default(z.string(), '127.0.0.1'),
  DATA_DIR: z._default(z.string(), '.data-deployed'),
  ASSEMBLY_DIR: z.optional(z.string().check(z.minLength(1))),
  // each function's log lines, prefixed with its name; off by default (they are JSON lines, many a request)
  DEPLOYED_LOGS: z._default(z.enum(['on', 'off']), 'off'),
});

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const dataDir = resolve(env.DATA_DIR);
const consolePort = env.CONSOLE_PORT ?? (env.PORT === 0 ? 0 : env.PORT + 1);
const { runner, assemblyDir } = await (async () => {
  try {
    mkdirSync(dataDir, { recursive: true });
    // before synthesizing: the assembly is written into the data folder too
    holdDataFolder(dataDir, 'npm run start:deployed');
    let assemblyDir = env.ASSEMBLY_DIR ? resolve(env.ASSEMBLY_DIR) : join(dataDir, 'cdk.out');
    if (!env.ASSEMBLY_DIR) {
      console.log('synthesizing the stacks (bundles every function)…');
      assemblyDir = synthesizeAssembly(assemblyDir);
    }
    const started = await startDeployedRunner({
      assemblyDir,
      dataDir,
      port: env.PORT,
      consolePort,
      host: env.HOST,
      ...(env.DEPLOYED_LOGS === 'on' ? { onLog: (name: string, line: string) => console.log(`${name}: ${line}`) } : {}),
    });
    return { runner: started, assemblyDir };
  } catch (error) {
    const explained = explainStartFailure(error, (port) => (port === consolePort && port !== env.PORT ? 'CONSOLE_PORT' : 'PORT'));
    if (!(explained instanceof StartRefused)) throw explained;
    console.error(`npm run start:deployed: ${explained.message}`);
    process.exit(1);
  }
})();
const token = runner.adminToken ?? '';
const secretsFile = join(dataDir, 'secrets.json');
// what a user pastes to read the token whole (e.g. FEEDBACK_ADMIN_TOKEN for `npm run smoke`): the path passed as an
// argument, single-quoted for the shell, so no character in it is read as code by node or by the shell
const shellQuoted = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
const tokenCommand = `$(node -p 'require(process.argv[1]).${runner.adminTokenEntry ?? 'AdminToken'}' ${shellQuoted(secretsFile)})`;
console.log(`feedback platform, deployed shape (${runner.shape.functions.length} functions from ${assemblyDir})
  HTTP API         ${runner.url}/  (${runner.shape.routes.length} routes from the template)
${runner.consoleUrl ? `  CX console       ${runner.consoleUrl}  (its distribution's files and headers; sign in with the admin token)\n` : ''}  admin token      ${token.slice(0, 4)}…  (Secrets Manager, locally: the ${runner.adminTokenEntry ?? 'AdminToken…'} entry of ${secretsFile}; in a shell: ${tokenCommand})
  smoke check      FEEDBACK_ADMIN_TOKEN="${tokenCommand}" npm run smoke -- --endpoint ${runner.url}
  AWS endpoint     ${runner.awsEndpoint}  (DynamoDB, SQS, Secrets Manager, Comprehend; every call checked against the caller's role)
  schedules        ${runner.shape.schedules.length}, at their template rates
${runner.problems.length > 0 ? `  NOT AS DEPLOYABLE: ${runner.problems.join('; ')}\n` : ''}ready`);

const shutdown = (signal: string) => {
  console.log(`${signal}: stopping`);
  runner.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('stop failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
