// adapter: where the admin bearer token comes from. Cloud: Secrets Manager (ADMIN_TOKEN_SECRET_ARN), read again every
// SECRET_TTL_MS, so that a token replaced in the secret (docs/security-and-privacy.md) stops working everywhere within
// it, and not only in the containers started since. Local: FEEDBACK_ADMIN_TOKEN, set by the local runtime. Requests
// are authenticated by principal.ts.
import { boundEnvNames } from '../../infra/topology.js';
import { ApiError } from '../../shared/errors.js';
import { header, type HttpEvent } from './http.js';
import { cachedSecret, SECRET_TTL_MS, secretsEqual, type SecretReader } from './secret.js';

/** the token; `ifOlderThanMs`: read again first if what was read is that old */
export type AdminTokenSource = SecretReader<string>;

export function adminTokenFromEnvironment(env: NodeJS.ProcessEnv = process.env, now: () => number = Date.now): AdminTokenSource {
  if (env.FEEDBACK_ADMIN_TOKEN) {
    const token = env.FEEDBACK_ADMIN_TOKEN;
    return async () => token;
  }
  const secretArn = env[boundEnvNames.adminTokenSecretArn];
  if (!secretArn) throw new Error(`missing or invalid environment: FEEDBACK_ADMIN_TOKEN or ${boundEnvNames.adminTokenSecretArn}`);
  // every authenticated request compares its token with it: read while the function initialises
  return cachedSecret(
    secretArn,
    (SecretString) => {
      if (!SecretString) throw new Error('admin token secret is empty');
      return SecretString;
    },
    { readAtInit: true, ttlMs: SECRET_TTL_MS, now },
  );
}

/** the bearer token of a request; 401 naming `what` when there is none */
export function bearerToken(event: HttpEvent, what = 'bearer token'): string {
  const match = /^Bearer\s+(\S+)$/i.exec(header(event, 'authorization') ?? '');
  if (!match?.[1]) throw new ApiError(401, `${what} required`, [{ path: 'authorization', reason: 'expected "Bearer <token>"' }]);
  return match[1];
}

/** whether `token` is the admin token (compared as digests, so in the same time whatever the length) */
export async function isAdminToken(token: string, adminToken: AdminTokenSource, options?: { ifOlderThanMs: number }): Promise<boolean> {
  return secretsEqual(token, await adminToken(options));
}
