// adapter support: one ordered read over several index partitions (the write shards of one key, shared/write-shards.ts).
// Each partition is queried lazily, a chunk at a time, and items come out merged by the index's sort key, so the caller
// sees one sequence in index order, as from a single partition.
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from './aws/dynamodb.js';

type Item = Record<string, unknown>;

export interface MergedQueryOptions {
  /** the index's sort key attribute: items are merged by it, compared as DynamoDB compares strings (UTF-8 bytes) */
  sortKey: string;
  descending: boolean;
  /**
   * the `Limit` per unit of weight of the next reads, whose partitions weigh `units` in all; below 1: stop reading (the
   * caller's budget is spent)
   */
  chunk: (units: number) => number;
  /** per input, how many partitions' worth of items it holds (1 each by default): it reads that many times the chunk */
  weights?: number[];
}

export interface MergedQuery<T> {
  /** the next item in index order over all partitions; undefined at the end, or once `chunk` said stop */
  next(): Promise<T | undefined>;
  /** items DynamoDB read so far, before filter expressions */
  readonly scanned: number;
  /** every partition was read to its end and every item taken */
  readonly ended: boolean;
}

interface Partition {
  input: QueryCommandInput;
  weight: number;
  /** items read and not yet taken, in index order */
  buffer: Item[];
  read: boolean;
  /** where the last read stopped (LastEvaluatedKey): the partition holds nothing unread before it */
  startKey?: Item;
  ended: boolean;
}

/**
 * An item is taken once no partition can hold an unread item before it: each other partition either has a head (the
 * order decides), ended, or was read past it. A read that a filter expression emptied still moves its partition's
 * position, so a partition whose items are all filtered out costs reads in step with the others, never a read to its
 * end before anything is taken.
 */
export function mergedQuery<T extends object = Item>(db: DynamoDBDocumentClient, inputs: QueryCommandInput[], { sortKey, descending, chunk, weights }: MergedQueryOptions): MergedQuery<T> {
  const partitions: Partition[] = inputs.map((input, i) => ({ input, weight: weights?.[i] ?? 1, buffer: [], read: false, ended: false }));
  let scanned = 0;
  let stopped = false;
  const sortBytes = (item: Item) => Buffer.from(String(item[sortKey]), 'utf8');
  const comesBefore = (a: Item, b: Item) => {
    const order = Buffer.compare(sortBytes(a), sortBytes(b));
    return descending ? order > 0 : order < 0;
  };

  async function read(partition: Partition, limit: number): Promise<void> {
    const page = await db.send(new QueryCommand({ ...partition.input, Limit: limit, ExclusiveStartKey: partition.startKey }));
    scanned += page.ScannedCount ?? 0;
    partition.buffer.push(...((page.Items ?? []) as Item[]));
    partition.read = true;
    partition.startKey = page.LastEvaluatedKey as Item | undefined;
    partition.ended = !page.LastEvaluatedKey;
  }

  return {
    async next() {
      while (!stopped) {
        let best: Partition | undefined;
        for (const p of partitions) if (p.buffer.length > 0 && (!best || comesBefore(p.buffer[0]!, best.buffer[0]!))) best = p;
        const head = best?.buffer[0];
        const unsure = partitions.filter((p) => !p.ended && p.buffer.length === 0 && (!p.read || !head || comesBefore(p.startKey!, head)));
        if (unsure.length === 0) return best?.buffer.shift() as T | undefined;
        const limit = chunk(unsure.reduce((units, p) => units + p.weight, 0));
        if (limit < 1) stopped = true;
        else await Promise.all(unsure.map((p) => read(p, limit * p.weight)));
      }
      return undefined;
    },
    get scanned() {
      return scanned;
    },
    get ended() {
      return partitions.every((p) => p.ended && p.buffer.length === 0);
    },
  };
}
