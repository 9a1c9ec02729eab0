// local runtime: fsync every file in a folder, and the folder itself. The queue journal calls it on the store's
// folder (dynalite's LevelDB) before it forgets messages the store now holds: LevelDB hands its writes to the OS
// without syncing them, so without this a power cut could lose a stored response whose journal line is gone.
import { readdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';

export async function syncFolder(folder: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name);
  } catch (error) {
    if (isMissing(error)) return;
    throw error;
  }
  for (const name of names) await syncPath(join(folder, name), 'r+');
  // the folder's own entries (files LevelDB created or renamed); not every platform can open a folder for that
  await syncPath(folder, 'r').catch(() => undefined);
}

async function syncPath(path: string, flags: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    // LevelDB deletes a log once compaction has written (and synced) its contents to a table file
    if (isMissing(error)) return;
    throw error;
  }
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException)?.code === 'ENOENT';
