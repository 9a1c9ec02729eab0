// adapter: records a write through the admin, CX or privacy API in the audit log once its outcome is known.
// Done: recorded after the action succeeded; if recording fails, the request fails (500) rather than leave an
// unrecorded write unreported. Refused (4xx) or failed (5xx): recorded too, and the original error is answered even
// if recording fails. A request without a valid token (401) is not recorded: anyone could fill the log with those
// (the API's access log keeps them).
import type { Principal } from '../../shared/access/principal.js';
import { auditEntryOf, type AuditAction, type AuditLog, type AuditInput } from '../../shared/audit/audit-entry.js';
import type { Clock } from '../../shared/clock.js';
import { ApiError } from '../../shared/errors.js';
import type { HttpResult } from './http.js';
import { logger } from './powertools.js';

type Targets = NonNullable<AuditInput['targets']>;

export function makeAuditRecorder({ log, clock }: { log: AuditLog; clock: Clock }) {
  const record = (principal: Principal, action: AuditAction, targets: Targets, status: number) =>
    log.append(auditEntryOf({ at: clock.now(), principal, action, targets, status }));

  /** runs `act`, then records its outcome; `targetsOf` adds ids known only from the answer (a new token's id) */
  const audited = async function audited(
    principal: Principal,
    action: AuditAction,
    targets: Targets,
    act: () => Promise<HttpResult>,
    targetsOf?: (result: HttpResult) => Targets,
  ): Promise<HttpResult> {
    let result: HttpResult;
    try {
      result = await act();
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 500;
      await record(principal, action, targets, status).catch((failure: unknown) =>
        logger.error('audit entry not recorded', { action, status, errorName: failure instanceof Error ? failure.name : typeof failure }),
      );
      throw error;
    }
    await record(principal, action, { ...targets, ...targetsOf?.(result) }, result.statusCode ?? 200);
    return result;
  };
  /** records an outcome known without `act`: each task of a bulk action, with the status of its own result */
  return Object.assign(audited, { record });
}

export type AuditRecorder = ReturnType<typeof makeAuditRecorder>;

/** the id of the token an answer has just created (a new admin-role token or CX lead), for its audit entry */
export const createdTokenIdOf = (result: HttpResult): Targets => ({ tokenId: (JSON.parse(result.body ?? '{}') as { id?: string }).id });
