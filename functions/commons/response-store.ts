// configuration: the responses table's store as the stack binds it: the table's name, and whether its legacy
// `bySurvey` index is deployed (RESPONSES_TABLE_LEGACY_INDEX, set by the stack only then; infra/topology.ts)
import type { DynamoDBDocumentClient } from '../../shared/aws/dynamodb.js';
import { legacyIndexEnvName, tableEnvName } from '../../infra/topology.js';
import { systemClock } from '../../shared/clock.js';
import { createDynamoResponseStore } from '../../shared/response/dynamo-response-store.js';
import { LEGACY_BY_SURVEY_INDEX } from '../../shared/response/response-indexes.js';
import type { ResponseStore } from '../../shared/response/stored-response.js';
import * as z from '../../shared/validation.js';
import { readEnv } from './env.js';

export function responseStoreFromEnvironment(db: DynamoDBDocumentClient, env: NodeJS.ProcessEnv = process.env): ResponseStore {
  const names = { table: tableEnvName('responses'), legacyIndex: legacyIndexEnvName('responses') };
  const read = readEnv(
    {
      [names.table]: z.string().check(z.minLength(1)),
      [names.legacyIndex]: z.optional(z.literal(LEGACY_BY_SURVEY_INDEX)),
    },
    env,
  );
  return createDynamoResponseStore(db, read[names.table] as string, systemClock, { legacyIndex: read[names.legacyIndex] !== undefined });
}
