// local runtime: a write-ahead journal that makes the in-memory fauxqs durable enough that nothing acknowledged is
// lost when the process dies (SIGKILL, a crash; a power cut too with `sync`). In the cloud SQS is durable and none of
// this exists.
//
// - Every SendMessage / SendMessageBatch request the queue engine accepts is appended as one JSON line before fauxqs
//   handles it, so its "200" (and the ingest's 202 after it) comes after the line is written. Group commit: the lines
//   of all requests that arrive while a write is under way go out in the next single write. With `sync` that write
//   is synchronous (O_DSYNC) on the thread pool and returns once the lines are on disk; without it, the lines are
//   handed to the OS on this thread (a few microseconds), which keeps them through a crash of this process.
// - On start the journal is replayed into the fresh queues. Messages already processed come back too: the consumers
//   are idempotent (the process step's conditional put on the response id, the follow-up task's derived id), so a
//   replay is an at-least-once redelivery, nothing more.
// - It is truncated whenever every queue (DLQs included) is empty with no send under way: nothing in it is needed
//   any more (with `sync`, once `beforeForgetting` has made what the consumers stored as durable as the journal).
//   Under load that never pauses, it is instead rewritten as a snapshot of what the queues hold (plus the sends
//   under way) once it has grown well past that, so a restart replays the backlog, not the whole history.
//   A graceful stop drains the queues and truncates it.
import { constants, existsSync, readFileSync, writeSync } from 'node:fs';
import { open, rename, type FileHandle } from 'node:fs/promises';

export interface JournalMessage {
  /** MessageBody */
  b: string;
  /** MessageAttributes, DelaySeconds: kept as sent */
  a?: unknown;
  d?: number;
}

export interface JournalEntry {
  /** the queue's name */
  q: string;
  m: JournalMessage[];
}

export interface QueueJournal {
  /** the entries found on disk at open, oldest first (a torn last line from a crash is skipped) */
  readonly recovered: JournalEntry[];
  /** resolves once the entry is written (and on disk, unless sync is off) */
  append(entry: JournalEntry): Promise<void>;
  /** entries appended since open; a truncation decision compares it before and after looking at the queues */
  appendedCount(): number;
  /** empties the journal if nothing was appended since `appendedCount()` returned `seen` */
  truncateIfUnchanged(seen: number): Promise<boolean>;
  /** messages the file holds now (recovered + appended since the last truncation or rewrite) */
  messageCount(): number;
  /**
   * replaces the file with `live()`'s entries (written to a new file, fsynced, renamed over): appends wait meanwhile,
   * so `live()` must cover every message not yet consumed, including sends whose line is written but not yet queued
   */
  rewrite(live: () => Promise<JournalEntry[]>): Promise<void>;
  close(): Promise<void>;
}

export function readJournal(path: string): JournalEntry[] {
  if (!existsSync(path)) return [];
  const entries: JournalEntry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const entry = JSON.parse(line) as JournalEntry;
      if (typeof entry.q === 'string' && Array.isArray(entry.m)) entries.push(entry);
    } catch {
      // a line torn by a crash mid-write: its request was never answered, so never acknowledged
    }
  }
  return entries;
}

export interface QueueJournalOptions {
  /** each group commit on disk before its appends resolve (O_DSYNC, or write + fdatasync); false: handed to the OS */
  sync: boolean;
  /**
   * runs before a truncation or rewrite drops lines whose messages are consumed, after the queues were looked at:
   * what makes their consumers' writes as durable as the lines (the runtime syncs the store's folder)
   */
  beforeForgetting?: () => Promise<void>;
}

export async function openQueueJournal(path: string, options: QueueJournalOptions = { sync: true }): Promise<QueueJournal> {
  const recovered = readJournal(path);
  // O_DSYNC where the platform has it: each group commit's write returns once the lines are on disk, one call on the
  // thread pool instead of a write and an fdatasync (the pool's hops, not the disk, are most of a commit's time)
  const syncOnWrite = options.sync && constants.O_DSYNC !== undefined;
  const appendMode = syncOnWrite ? constants.O_APPEND | constants.O_CREAT | constants.O_WRONLY | constants.O_DSYNC : 'a';
  let file: FileHandle = await open(path, appendMode, 0o600);
  let messages = recovered.reduce((sum, entry) => sum + entry.m.length, 0);
  let waiting: { line: string; resolve: () => void; reject: (error: Error) => void }[] = [];
  let appended = 0;
  // one writer at a time: appends (group commits) and truncations queue behind each other
  let tail: Promise<unknown> = Promise.resolve();
  const exclusively = <T>(work: () => Promise<T>): Promise<T> => {
    const run = tail.then(work, work);
    tail = run.catch(() => undefined);
    return run;
  };

  async function commit(): Promise<void> {
    const group = waiting;
    waiting = [];
    if (group.length === 0) return;
    try {
      const lines = group.map((w) => w.line).join('');
      if (options.sync) await file.write(lines);
      else writeSync(file.fd, lines);
      if (options.sync && !syncOnWrite) await file.datasync();
      for (const w of group) w.resolve();
    } catch (error) {
      for (const w of group) w.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  return {
    recovered,
    append(entry) {
      appended += 1;
      messages += entry.m.length;
      return new Promise<void>((resolve, reject) => {
        // the first line of a group schedules the commit; lines arriving before it runs join that group
        if (waiting.length === 0) void exclusively(commit);
        waiting.push({ line: `${JSON.stringify(entry)}\n`, resolve, reject });
      });
    },
    appendedCount: () => appended,
    truncateIfUnchanged(seen) {
      return exclusively(async () => {
        if (appended !== seen || waiting.length > 0) return false;
        await options.beforeForgetting?.();
        if (appended !== seen) return false;
        await file.truncate(0);
        if (options.sync) await file.datasync();
        messages = 0;
        return true;
      });
    },
    messageCount: () => messages,
    rewrite(live) {
      return exclusively(async () => {
        const entries = await live();
        // what `live()` left out was consumed before it looked: stored, and made durable here
        await options.beforeForgetting?.();
        const next = `${path}.next`;
        const handle = await open(next, 'w', 0o600);
        await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
        if (options.sync) await handle.datasync();
        await handle.close();
        await rename(next, path);
        await file.close();
        file = await open(path, appendMode, 0o600);
        messages = entries.reduce((sum, entry) => sum + entry.m.length, 0);
      });
    },
    close: () => exclusively(() => file.close()),
  };
}
