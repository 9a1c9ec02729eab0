// bench support: the rollup's DynamoDB reads, summed from the local runtime's stdout. Each rollup run that recomputed
// something logs one Powertools JSON line, `rolled up`, with its `itemsRead` (functions/rollup/minute.ts); every other
// line (the start banner, other functions' records, a line cut off at the end of a chunk) is skipped.
import * as z from '../../shared/validation.js';

export interface RollupReads {
  /** rollup runs that logged `rolled up` */
  runs: number;
  marks: number;
  responses: number;
  aggregates: number;
  /** the latest run's log timestamp, as logged (ISO 8601, with an offset under a TZ); undefined if none logged */
  lastRunAt: string | undefined;
}

const count = z.number().check(z.int(), z.gte(0));
// matched by message, not by function_name: when invocations overlap in the runtime's back-end thread, a local line
// may carry another function's name
const rolledUpLine = z.object({
  level: z.literal('INFO'),
  message: z.literal('rolled up'),
  timestamp: z.string(),
  itemsRead: z.object({ marks: count, responses: count, aggregates: count }),
});

function jsonOf(line: string): unknown {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}

/** the rollup runs' items read in `log` (text, or its lines), summed; zero runs if it holds none */
export function rollupReadsIn(log: string | readonly string[]): RollupReads {
  const lines = typeof log === 'string' ? log.split('\n') : log;
  const reads: RollupReads = { runs: 0, marks: 0, responses: 0, aggregates: 0, lastRunAt: undefined };
  for (const line of lines) {
    const parsed = rolledUpLine.safeParse(jsonOf(line.trim()));
    if (!parsed.success) continue;
    const { timestamp, itemsRead } = parsed.data;
    const { marks, responses, aggregates } = itemsRead;
    reads.runs += 1;
    reads.marks += marks;
    reads.responses += responses;
    reads.aggregates += aggregates;
    if (reads.lastRunAt === undefined || Date.parse(timestamp) > Date.parse(reads.lastRunAt)) reads.lastRunAt = timestamp;
  }
  return reads;
}

/** items read over all runs */
export const itemsReadOf = ({ marks, responses, aggregates }: RollupReads) => marks + responses + aggregates;
