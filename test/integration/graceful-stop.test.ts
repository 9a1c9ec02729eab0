// integration: `npm start` stopped with SIGTERM mid-stream loses nothing it acknowledged.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const TOKEN = 'graceful-stop-admin-token-0001';
const dataDir = mkdtempSync(join(tmpdir(), 'feedback-sigterm-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

function start(): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts'], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, FEEDBACK_ADMIN_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    // a hang guard: a loaded machine, or `nice`, can take minutes to start the runtime through tsx
    const timer = setTimeout(() => reject(new Error(`no "ready" within 300 s:\n${output}`)), 300_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /demo page\s+(http:\/\/\S+)\//.exec(output)?.[1];
      if (url && /^ready$/m.test(output)) {
        clearTimeout(timer);
        resolve({ child, url, output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ready:\n${output}`)));
  });
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

describe('npm start, stopped with SIGTERM while responses stream in', () => {
  it('drains the queue before exiting: every response answered 202 is stored after a restart', async () => {
    // Prepare
    const first = await start();
    const acknowledged: string[] = [];
    let sent = 0;
    const submit = async () => {
      for (;;) {
        sent += 1;
        try {
          const response = await fetch(`${first.url}/v1/responses`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ surveyId: 'demo', channel: 'api', answers: { nps: sent % 11 }, comment: `stream ${sent}: fine service` }),
          });
          if (response.status !== 202) return; // 503 while draining: not acknowledged
          acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the server stopped accepting: not acknowledged, so the client would retry
        }
      }
    };

    // Act: eight clients stream responses; SIGTERM lands once a hundred are acknowledged
    const clients = Array.from({ length: 8 }, submit);
    while (acknowledged.length < 100) await new Promise((resolve) => setTimeout(resolve, 10));
    const exit = exited(first.child);
    first.child.kill('SIGTERM');
    await Promise.all(clients);
    const code = await exit;

    const second = await start();
    const stored = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; cursor: string | null } = await (
        await fetch(`${second.url}/v1/surveys/demo/responses?limit=200${cursor ? `&cursor=${cursor}` : ''}`, { headers: { authorization: `Bearer ${TOKEN}` } })
      ).json() as { items: { id: string }[]; cursor: string | null };
      page.items.forEach((item) => stored.add(item.id));
      cursor = page.cursor;
    } while (cursor);
    const exitSecond = exited(second.child);
    second.child.kill('SIGTERM');
    await exitSecond;

    // Assess
    expect(code).toBe(0);
    expect(first.output()).toContain('drained: every accepted response is stored');
    expect(acknowledged.length).toBeGreaterThanOrEqual(100);
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBe(acknowledged.length);
  }, 900_000);
});
