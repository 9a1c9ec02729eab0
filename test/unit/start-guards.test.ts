// unit: what stops a local run from starting, said as what to do (infra/local/start-guards.ts): a data folder another
// running process holds, and a port another process listens on.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { explainStartFailure, holderFile, holdDataFolder, StartRefused } from '../../infra/local/start-guards.js';

const folders: string[] = [];
const folder = () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-guards-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('a data folder', () => {
  it('is refused while another running process holds it, naming that process and what to do', async () => {
    // Prepare: a process that runs, holding the folder
    const dataDir = folder();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    try {
      writeFileSync(holderFile(dataDir), String(other.pid));

      // Act / Assess
      expect(() => holdDataFolder(dataDir, 'npm start')).toThrow(StartRefused);
      expect(() => holdDataFolder(dataDir, 'npm start')).toThrow(`in use by another process (pid ${other.pid}), most likely another npm start: stop it, or give this one a folder of its own (DATA_DIR=${dataDir}-2 npm start)`);
      expect(readFileSync(holderFile(dataDir), 'utf8')).toBe(String(other.pid));
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('is taken over from a holder that no longer runs, and given back when this process exits', () => {
    // Prepare: a holder that ran and is gone (killed, say), and a fresh folder in a child process of its own
    const stale = folder();
    const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(holderFile(stale), gone);
    const fresh = folder();
    const script = `import('${new URL('../../infra/local/start-guards.ts', import.meta.url).pathname}').then((m) => { m.holdDataFolder(process.argv[1], 'npm start'); console.log(require('node:fs').readFileSync(m.holderFile(process.argv[1]), 'utf8') === String(process.pid)); })`;

    // Act
    holdDataFolder(stale, 'npm start');
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, fresh], { encoding: 'utf8' });

    // Assess
    expect(readFileSync(holderFile(stale), 'utf8')).toBe(String(process.pid));
    expect(child.stdout.trim()).toBe('true');
    expect(existsSync(holderFile(fresh))).toBe(false);
  });
});

describe('a port in use', () => {
  it('is said as which port, and which variable chooses another; other failures pass unchanged', async () => {
    // Prepare: a port taken
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const second = createServer();
    const failure = await new Promise<unknown>((resolve) => {
      second.once('error', resolve);
      second.listen(port, '127.0.0.1');
    });
    taken.close();

    // Act
    const explained = explainStartFailure(failure, (failed) => (failed === port ? 'CONSOLE_PORT' : 'PORT'));
    const other = new Error('Database is corrupt');

    // Assess
    expect(explained).toBeInstanceOf(StartRefused);
    expect((explained as Error).message).toBe(`port 127.0.0.1:${port} is in use by another process (another local run?): stop it, or choose a free port with CONSOLE_PORT=<port>`);
    expect(explainStartFailure(other, () => 'PORT')).toBe(other);
  });

  it("says a setting a function refuses by the function's own message", () => {
    const refused = explainStartFailure(new Error('missing or invalid environment: ALERT_WEBHOOK_SECRET (ALERT_WEBHOOK_URL is set)'), () => 'PORT');
    expect(refused).toBeInstanceOf(StartRefused);
    expect((refused as Error).message).toBe('missing or invalid environment: ALERT_WEBHOOK_SECRET (ALERT_WEBHOOK_URL is set)');
  });
});
