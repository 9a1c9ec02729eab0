// routes: the privacy API as a route table, each route one use case → JSON, admin only and audited with the
// customerRef only as a hash: DELETE /v1/customers/{customerRef} erases, GET …/export exports (a page at a time).
import { requireRole, type Principal } from '../../shared/access/principal.js';
import type { makeEraseCustomer, makeExportCustomer } from '../../shared/privacy/customer-data.js';
import { customerRefOfParameter } from '../../shared/privacy/customer-ref.js';
import { onlyParameters } from '../../shared/query-values.js';
import type { AuditRecorder } from '../commons/audit.js';
import { json, type HttpEvent, type HttpResult } from '../commons/http.js';
import { routeTable, type Route } from '../commons/routes.js';

export interface PrivacyUseCases {
  eraseCustomer: ReturnType<typeof makeEraseCustomer>;
  exportCustomer: ReturnType<typeof makeExportCustomer>;
  audited: AuditRecorder;
}

/** the path's customerRef as the use cases take it; `?encoding=base64url` names a ref stored before the shared rule */
const parameterOf = (event: HttpEvent) => ({ value: event.pathParameters?.customerRef ?? '', encoding: event.queryStringParameters?.encoding });

/** the ref the audit entry hashes: the one the request names (decoded from base64url), whether or not it is then refused */
function auditedRefOf(parameter: ReturnType<typeof parameterOf>): string {
  const parsed = customerRefOfParameter(parameter);
  return parsed.success ? parsed.data : parameter.value;
}

export function makePrivacyRoutes({ eraseCustomer, exportCustomer, audited }: PrivacyUseCases): Route<Principal> {
  /** the admin-only, audited route around one use case */
  const adminRoute =
    (action: 'customer.erase' | 'customer.export', answer: (parameter: ReturnType<typeof parameterOf>, event: HttpEvent) => Promise<HttpResult>): Route<Principal> =>
    async (event, principal) => {
      const parameter = parameterOf(event);
      return audited(principal, action, { customerRef: auditedRefOf(parameter) }, async () => {
        requireRole(principal, 'admin');
        return answer(parameter, event);
      });
    };

  return routeTable<Principal>({
    'DELETE /v1/customers/{customerRef}': adminRoute('customer.erase', async (parameter, event) => {
      onlyParameters(event.queryStringParameters ?? {}, ['encoding']);
      return json(200, await eraseCustomer(parameter));
    }),
    // a page at a time: `?cursor=` takes the previous page's nextCursor (null on the last page)
    'GET /v1/customers/{customerRef}/export': adminRoute('customer.export', async (parameter, event) => {
      onlyParameters(event.queryStringParameters ?? {}, ['encoding', 'cursor']);
      return json(200, await exportCustomer(parameter, event.queryStringParameters?.cursor), { 'content-disposition': 'attachment; filename="customer-export.json"' });
    }),
  });
}
