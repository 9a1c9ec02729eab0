// local runtimes (`npm start`, `npm run start:deployed`): what stops one from starting, said as what to do. A data
// folder takes one process: dynalite's LevelDB takes one writer, so a second process on the same folder died deep in
// dynalite with "Database is closed"; now it is refused at once, naming the process that holds the folder. A port
// another process listens on was a raw EADDRINUSE stack, and a setting a function refuses a stack around its message.
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** a reason not to start, worded for the person who ran the command: print it, no stack */
export class StartRefused extends Error {
  override readonly name = 'StartRefused';
}

/** the file naming the process that holds a data folder */
export const holderFile = (dataDir: string) => join(dataDir, 'in-use.pid');

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Holds `dataDir` for this process until it exits; refuses (StartRefused) while another running process holds it. A
 * holder that no longer runs (killed, crashed) leaves a stale file, which is taken over.
 */
export function holdDataFolder(dataDir: string, command: string): void {
  const file = holderFile(dataDir);
  const mine = String(process.pid);
  // written whole beside it, then linked into place: the holder file appears at once with its pid, or not at all
  const draft = `${file}.${mine}`;
  writeFileSync(draft, mine);
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        linkSync(draft, file);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      }
      const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(holder) && holder !== process.pid && isRunning(holder)) {
        throw new StartRefused(
          `the data folder ${dataDir} is in use by another process (pid ${holder}), most likely another ${command}: stop it, ` +
            `or give this one a folder of its own (DATA_DIR=${dataDir}-2 ${command}). If pid ${holder} is not one, delete ${file}.`,
        );
      }
      // a holder that no longer runs: its file goes, and this process links its own (once: a second process that took
      // the folder meanwhile is found on the next start)
      unlinkSync(file);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new StartRefused(`the data folder ${dataDir} was taken by another process as this one started: stop it, or give this one a folder of its own (DATA_DIR=${dataDir}-2 ${command})`);
    throw error;
  } finally {
    unlinkSync(draft);
  }
  process.once('exit', () => {
    try {
      if (readFileSync(file, 'utf8') === mine) unlinkSync(file);
    } catch {
      // gone already: nothing to give back
    }
  });
}

/** a failure to listen, or a setting a function refuses, as what to do about it; anything else unchanged */
export function explainStartFailure(error: unknown, variableOf: (port: number | undefined) => string): unknown {
  const failure = error as NodeJS.ErrnoException & { address?: string; port?: number };
  // a function's own check of its settings (functions/commons/env.ts): its message names the variable and the reason
  if (failure instanceof Error && failure.message.startsWith('missing or invalid environment:')) return new StartRefused(failure.message);
  if (failure?.syscall !== 'listen') return error;
  const where = `${failure.address ?? ''}:${failure.port ?? ''}`;
  const portVariable = variableOf(failure.port);
  if (failure.code === 'EADDRINUSE') {
    return new StartRefused(`port ${where} is in use by another process (another local run?): stop it, or choose a free port with ${portVariable}=<port>`);
  }
  if (failure.code === 'EACCES') return new StartRefused(`not allowed to listen on ${where}: choose a port above 1023 with ${portVariable}=<port>`);
  return error;
}
