// handler: DELETE /v1/customers/{customerRef} → erases everything held about the customer (200 with counts);
// GET /v1/customers/{customerRef}/export → all of it as JSON. Admin only (root or admin-role token); both audited,
// with the customerRef only as a hash. `?encoding=base64url`: the path segment is a ref stored before the shared rule
// (shared/privacy/customer-ref.ts), base64url-encoded, taken exactly as stored. Routes: routes.ts.
import middy from '@middy/core';
import * as z from '../../shared/validation.js';
import { tableEnvName } from '../../infra/topology.js';
import { createDynamoAuditLog } from '../../shared/audit/dynamo-audit-log.js';
import { systemClock } from '../../shared/clock.js';
import { createDocumentClient } from '../../shared/dynamo-client.js';
import { makeEraseCustomer, makeExportCustomer, type CustomerDataHolder } from '../../shared/privacy/customer-data.js';
import { followUpsHolder, indexedHolder, responsesHolder } from '../../shared/privacy/dynamo-customer-data.js';
import { createDynamoErasureMarkers } from '../../shared/privacy/dynamo-erasure-markers.js';
import { createDynamoDirtyBuckets } from '../../shared/rollup/dynamo-dirty-buckets.js';
import { makeAuditRecorder } from '../commons/audit.js';
import { compressAnswers } from '../commons/content-encoding.js';
import { readEnv } from '../commons/env.js';
import { httpErrors } from '../commons/http.js';
import { originVerify } from '../commons/origin-verify.js';
import { logContext } from '../commons/powertools.js';
import { principalResolverFor } from '../commons/principal.js';
import { dispatchWith } from '../commons/routes.js';
import { makePrivacyRoutes } from './routes.js';

const env = readEnv({
  [tableEnvName('responses')]: z.string().check(z.minLength(1)),
  [tableEnvName('dirtyBuckets')]: z.string().check(z.minLength(1)),
  [tableEnvName('followups')]: z.string().check(z.minLength(1)),
  [tableEnvName('notifications')]: z.string().check(z.minLength(1)),
  [tableEnvName('cxLeads')]: z.string().check(z.minLength(1)),
  [tableEnvName('audit')]: z.string().check(z.minLength(1)),
  [tableEnvName('erasures')]: z.string().check(z.minLength(1)),
  [tableEnvName('invitations')]: z.string().check(z.minLength(1)),
});
const db = createDocumentClient();

/** every place that holds customer data; a new table with a byCustomer index is one more `indexedHolder(...)` */
const holders: CustomerDataHolder[] = [
  responsesHolder(db, env[tableEnvName('responses')], createDynamoDirtyBuckets(db, env[tableEnvName('dirtyBuckets')]), systemClock),
  followUpsHolder(db, { followups: env[tableEnvName('followups')], notifications: env[tableEnvName('notifications')] }),
  // email survey links: the invitation (keyed e-mail hash, custom fields, provisional scores)
  indexedHolder(db, {
    section: 'invitations',
    tableName: env[tableEnvName('invitations')],
    key: ['invitationId'],
    indexSortKey: 'createdKey',
    internal: ['campaignKey', 'createdKey', 'provisionalPending'],
  }),
];
const exportCustomer = makeExportCustomer({ holders, clock: systemClock });
const eraseCustomer = makeEraseCustomer({ holders, markers: createDynamoErasureMarkers(db, env[tableEnvName('erasures')]), clock: systemClock });
const principalOf = principalResolverFor(db, env[tableEnvName('cxLeads')]);
const audited = makeAuditRecorder({ log: createDynamoAuditLog(db, env[tableEnvName('audit')]), clock: systemClock });

const privacy = dispatchWith(principalOf, makePrivacyRoutes({ eraseCustomer, exportCustomer, audited }));

export const handler = middy(privacy).use(logContext()).use(originVerify()).use(compressAnswers()).use(httpErrors());
