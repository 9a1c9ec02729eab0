// `npm run cli -- <command>`: the admin API from a terminal. Talks HTTP, so it works the same against the local
// runtime and a deployed stack. FEEDBACK_ENDPOINT (default http://127.0.0.1:3000) and FEEDBACK_ADMIN_TOKEN (default:
// the token `npm start` keeps in DATA_DIR/admin-token).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const USAGE = `usage:
  npm run cli -- surveys put <file.json>        create or replace the survey in the file (its "id" names it)
  npm run cli -- surveys get <surveyId>         print a survey definition
  npm run cli -- responses <surveyId> [--limit N] [--from ISO] [--to ISO]
                                                print stored responses, newest first
environment: FEEDBACK_ENDPOINT (default http://127.0.0.1:3000), FEEDBACK_ADMIN_TOKEN (default: DATA_DIR/admin-token)`;

class CliError extends Error {}

function adminToken(): string {
  if (process.env.FEEDBACK_ADMIN_TOKEN) return process.env.FEEDBACK_ADMIN_TOKEN;
  const file = join(process.env.DATA_DIR ?? '.data', 'admin-token');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  throw new CliError('no admin token: set FEEDBACK_ADMIN_TOKEN, or run `npm start` once to generate one');
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
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
  const reply = (await response.json().catch(() => ({}))) as { error?: string; details?: { path: string; reason: string }[] };
  if (!response.ok) {
    const details = (reply.details ?? []).map((d) => `  ${d.path || '(body)'}: ${d.reason}`).join('\n');
    throw new CliError(`${response.status} ${reply.error ?? response.statusText}${details ? `\n${details}` : ''}`);
  }
  return reply;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<void> {
  const [group, action, target] = args;
  if (group === 'surveys' && action === 'put' && target) {
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
  if (group === 'surveys' && action === 'get' && target) {
    console.log(JSON.stringify(await call('GET', `/v1/surveys/${encodeURIComponent(target)}`), null, 2));
    return;
  }
  if (group === 'responses' && action) {
    const query = new URLSearchParams();
    for (const name of ['limit', 'from', 'to']) {
      const value = option(args, name);
      if (value) query.set(name, value);
    }
    const page = (await call('GET', `/v1/surveys/${encodeURIComponent(action)}/responses?${query}`)) as { items: Record<string, unknown>[] };
    for (const item of page.items) {
      const sentiment = item.sentiment as { status: string; label?: string } | null;
      console.log(
        [item.receivedAt, item.id, item.channel, JSON.stringify(item.answers), sentiment ? (sentiment.label ?? sentiment.status) : '-'].join('  '),
      );
    }
    return;
  }
  throw new CliError(USAGE);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof CliError ? error.message : error);
  process.exit(error instanceof CliError && error.message === USAGE ? 2 : 1);
});
