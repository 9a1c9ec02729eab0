// local runtime: where the engines keep their state in the data folder (DATA_DIR, default .data/)
import { join } from 'node:path';

/** dynalite's LevelDB */
export const dynamoStorePath = (dataDir: string) => join(dataDir, 'dynamodb');

/** the queue's write-ahead journal (queue-journal.ts) */
export const queueJournalPath = (dataDir: string) => join(dataDir, 'queue-journal.ndjson');
