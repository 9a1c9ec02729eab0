// adapter support: the responses table's write-sharded index keys (infra/topology.ts declares the indexes). One survey's
// responses, and every response waiting for a sentiment or a follow-up route, used to share one index partition key
// value each; now each carries "<value>#<n>", n from its response id, so they spread over RESPONSE_INDEX_SHARDS
// partitions and readers merge them (shared/dynamo-merged-query.ts).
import { allShards, shardedValue, shardOf } from '../write-shards.js';

/**
 * 8 shards. An index partition takes about 1,000 write units a second. At 1,000 responses a second for one survey,
 * each response writes its bySurveyShard entry once when stored and again when a late sentiment or a follow-up route
 * updates it, and an entry over 1 KB (a long comment) costs 2 units or more: 2,000–4,000 units a second, which 8
 * partitions carry at a quarter to a half of their limit (headroom for a tripled peak on short responses). The sort key
 * grows with time, so DynamoDB's split for heat cannot spread a hot key's writes: only the key itself can. Reads pay a
 * query per shard (each at least half a read unit), so a page of a listing costs 8 small queries instead of one; more
 * shards would buy write headroom that one survey does not need at the cost of every read. A count that divides 256
 * keeps the shards even (shardOf).
 */
export const RESPONSE_INDEX_SHARDS = 8;

/** responses by survey, newest first: partition `surveyShard` ("<surveyId>#<n>"), sort `receivedKey` */
export const BY_SURVEY_INDEX = 'bySurveyShard';
/**
 * the index it replaces, partition `surveyId`: kept for one release and read instead of bySurveyShard until the backfill
 * (dynamo-index-backfill.ts) has given every item stored before the upgrade its `surveyShard`; removed by the next
 */
export const LEGACY_BY_SURVEY_INDEX = 'bySurvey';

/** the sparse indexes keep their names and key attributes: only the values are sharded, "pending#<n>" */
export const PENDING = 'pending';
/** in the pendingSentiment index under its own key: settled, its marks not yet known to be written */
export const SETTLING = 'settling';

export const shardOfResponse = (responseId: string) => shardOf(responseId, RESPONSE_INDEX_SHARDS);

/** every index partition value of `value`: its shards, and (until the backfill is done) the unsharded legacy value */
export const shardedValues = (value: string, withLegacy: boolean): string[] => [
  ...allShards(RESPONSE_INDEX_SHARDS).map((n) => shardedValue(value, n)),
  ...(withLegacy ? [value] : []),
];

/** the write-sharded index attributes of a response */
export const surveyShardOf = (surveyId: string, responseId: string) => shardedValue(surveyId, shardOfResponse(responseId));
export const pendingValueOf = (state: typeof PENDING | typeof SETTLING, responseId: string) => shardedValue(state, shardOfResponse(responseId));
